using FromScratch.Notebooks.Engine;
using FromScratch.Notebooks.Format;

namespace FromScratch.Notebooks.Cli;

/// <summary>What `run` puts into the exercise cells.</summary>
internal enum ExerciseMode
{
    /// <summary>The cells as they are (the learner's code, or the stubs).</summary>
    AsWritten,
    /// <summary>`--solutions`: every exercise cell gets its reference solution; every check must print ✔.</summary>
    Solutions,
    /// <summary>`--mistakes`: every catalogued mistake in turn; each must print ✘ with its hint.</summary>
    Mistakes,
}

/// <summary>
/// `run --solutions` and `run --mistakes` (for teachers and for CI): which runs a notebook needs, what goes into its
/// exercise cells (from notebooks/solutions/&lt;lesson&gt;.cs, see <see cref="ExerciseCatalog"/>), and whether the
/// checks then said what they must.
/// </summary>
internal static class ExerciseRuns
{
    /// <summary>One run: the notebook, the mistake round (null: as written or solutions), the name its outputs get.</summary>
    public sealed record Job(string Path, int? Round, string Name);

    /// <summary>
    /// The runs for <paramref name="paths"/>: one per notebook, except with --mistakes one per mistake round
    /// (name "lesson.mistakes-2.ipynb"); a notebook without exercises is run once as written.
    /// </summary>
    public static IEnumerable<Job> Jobs(IEnumerable<string> paths, ExerciseMode mode)
    {
        foreach (string path in paths)
        {
            string name = System.IO.Path.GetFileName(path);
            int rounds = 0;
            if (mode == ExerciseMode.Mistakes && File.Exists(path))
            {
                try
                {
                    rounds = ExerciseCatalog.ForNotebook(path)?.MistakeRounds(NotebookDocument.Load(path)) ?? 0;
                }
                catch (NotebookFormatException)
                {
                    rounds = 0; // reported when the run loads it
                }
            }
            if (rounds == 0)
            {
                yield return new Job(path, null, name);
                continue;
            }
            string stem = System.IO.Path.GetFileNameWithoutExtension(path);
            for (int round = 0; round < rounds; round++)
                yield return new Job(path, round, $"{stem}.mistakes-{round + 1}.ipynb");
        }
    }

    /// <summary>
    /// Fills the exercise cells for <paramref name="mode"/>; returns what each cell now holds (empty as written), or
    /// throws <see cref="NotebookFormatException"/> naming what is missing (no catalogue, no solution).
    /// </summary>
    public static IReadOnlyList<CataloguedAnswer> Prepare(NotebookDocument notebook, string path, ExerciseMode mode, int? round)
    {
        if (mode == ExerciseMode.AsWritten || ExerciseCatalog.ExerciseCells(notebook).Count == 0) return [];
        var catalog = ExerciseCatalog.ForNotebook(path)
            ?? throw new NotebookFormatException($"{path} has exercises but no solutions file notebooks/solutions/{System.IO.Path.GetFileNameWithoutExtension(path)}.cs");
        return catalog.Substitute(notebook, mode == ExerciseMode.Mistakes ? round ?? int.MaxValue : null);
    }

    /// <summary>What the checks got wrong: a solution not accepted, a mistake accepted or named with another hint.</summary>
    public static IReadOnlyList<string> Problems(NotebookDocument executed, IReadOnlyList<CataloguedAnswer> used, string catalogPath)
    {
        var problems = new List<string>();
        if (used.Count == 0) return problems;
        var verdicts = ExerciseVerdict.Read(executed);
        foreach (var answer in used)
        {
            var verdict = verdicts.FirstOrDefault(v => v.ExerciseId == answer.ExerciseId);
            string where = $"{catalogPath}:{answer.Line}";
            if (verdict is null)
                problems.Add($"exercise {answer.ExerciseId}: its check printed no verdict ({where})");
            else if (!answer.IsMistake && verdict.Mark != '✔')
                problems.Add($"exercise {answer.ExerciseId}: the solution at {where} was not accepted: {verdict.Line}");
            else if (answer.IsMistake && verdict.Mark != '✘')
                problems.Add($"exercise {answer.ExerciseId}: the mistake at {where} was accepted: {verdict.Line}");
            else if (answer.IsMistake && verdict.Hint != answer.Hint)
                problems.Add($"exercise {answer.ExerciseId}: the mistake at {where} should be named '{answer.Hint}', but the check said: {verdict.Line}");
        }
        return problems;
    }
}
