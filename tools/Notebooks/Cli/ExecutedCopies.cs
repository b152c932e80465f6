using FromScratch.Notebooks.Export;
using Spectre.Console;

namespace FromScratch.Notebooks.Cli;

/// <summary>
/// Gets executed copies for `export` and `site`: reuses the copy in out/notebooks/ when it is up to date
/// (<see cref="ExecutedNotebooks.StaleReason"/>), runs the notebook (exactly like `run`) when it is not.
/// </summary>
internal static class ExecutedCopies
{
    /// <summary>The notebooks named on the command line, or every notebook in notebooks/ in file-name order; null (after printing why) when there is no way to find them.</summary>
    public static List<string>? Sources(IReadOnlyList<string> requested, RepositoryLayout? repo, string currentDirectory, IAnsiConsole console)
    {
        if (requested.Count > 0)
        {
            var paths = requested.Select(n => Path.GetFullPath(n, currentDirectory)).ToList();
            foreach (string missing in paths.Where(p => !File.Exists(p)))
            {
                console.MarkupLineInterpolated($"[red]error:[/] {missing}: file not found");
                return null;
            }
            return paths;
        }
        if (repo is null)
        {
            console.MarkupLineInterpolated($"[red]error:[/] no notebooks given and no FromScratch.slnx in {currentDirectory} or above it to find notebooks/");
            return null;
        }
        return Directory.Exists(repo.NotebooksFolder)
            ? Directory.GetFiles(repo.NotebooksFolder, "*.ipynb").Order(StringComparer.Ordinal).ToList()
            : [];
    }

    /// <summary>
    /// Runs the stale notebooks with `run` (its progress and summary are printed) and returns every
    /// notebook's executed copy; <c>Succeeded</c> is false when a run failed (its copy holds the error).
    /// </summary>
    public static async Task<(IReadOnlyList<ExecutedNotebook> Notebooks, bool Succeeded)> PrepareAsync(
        IReadOnlyList<string> sources, string runOutFolder, RepositoryLayout? repo, string currentDirectory, IAnsiConsole console, CancellationToken cancellation)
    {
        string? library = repo is null ? null : Path.Combine(repo.Root, "build", "lib", "FromScratch.dll");
        var notebooks = sources.Select(s => new ExecutedNotebook(s, Path.Combine(runOutFolder, "notebooks", Path.GetFileName(s)))).ToList();
        var stale = new List<string>();
        foreach (var notebook in notebooks)
        {
            if (ExecutedNotebooks.StaleReason(notebook.SourcePath, notebook.ExecutedPath, library) is not { } reason)
            {
                console.WriteLine($"up to date: {Path.GetFileName(notebook.ExecutedPath)}");
                continue;
            }
            console.WriteLine($"to run: {Path.GetFileName(notebook.SourcePath)} ({reason})");
            stale.Add(notebook.SourcePath);
        }
        bool succeeded = true;
        if (stale.Count > 0)
        {
            var settings = new RunSettings(stale, new Dictionary<string, string>(), runOutFolder, InPlace: false, ContinueOnError: false, CellTimeout: null, currentDirectory);
            succeeded = await RunCommand.ExecuteAsync(settings, console, cancellation).ConfigureAwait(false) == RunCommand.Success;
        }
        return (notebooks.Where(n => File.Exists(n.ExecutedPath)).ToList(), succeeded);
    }
}
