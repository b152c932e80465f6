using FromScratch.Notebooks.Export;
using Spectre.Console;

namespace FromScratch.Notebooks.Cli;

/// <summary>The executed notebooks and the plotly.js text that `export` and `site` draw their figures from.</summary>
/// <param name="Notebooks">Every requested notebook's executed copy.</param>
/// <param name="RanOk">False when a notebook had to be run and failed (its copy holds the error).</param>
/// <param name="PlotlyJs">plotly.js, from Plotly.NET's embedded resource.</param>
internal sealed record FigureSources(IReadOnlyList<ExecutedNotebook> Notebooks, bool RanOk, string PlotlyJs)
{
    /// <summary>
    /// The shared start of `export` and `site`: checks that <paramref name="outFolder"/> is writable and
    /// reads plotly.js before anything runs, then runs or reuses the executed copies. Null (after
    /// printing a one-line error) when the output folder or plotly.js is unusable.
    /// </summary>
    public static async Task<FigureSources?> PrepareAsync(IReadOnlyList<string> sources, string outFolder, RepositoryLayout? repo,
        string currentDirectory, IAnsiConsole console, CancellationToken cancellation)
    {
        if (OutputFolder.Problem(outFolder) is { } problem)
        {
            console.MarkupLineInterpolated($"[red]error:[/] cannot write to output folder {outFolder}: {problem}");
            return null;
        }
        string plotlyJs;
        try
        {
            plotlyJs = PlotlyJavaScriptFile.Read(PlotlyJavaScriptFile.DefaultLocation(repo?.Root));
        }
        catch (Exception e) when (e is IOException or InvalidDataException or BadImageFormatException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return null;
        }
        string runOut = repo?.DefaultOut ?? Path.Combine(currentDirectory, "out");
        var (executed, ranOk) = await ExecutedCopies.PrepareAsync(sources, runOut, repo, currentDirectory, console, cancellation).ConfigureAwait(false);
        return new FigureSources(executed, ranOk, plotlyJs);
    }
}
