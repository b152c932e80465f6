using System.CommandLine;
using FromScratch.Notebooks.Export;
using FromScratch.Notebooks.Site;
using Spectre.Console;

namespace FromScratch.Notebooks.Cli;

/// <summary>
/// `site [notebooks…] [--out out/site]`: the executed course as a static offline site (runs notebooks whose
/// executed copy is missing or stale first). Exit code 0 when every notebook ran and the site was written.
/// </summary>
internal static class SiteCommand
{
    /// <summary>The `site` verb for Program.cs.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var notebooks = new Argument<string[]>("notebooks") { Description = "Notebooks to include (default: every notebook in notebooks/)", Arity = ArgumentArity.ZeroOrMore };
        var outFolder = new Option<string?>("--out") { Description = "Output folder (default: out/site in the repository)" };
        var command = new Command("site", "Render every executed notebook into a static, offline site: index, one page per lesson, interactive figures")
        {
            notebooks, outFolder,
        };
        command.SetAction((parse, cancellation) =>
            ExecuteAsync(parse.GetValue(notebooks) ?? [], parse.GetValue(outFolder), Environment.CurrentDirectory, console, cancellation));
        return command;
    }

    /// <summary>Builds the site.</summary>
    public static async Task<int> ExecuteAsync(IReadOnlyList<string> requested, string? outOption, string currentDirectory, IAnsiConsole console, CancellationToken cancellation = default)
    {
        var repo = RepositoryLayout.Find(currentDirectory);
        if (ExecutedCopies.Sources(requested, repo, currentDirectory, console) is not { } sources) return RunCommand.UsageError;
        string outFolder = Path.GetFullPath(outOption ?? (repo is null ? "out/site" : Path.Combine(repo.DefaultOut, "site")), currentDirectory);
        if (await FigureSources.PrepareAsync(sources, outFolder, repo, currentDirectory, console, cancellation).ConfigureAwait(false)
            is not { } prepared)
            return RunCommand.UsageError;
        var (executed, ranOk, plotlyJs) = prepared;
        SiteResult result;
        try
        {
            result = SiteBuilder.Build(executed, outFolder, plotlyJs);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Format.NotebookFormatException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] cannot build the site in {outFolder}: {e.Message}");
            return RunCommand.NotebookFailed;
        }
        console.WriteLine($"site: {result.Pages.Count - 1} lesson page(s), {result.Figures} figure(s) in {outFolder}; open {Path.Combine(outFolder, "index.html")}");
        return ranOk ? RunCommand.Success : RunCommand.NotebookFailed;
    }
}
