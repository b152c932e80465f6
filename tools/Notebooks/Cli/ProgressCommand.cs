using System.CommandLine;
using System.Text.Json.Nodes;
using FromScratch.Notebooks.Engine;
using FromScratch.Notebooks.Format;
using Spectre.Console;

namespace FromScratch.Notebooks.Cli;

/// <summary>One exercise's line in the progress table.</summary>
internal sealed record ExerciseProgress(string Lesson, string ExerciseId, char Mark, string Feedback);

/// <summary>
/// `progress [notebooks…]`: like pressing "submit" on every exercise. Runs the learner's own lessons (copies made with
/// `new`, or lessons edited in place) without writing anything into them, and prints a table: lesson, exercise,
/// ✔/✘/○ and the check's one-line feedback. Exit code 0 only when every exercise is ✔.
/// </summary>
internal static partial class ProgressCommand
{
    /// <summary>The `progress` verb for Program.cs.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var notebooks = new Argument<string[]>("notebooks")
        {
            Description = "Your lesson notebooks (default: every notebook in notebooks/ that has exercises)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("progress", "Check your exercises: run your lessons (nothing is written into them) and list every exercise as ✔, ✘ or ○")
        {
            notebooks,
        };
        command.SetAction((parse, cancellation) =>
            ExecuteAsync(parse.GetValue(notebooks) ?? [], Environment.CurrentDirectory, console, cancellation));
        return command;
    }

    /// <summary>Runs the notebooks and prints the table.</summary>
    public static async Task<int> ExecuteAsync(IReadOnlyList<string> requested, string currentDirectory, IAnsiConsole console,
        CancellationToken cancellation = default)
    {
        var repo = RepositoryLayout.Find(currentDirectory);
        List<string> paths;
        if (requested.Count > 0)
        {
            paths = requested.Select(n => Path.GetFullPath(n, currentDirectory)).ToList();
            if (paths.FirstOrDefault(p => !File.Exists(p)) is { } missing)
            {
                console.MarkupLineInterpolated($"[red]error:[/] {missing} does not exist");
                return RunCommand.UsageError;
            }
        }
        else if (repo is null)
        {
            console.MarkupLineInterpolated($"[red]error:[/] no notebooks given and no FromScratch.slnx in {currentDirectory} or above it to find notebooks/");
            return RunCommand.UsageError;
        }
        else
        {
            paths = Directory.GetFiles(repo.NotebooksFolder, "*.ipynb").Order(StringComparer.Ordinal)
                .Where(p => ExerciseCatalog.ExerciseCells(NotebookDocument.Load(p)).Count > 0).ToList();
        }

        var packages = PackageCatalog.FromDepsJson(repo?.LibraryDepsJson ?? Path.Combine(currentDirectory, "build/lib/FromScratch.deps.json"));
        var rows = new List<ExerciseProgress>();
        foreach (string path in paths)
        {
            string name = Path.GetFileName(path);
            NotebookDocument notebook;
            try
            {
                notebook = NotebookDocument.Load(path); // an in-memory copy: the learner's file is never written
            }
            catch (Exception e) when (e is NotebookFormatException or IOException or UnauthorizedAccessException)
            {
                rows.Add(new ExerciseProgress(name, "—", '✘', e.Message));
                continue;
            }
            console.WriteLine($"checking {name} …");
            rows.AddRange(await CheckAsync(notebook, name, packages, cancellation).ConfigureAwait(false));
        }

        var table = new Table().AddColumns("lesson", "exercise", "", "feedback");
        foreach (var row in rows)
        {
            string color = row.Mark switch { '✔' => "green", '✘' => "red", _ => "grey" };
            table.AddRow(Markup.Escape(row.Lesson), Markup.Escape(row.ExerciseId), $"[{color}]{row.Mark}[/]", Markup.Escape(row.Feedback));
        }
        console.Write(table);
        int done = rows.Count(r => r.Mark == '✔');
        console.WriteLine($"{done} of {rows.Count} exercise(s) done" + (done == rows.Count && rows.Count > 0 ? " — all of them" : ""));
        return rows.Count > 0 && done == rows.Count ? RunCommand.Success : RunCommand.NotebookFailed;
    }

    /// <summary>Runs one notebook (every cell, past errors) and reads each exercise's verdict or what stopped it.</summary>
    internal static async Task<IReadOnlyList<ExerciseProgress>> CheckAsync(NotebookDocument notebook, string name, PackageCatalog packages,
        CancellationToken cancellation)
    {
        var cells = ExerciseCatalog.ExerciseCells(notebook);
        if (cells.Count == 0) return [new ExerciseProgress(name, "—", '○', "this notebook has no exercises")];
        await NotebookRunner.RunAsync(notebook, new NotebookRunOptions
        {
            Packages = packages,
            ContinueOnError = true,                 // one broken cell must not hide the later exercises
            CellTimeout = TimeSpan.FromMinutes(5),
        }, cancellation).ConfigureAwait(false);

        var verdicts = ExerciseVerdict.Read(notebook);
        var rows = new List<ExerciseProgress>();
        foreach (var (index, id) in cells)
        {
            if (verdicts.FirstOrDefault(v => v.ExerciseId == id) is { } verdict)
            {
                int colon = verdict.Line.IndexOf(": ", StringComparison.Ordinal);
                rows.Add(new ExerciseProgress(name, id, verdict.Mark, colon >= 0 ? verdict.Line[(colon + 2)..] : verdict.Line));
                continue;
            }
            // No verdict: the exercise cell (or its check) stopped with an error, e.g. code that does not compile.
            string problem = FirstError(notebook, index) ?? "its check did not run";
            rows.Add(new ExerciseProgress(name, id, '✘', $"your cell did not run: {problem}"));
        }
        return rows;
    }

    /// <summary>"CompilationError: CS1002: ; expected (line 3)" for the first error at or after cell <paramref name="from"/>.</summary>
    private static string? FirstError(NotebookDocument notebook, int from)
    {
        foreach (var cell in notebook.Cells.Skip(from).Where(c => c.IsCode).Take(2)) // the exercise cell and its check
        {
            if (cell.Json["outputs"] is not JsonArray outputs) continue;
            foreach (var output in outputs)
            {
                if (output?["output_type"]?.GetValue<string>() != "error") continue;
                var where = (output["traceback"] as JsonArray)?.Select(t => LineAndColumn().Match(t?.GetValue<string>() ?? ""))
                    .FirstOrDefault(m => m.Success) is { } m ? $" ({m.Value})" : "";
                return $"{output["ename"]?.GetValue<string>()}: {output["evalue"]?.GetValue<string>()}{where}";
            }
        }
        return null;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"line \d+(, column \d+)?")]
    private static partial System.Text.RegularExpressions.Regex LineAndColumn();
}
