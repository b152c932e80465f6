using System.CommandLine;
using System.Diagnostics;
using FromScratch.Notebooks.Engine;
using FromScratch.Notebooks.Format;
using Spectre.Console;

namespace FromScratch.Notebooks.Cli;

/// <summary>What `run` was asked to do.</summary>
internal sealed record RunSettings(
    IReadOnlyList<string> Notebooks,
    IReadOnlyDictionary<string, string> Parameters,
    string? OutFolder,
    bool InPlace,
    bool ContinueOnError,
    TimeSpan? CellTimeout,
    string CurrentDirectory,
    ExerciseMode Exercises = ExerciseMode.AsWritten);

/// <summary>One notebook's line in the closing summary.</summary>
internal sealed record NotebookSummary(string Name, int CodeCells, int CellsRun, TimeSpan Elapsed, int Figures, string Status, bool Succeeded);

/// <summary>
/// The `run` host: finds the notebooks, runs each in its own session, writes the executed copy and
/// the figure files, shows progress and a summary. Exit code 0 only when every notebook succeeded.
/// </summary>
internal static class RunCommand
{
    /// <summary>The `run` verb for Program.cs (also what runs with no arguments): its arguments, options and action.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var notebooksArgument = new Argument<string[]>("notebooks") { Description = "Notebook files to run (default: every notebook in notebooks/, in file-name order)", Arity = ArgumentArity.ZeroOrMore };
        var parameterOption = new Option<string[]>("--parameter", "-p") { Description = "Set a knob of the cell tagged 'parameters': name=value (repeatable)", AllowMultipleArgumentsPerToken = false };
        var outOption = new Option<string?>("--out") { Description = "Output folder (default: out/ in the repository): notebooks/ and figures/ go there" };
        var inPlaceOption = new Option<bool>("--in-place") { Description = "Write outputs back into the source notebooks (atomically)" };
        var continueOption = new Option<bool>("--continue-on-error") { Description = "Keep running later cells after a failing cell" };
        var solutionsOption = new Option<bool>("--solutions") { Description = "Put each exercise's reference solution (notebooks/solutions/) into its cell; fail unless every check prints ✔" };
        var mistakesOption = new Option<bool>("--mistakes") { Description = "Run once per catalogued mistake (notebooks/solutions/); fail unless each check prints ✘ with its hint" };
        var timeoutOption = new Option<double?>("--cell-timeout")
        {
            Description = "Cancel a cell that runs longer than this many seconds",
            CustomParser = result =>
            {
                string text = result.Tokens.Single().Value;
                if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double seconds) && seconds > 0)
                    return seconds;
                result.AddError($"--cell-timeout {text}: expected a positive number of seconds, e.g. --cell-timeout 120");
                return null;
            },
        };

        var command = new Command("run", "Execute notebooks headlessly and write their outputs")
        {
            notebooksArgument, parameterOption, outOption, inPlaceOption, continueOption, timeoutOption, solutionsOption, mistakesOption,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string pair in parse.GetValue(parameterOption) ?? [])
            {
                int eq = pair.IndexOf('=');
                if (eq <= 0)
                {
                    console.MarkupLineInterpolated($"[red]error:[/] -p {pair}: expected name=value");
                    return UsageError;
                }
                parameters[pair[..eq].Trim()] = pair[(eq + 1)..];
            }
            double? timeout = parse.GetValue(timeoutOption);
            bool solutions = parse.GetValue(solutionsOption), mistakes = parse.GetValue(mistakesOption);
            if (solutions && mistakes || (solutions || mistakes) && parse.GetValue(inPlaceOption))
            {
                console.MarkupLine("[red]error:[/] --solutions, --mistakes and --in-place exclude each other (the solutions never go into your notebook)");
                return UsageError;
            }
            var settings = new RunSettings(parse.GetValue(notebooksArgument) ?? [], parameters, parse.GetValue(outOption),
                parse.GetValue(inPlaceOption), parse.GetValue(continueOption), timeout is { } s ? TimeSpan.FromSeconds(s) : null,
                Environment.CurrentDirectory,
                solutions ? ExerciseMode.Solutions : mistakes ? ExerciseMode.Mistakes : ExerciseMode.AsWritten);
            return await ExecuteAsync(settings, console, cancellation);
        });
        return command;
    }

    public const int Success = 0, NotebookFailed = 1, UsageError = 2;

    public static async Task<int> ExecuteAsync(RunSettings settings, IAnsiConsole console, CancellationToken cancellation = default)
    {
        var startup = Stopwatch.StartNew();
        var warmUp = NotebookSession.WarmUpAsync(); // overlaps compiler start-up with reading notebooks
        var repo = RepositoryLayout.Find(settings.CurrentDirectory);

        // Which notebooks.
        List<string> paths;
        if (settings.Notebooks.Count > 0)
        {
            paths = settings.Notebooks.Select(n => Path.GetFullPath(n, settings.CurrentDirectory)).ToList();
        }
        else if (repo is null)
        {
            console.MarkupLineInterpolated($"[red]error:[/] no notebooks given and no FromScratch.slnx in {settings.CurrentDirectory} or above it to find notebooks/");
            return UsageError;
        }
        else
        {
            paths = Directory.Exists(repo.NotebooksFolder)
                ? Directory.GetFiles(repo.NotebooksFolder, "*.ipynb").Order(StringComparer.Ordinal).ToList()
                : [];
            if (paths.Count == 0)
            {
                console.MarkupLineInterpolated($"no notebooks in {repo.NotebooksFolder}: nothing to run");
                return Success;
            }
        }

        // Where outputs go; check it is writable before running anything.
        string outFolder = Path.GetFullPath(settings.OutFolder ?? repo?.DefaultOut ?? "out", settings.CurrentDirectory);
        if (OutputFolder.Problem(outFolder, settings.InPlace ? ["figures"] : ["notebooks", "figures"]) is { } problem)
        {
            console.MarkupLineInterpolated($"[red]error:[/] cannot write to output folder {outFolder}: {problem}");
            return UsageError;
        }

        var packages = PackageCatalog.FromDepsJson(repo?.LibraryDepsJson ?? Path.Combine(settings.CurrentDirectory, "build/lib/FromScratch.deps.json"));
        var summaries = new List<NotebookSummary>();
        var failures = new List<(string Name, IReadOnlyList<string> Lines)>();
        bool interactive = console.Profile.Capabilities.Interactive;

        // A one-line problem: printed at once in a log, after the progress display when interactive.
        void ReportNow(string name, string message)
        {
            if (interactive) failures.Add((name, [message]));
            else console.WriteLine($"error: {message}");
        }

        async Task RunAll(Action<string, CellProgress?>? report)
        {
            foreach (var (path, round, name) in ExerciseRuns.Jobs(paths, settings.Exercises))
            {
                var clock = Stopwatch.StartNew();
                NotebookDocument notebook;
                IReadOnlyList<CataloguedAnswer> answers;
                try
                {
                    notebook = NotebookDocument.Load(path);
                    answers = ExerciseRuns.Prepare(notebook, path, settings.Exercises, round);
                }
                catch (Exception e) when (e is NotebookFormatException or IOException or UnauthorizedAccessException)
                {
                    ReportNow(name, e is NotebookFormatException ? e.Message : $"{path}: {e.Message}");
                    summaries.Add(new NotebookSummary(name, 0, 0, clock.Elapsed, 0, "unreadable", false));
                    continue;
                }

                report?.Invoke(name, null);
                await warmUp.ConfigureAwait(false);
                NotebookRunResult result;
                try
                {
                    result = await NotebookRunner.RunAsync(notebook, new NotebookRunOptions
                    {
                        Parameters = settings.Parameters,
                        ContinueOnError = settings.ContinueOnError,
                        CellTimeout = settings.CellTimeout,
                        Packages = packages,
                        Progress = p => report?.Invoke(name, p),
                        OnProcessDeath = (executed, error) =>
                        {
                            // The process is ending (Environment.Exit or an exception on a cell's thread): save what ran.
                            string target = settings.InPlace ? path : Path.Combine(outFolder, "notebooks", name);
                            try { executed.Save(target); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
                            ConsoleCapture.OriginalError.WriteLine($"FAILED {name}: {error.EName}: {error.EValue}");
                            ConsoleCapture.OriginalError.WriteLine($"the executed notebook is in {target}");
                            ConsoleCapture.OriginalError.Flush();
                            if (Environment.ExitCode == 0) Environment.ExitCode = NotebookFailed;
                        },
                    }, cancellation).ConfigureAwait(false);
                }
                catch (NotebookParameterException e)
                {
                    ReportNow(name, e.Message);
                    summaries.Add(new NotebookSummary(name, notebook.Cells.Count(c => c.IsCode), 0, clock.Elapsed, 0, "bad parameter", false));
                    continue;
                }

                string stem = Path.GetFileNameWithoutExtension(name);
                try
                {
                    notebook.Save(settings.InPlace ? path : Path.Combine(outFolder, "notebooks", name));
                    WriteFigures(Path.Combine(outFolder, "figures", stem), stem, result.Figures);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    failures.Add((name, [$"cannot write outputs of {path}: {e.Message}"]));
                    summaries.Add(new NotebookSummary(name, result.CodeCells, result.CellsRun, clock.Elapsed, result.Figures.Count, "unwritable", false));
                    continue;
                }
                if (result.FirstError is { } error) failures.Add((name, error.Traceback));
                var exerciseProblems = ExerciseRuns.Problems(notebook, answers, ExerciseCatalog.ForNotebook(path)?.Path ?? "");
                if (exerciseProblems.Count > 0) failures.Add((name, exerciseProblems));
                bool succeeded = result.Succeeded && exerciseProblems.Count == 0;
                string status = !result.Succeeded ? result.FirstError?.EName ?? "failed" : succeeded ? "ok" : "exercise checks";
                summaries.Add(new NotebookSummary(name, result.CodeCells, result.CellsRun, clock.Elapsed, result.Figures.Count, status, succeeded));
                if (!interactive)
                    console.WriteLine($"{(succeeded ? "ok" : "FAILED")} {name}: {result.CellsRun}/{result.CodeCells} code cells, {clock.Elapsed.TotalSeconds:0.0} s, {result.Figures.Count} figure(s)"
                        + (answers.Count > 0 ? $", {answers.Count} exercise(s) {(settings.Exercises == ExerciseMode.Solutions ? "solved" : "with a mistake or solution")}" : ""));
            }
        }

        if (interactive)
        {
            await console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    ProgressTask? task = null;
                    await RunAll((name, progress) =>
                    {
                        if (progress is null) { task?.StopTask(); task = context.AddTask(Markup.Escape(name)); return; }
                        task!.MaxValue = progress.Total;
                        task.Value = progress.Index - 1;
                        task.Description = Markup.Escape($"{name}  cell {progress.Index}/{progress.Total}");
                    }).ConfigureAwait(false);
                    if (task is not null) { task.Value = task.MaxValue; task.StopTask(); }
                }).ConfigureAwait(false);
        }
        else
        {
            await RunAll(null).ConfigureAwait(false);
        }

        foreach (var (name, lines) in failures)
        {
            console.MarkupLineInterpolated($"[red]{name}[/]");
            foreach (string line in lines) console.WriteLine(line);
        }
        var table = new Table().AddColumns("notebook", "cells", "seconds", "figures", "status");
        foreach (var s in summaries)
            table.AddRow(Markup.Escape(s.Name), $"{s.CellsRun}/{s.CodeCells}", s.Elapsed.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture),
                s.Figures.ToString(System.Globalization.CultureInfo.InvariantCulture), s.Succeeded ? "[green]ok[/]" : $"[red]{Markup.Escape(s.Status)}[/]");
        console.Write(table);
        console.WriteLine($"{summaries.Count(s => s.Succeeded)}/{summaries.Count} notebooks succeeded in {startup.Elapsed.TotalSeconds:0.0} s; outputs in {(settings.InPlace ? "the source notebooks" : Path.Combine(outFolder, "notebooks"))}, figures in {Path.Combine(outFolder, "figures")}");
        return summaries.All(s => s.Succeeded) ? Success : NotebookFailed;
    }

    /// <summary>Replaces the notebook's figure folder content with this run's figures, each written atomically.</summary>
    private static void WriteFigures(string folder, string notebookStem, IReadOnlyList<ProducedFigure> figures)
    {
        if (Directory.Exists(folder))
            foreach (string stale in Directory.GetFiles(folder, "cell*-fig*.html")) File.Delete(stale);
        foreach (var figure in figures)
            AtomicFile.WriteAllText(Path.Combine(folder, figure.FileName),
                figure.Figure.ToStandaloneHtml($"{notebookStem}, cell {figure.Location.CellNumber}, figure {figure.IndexInCell}"));
    }
}
