using System.Globalization;

namespace FromScratch;

/// <summary>
/// The checks under the lessons' exercises: the learner writes a function in a cell tagged <c>exercise</c>, and the
/// cell below calls <see cref="Exercise{TIn, TOut}"/>, which runs it on several inputs (edge cases included) against the
/// library's reference and prints exactly one line:
/// <list type="bullet">
/// <item><c>✔ Exercise 3.1 (σ′): matches the reference on 201 inputs</c>;</item>
/// <item><c>✘ Exercise 3.1 (σ′): at z = 2 yours is 0.881, expected 0.105 — that is σ(z), not σ′(z)</c>, naming a
/// known mistake when the answer is one of them;</item>
/// <item><c>○ Exercise 3.1 (σ′): not attempted yet — the rest of the lesson uses the library's version</c>, while the
/// stub still throws <see cref="NotImplementedException"/> (<c>throw new NotImplementedException();</c>).</item>
/// </list>
/// A wrong or unsolved exercise never stops the lesson (nothing is thrown): the cells after it use the library's
/// version. <c>dotnet run --project tools/Notebooks -- progress</c> collects these lines into a table.
/// </summary>
public static partial class Check
{
    /// <summary>
    /// Runs <paramref name="yours"/> and <paramref name="reference"/> on every input and prints the one-line verdict;
    /// returns true when yours matched on all of them. Outputs are compared number by number (doubles within
    /// <paramref name="tolerance"/>, relative to the expected size; matrices, arrays and tuples entry by entry).
    /// </summary>
    /// <param name="id">The exercise's number, e.g. "3.1" (lesson 3, first exercise).</param>
    /// <param name="title">A few words, e.g. "σ′".</param>
    /// <param name="yours">The learner's function.</param>
    /// <param name="reference">The library's function for the same thing.</param>
    /// <param name="inputs">Where to compare them, edge cases included.</param>
    /// <param name="describe">How an input reads in a message, e.g. <c>z =&gt; $"z = {z}"</c>.</param>
    /// <param name="mistakes">Known wrong answers with the hint to print when yours equals one of them on every input.</param>
    /// <param name="tolerance">Largest accepted |yours − expected| / max(1, |expected|).</param>
    public static bool Exercise<TIn, TOut>(string id, string title, Func<TIn, TOut> yours, Func<TIn, TOut> reference,
        IEnumerable<TIn> inputs, Func<TIn, string>? describe = null,
        IEnumerable<(string Hint, Func<TIn, TOut> Answer)>? mistakes = null, double tolerance = 1e-9)
    {
        ArgumentNullException.ThrowIfNull(yours);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(inputs);
        var cases = inputs.ToList();
        if (cases.Count == 0) throw new ArgumentException("An exercise needs at least one input to check.", nameof(inputs));
        describe ??= input => Answers.Describe(input);
        string name = $"Exercise {id} ({title})";

        for (int i = 0; i < cases.Count; i++)
        {
            var input = cases[i];
            TOut expected = reference(input);
            TOut answer;
            try
            {
                answer = yours(input);
            }
            catch (NotImplementedException)
            {
                return PrintVerdict($"○ {name}: not attempted yet — the rest of the lesson uses the library's version", false);
            }
            catch (Exception e)
            {
                return PrintVerdict($"✘ {name}: at {describe(input)} your code threw {e.GetType().Name}: {e.Message}{Where(e)}", false);
            }

            if (Answers.Difference(answer, expected, tolerance) is { } difference)
            {
                string hint = KnownMistake(cases, yours, expected: reference, mistakes, tolerance);
                return PrintVerdict($"✘ {name}: at {describe(input)} {difference}{(hint.Length > 0 ? " — " + hint : "")}", false);
            }
        }
        return PrintVerdict($"✔ {name}: matches the reference on {cases.Count} input{(cases.Count == 1 ? "" : "s")}", true);
    }

    /// <summary>The hint of the first catalogued mistake that yours equals on every input (and the reference does not).</summary>
    private static string KnownMistake<TIn, TOut>(List<TIn> cases, Func<TIn, TOut> yours, Func<TIn, TOut> expected,
        IEnumerable<(string Hint, Func<TIn, TOut> Answer)>? mistakes, double tolerance)
    {
        foreach (var (hint, answer) in mistakes ?? [])
        {
            // Equal on every input, where "both threw" counts as equal (a wrong formula may not fit every shape).
            if (cases.All(input => Outcome(yours, input) is var a && Outcome(answer, input) is var b
                    && (a.Threw || b.Threw ? a.Threw && b.Threw : Answers.Difference(a.Value, b.Value, tolerance) is null)))
                return hint;
        }
        return "";
    }

    private static (bool Threw, TOut? Value) Outcome<TIn, TOut>(Func<TIn, TOut> f, TIn input)
    {
        try { return (false, f(input)); }
        catch (Exception) { return (true, default); }
    }

    /// <summary>" (line 3)": the line of the learner's cell where the exception was thrown, when the stack trace has it.</summary>
    private static string Where(Exception e)
    {
        var frame = new System.Diagnostics.StackTrace(e, fNeedFileInfo: true).GetFrames()
            .FirstOrDefault(f => f.GetFileLineNumber() > 0 && f.GetMethod()?.DeclaringType?.Assembly != typeof(Check).Assembly);
        return frame is null ? "" : string.Create(CultureInfo.InvariantCulture, $" (line {frame.GetFileLineNumber()} of your cell)");
    }

    private static bool PrintVerdict(string line, bool passed)
    {
        Console.Out.WriteLine(line);
        return passed;
    }
}
