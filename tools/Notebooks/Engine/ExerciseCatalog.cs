using System.Text.RegularExpressions;
using FromScratch.Notebooks.Format;

namespace FromScratch.Notebooks.Engine;

/// <summary>One catalogued answer to an exercise: the reference solution, or a typical mistake with its hint.</summary>
/// <param name="ExerciseId">e.g. "3.1".</param>
/// <param name="Code">The cell text that replaces the learner's stub.</param>
/// <param name="Hint">For a mistake, the hint its check must print after "—"; null for the solution.</param>
/// <param name="Line">Where the section starts in the catalogue file (for messages).</param>
public sealed record CataloguedAnswer(string ExerciseId, string Code, string? Hint, int Line)
{
    /// <summary>True for a mistake, false for the reference solution.</summary>
    public bool IsMistake => Hint is not null;
}

/// <summary>
/// A lesson's reference solutions and typical mistakes, from <c>notebooks/solutions/&lt;lesson&gt;.cs</c>. Sections start
/// with a marker line and run to the next one:
/// <code>
/// //# solution 3.1
/// double SigmoidDerivative(double z) => Activation.SigmoidOf(z) * (1 - Activation.SigmoidOf(z));
/// //# mistake 3.1: that is σ(z), not σ′(z)
/// double SigmoidDerivative(double z) => Activation.SigmoidOf(z);
/// </code>
/// Lines before the first marker are comments for the reader. The file is C#, so editors highlight it, but no
/// project compiles it: each section is one exercise cell's text.
/// </summary>
public sealed partial class ExerciseCatalog
{
    /// <summary>The tag of a cell the learner edits; its metadata <c>exercise.id</c> names the exercise.</summary>
    public const string ExerciseTag = "exercise";

    private ExerciseCatalog(string path, IReadOnlyList<CataloguedAnswer> answers)
    {
        Path = path;
        Answers = answers;
    }

    /// <summary>The catalogue file.</summary>
    public string Path { get; }

    /// <summary>Every section, in file order.</summary>
    public IReadOnlyList<CataloguedAnswer> Answers { get; }

    /// <summary>The reference solution of <paramref name="exerciseId"/>, or null.</summary>
    public CataloguedAnswer? Solution(string exerciseId) =>
        Answers.FirstOrDefault(a => a.ExerciseId == exerciseId && !a.IsMistake);

    /// <summary>The catalogued mistakes of <paramref name="exerciseId"/>, in file order.</summary>
    public IReadOnlyList<CataloguedAnswer> Mistakes(string exerciseId) =>
        Answers.Where(a => a.ExerciseId == exerciseId && a.IsMistake).ToList();

    /// <summary>The catalogue of <paramref name="notebookPath"/>: solutions/&lt;stem&gt;.cs beside it; null when there is none.</summary>
    public static ExerciseCatalog? ForNotebook(string notebookPath)
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(notebookPath))!, "solutions",
            System.IO.Path.GetFileNameWithoutExtension(notebookPath) + ".cs");
        return File.Exists(path) ? Parse(File.ReadAllText(path), path) : null;
    }

    /// <summary>Reads a catalogue; a malformed marker line is an error naming file and line.</summary>
    public static ExerciseCatalog Parse(string text, string path)
    {
        var answers = new List<CataloguedAnswer>();
        string[] lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        (string Id, string? Hint, int Line)? open = null;
        var body = new List<string>();
        void Close()
        {
            if (open is { } o) answers.Add(new CataloguedAnswer(o.Id, string.Join('\n', body).Trim('\n'), o.Hint, o.Line));
            body.Clear();
        }
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (!line.StartsWith("//#", StringComparison.Ordinal))
            {
                if (open is not null) body.Add(line);
                continue;
            }
            var marker = Marker().Match(line);
            if (!marker.Success)
                throw new NotebookFormatException($"{path}, line {i + 1}: expected '//# solution ID' or '//# mistake ID: hint', found '{line.Trim()}'");
            Close();
            string id = marker.Groups["id"].Value;
            bool mistake = marker.Groups["kind"].Value == "mistake";
            string? hint = marker.Groups["hint"].Success ? marker.Groups["hint"].Value.Trim() : null;
            if (mistake && string.IsNullOrEmpty(hint))
                throw new NotebookFormatException($"{path}, line {i + 1}: a mistake needs the hint its check prints: '//# mistake {id}: hint'");
            if (!mistake && hint is not null)
                throw new NotebookFormatException($"{path}, line {i + 1}: a solution has no hint: '//# solution {id}'");
            if (!mistake && answers.Any(a => a.ExerciseId == id && !a.IsMistake))
                throw new NotebookFormatException($"{path}, line {i + 1}: a second solution for exercise {id}");
            open = (id, mistake ? hint : null, i + 1);
        }
        Close();
        return new ExerciseCatalog(path, answers);
    }

    /// <summary>The exercise cells of a notebook: (index among all cells, exercise id), in order.</summary>
    public static IReadOnlyList<(int CellIndex, string ExerciseId)> ExerciseCells(NotebookDocument notebook)
    {
        var cells = new List<(int, string)>();
        var all = notebook.Cells;
        for (int i = 0; i < all.Count; i++)
        {
            if (!all[i].IsCode || !all[i].Tags.Contains(ExerciseTag)) continue;
            string? id = all[i].Json["metadata"]?["exercise"]?["id"]?.GetValue<string>();
            if (string.IsNullOrWhiteSpace(id))
                throw new NotebookFormatException($"{notebook.Path}, cell {i + 1}: a cell tagged '{ExerciseTag}' needs metadata exercise.id (e.g. \"3.1\")");
            cells.Add((i, id));
        }
        return cells;
    }

    /// <summary>
    /// How many runs <c>run --mistakes</c> needs: the most mistakes any exercise has. In run k (from 0) each exercise
    /// cell holds its k-th mistake, or its solution when it has fewer.
    /// </summary>
    public int MistakeRounds(NotebookDocument notebook) =>
        ExerciseCells(notebook).Select(c => Mistakes(c.ExerciseId).Count).DefaultIfEmpty(0).Max();

    /// <summary>
    /// Replaces every exercise cell's text with its solution (<paramref name="mistakeRound"/> null) or with mistake
    /// number <paramref name="mistakeRound"/> (its solution when it has fewer). Returns what each cell now holds.
    /// An exercise without a solution is an error naming it and the catalogue.
    /// </summary>
    public IReadOnlyList<CataloguedAnswer> Substitute(NotebookDocument notebook, int? mistakeRound = null)
    {
        var used = new List<CataloguedAnswer>();
        var cells = notebook.Cells;
        foreach (var (index, id) in ExerciseCells(notebook))
        {
            var solution = Solution(id)
                ?? throw new NotebookFormatException($"{Path}: no '//# solution {id}' for the exercise in cell {index + 1} of {notebook.Path}");
            var mistakes = Mistakes(id);
            var answer = mistakeRound is int k && k < mistakes.Count ? mistakes[k] : solution;
            cells[index].Source = answer.Code;
            used.Add(answer);
        }
        return used;
    }

    [GeneratedRegex(@"^//#\s*(?<kind>solution|mistake)\s+(?<id>[0-9]+(\.[0-9]+)*)\s*(:(?<hint>.*))?$")]
    private static partial Regex Marker();
}

/// <summary>An exercise's verdict as its check printed it.</summary>
/// <param name="ExerciseId">e.g. "3.1".</param>
/// <param name="Mark">'✔', '✘' or '○'.</param>
/// <param name="Line">The whole line, e.g. "✘ Exercise 3.1 (σ′): at z = 2 yours is 0.881, expected 0.105 — …".</param>
public sealed partial record ExerciseVerdict(string ExerciseId, char Mark, string Line)
{
    /// <summary>The hint after " — ", or "" when the line has none.</summary>
    public string Hint => Line.LastIndexOf(" — ", StringComparison.Ordinal) is int at and >= 0 ? Line[(at + 3)..] : "";

    /// <summary>Every exercise line in the stream outputs of an executed notebook, in order.</summary>
    public static IReadOnlyList<ExerciseVerdict> Read(NotebookDocument executed)
    {
        var verdicts = new List<ExerciseVerdict>();
        foreach (var cell in executed.Cells.Where(c => c.IsCode))
        {
            if (cell.Json["outputs"] is not System.Text.Json.Nodes.JsonArray outputs) continue;
            foreach (var output in outputs)
            {
                if (output?["output_type"]?.GetValue<string>() != "stream") continue;
                foreach (string line in NotebookDocument.FromMultiline(output["text"]).Split('\n'))
                    if (VerdictLine().Match(line) is { Success: true } m)
                        verdicts.Add(new ExerciseVerdict(m.Groups["id"].Value, m.Groups["mark"].Value[0], line.TrimEnd('\r')));
            }
        }
        return verdicts;
    }

    [GeneratedRegex(@"^(?<mark>[✔✘○]) Exercise (?<id>[0-9]+(\.[0-9]+)*) ")]
    private static partial Regex VerdictLine();
}
