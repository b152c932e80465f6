using System.CommandLine;
using System.Globalization;
using System.Text;
using FromScratch.Notebooks.Engine;
using FromScratch.Notebooks.Export;
using FromScratch.Notebooks.Format;
using Spectre.Console;

namespace FromScratch.Notebooks.Cli;

/// <summary>What `export` was asked to do.</summary>
internal sealed record ExportSettings(
    IReadOnlyList<string> Notebooks,
    string Format,
    int? Width,
    int? Height,
    double Scale,
    string? Preset,
    string? OutFolder,
    string CurrentDirectory,
    string? Browser = null,
    bool Code = false);

/// <summary>
/// `export [notebooks…] --format png|svg|html [--width W --height H --scale S] [--preset slide] [--out DIR]`:
/// every figure of the notebooks as a file named notebook-cellNN-figK.ext, plus figures.md listing them.
/// `export [notebooks…] --format slides [--code]`: each notebook as an offline slide deck, notebook-slides.html.
/// Executed copies in out/notebooks/ are reused when up to date; otherwise the notebooks are run first.
/// </summary>
internal static class ExportCommand
{
    /// <summary>Default image width in CSS pixels (the width of a figure in a notebook); the height defaults to the figure's own.</summary>
    public const int DefaultWidth = 900, DefaultHeight = 500;

    /// <summary>The `export` verb for Program.cs.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var notebooks = new Argument<string[]>("notebooks") { Description = "Notebooks whose figures to export (default: every notebook in notebooks/)", Arity = ArgumentArity.ZeroOrMore };
        var format = new Option<string>("--format", "-f") { Description = "png, svg, html (every figure) or slides (every notebook as a slide deck)", DefaultValueFactory = _ => "png" };
        format.AcceptOnlyFromAmong("png", "svg", "html", "slides");
        var code = new Option<bool>("--code") { Description = "slides: show the code cells and their text output too" };
        var width = new Option<int?>("--width") { Description = $"Width in CSS pixels (default {DefaultWidth}, slide preset {SlidePreset.Width})" };
        var height = new Option<int?>("--height") { Description = "Height in CSS pixels (default: the figure's own height, slide preset 900)" };
        var scale = new Option<double>("--scale") { Description = "PNG pixel density: the image is width·scale × height·scale pixels", DefaultValueFactory = _ => 1.0 };
        var preset = new Option<string?>("--preset") { Description = "slide: 1600×900, large fonts, thick lines, white background, no modebar, one colour per series across a notebook" };
        preset.AcceptOnlyFromAmong("slide");
        var outFolder = new Option<string?>("--out") { Description = "Output folder (default: out/export in the repository)" };
        var command = new Command("export", "Export every figure of the notebooks as PNG, SVG or HTML files, with a figures.md index")
        {
            notebooks, format, width, height, scale, preset, outFolder, code,
        };
        command.SetAction((parse, cancellation) => ExecuteAsync(new ExportSettings(
            parse.GetValue(notebooks) ?? [], parse.GetValue(format) ?? "png", parse.GetValue(width), parse.GetValue(height),
            parse.GetValue(scale), parse.GetValue(preset), parse.GetValue(outFolder), Environment.CurrentDirectory,
            Code: parse.GetValue(code)), console, cancellation));
        return command;
    }

    /// <summary>Runs the export; exit code 0 when every notebook ran and every figure was written.</summary>
    public static async Task<int> ExecuteAsync(ExportSettings settings, IAnsiConsole console, CancellationToken cancellation = default)
    {
        if (OptionProblem(settings) is { } problem)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {problem}");
            return RunCommand.UsageError;
        }
        var repo = RepositoryLayout.Find(settings.CurrentDirectory);
        if (ExecutedCopies.Sources(settings.Notebooks, repo, settings.CurrentDirectory, console) is not { } sources) return RunCommand.UsageError;
        if (sources.Count == 0)
        {
            console.WriteLine("no notebooks in notebooks/: nothing to export");
            return RunCommand.Success;
        }
        string outFolder = Path.GetFullPath(settings.OutFolder ?? (repo is null ? "out/export" : Path.Combine(repo.DefaultOut, "export")), settings.CurrentDirectory);
        if (await FigureSources.PrepareAsync(sources, outFolder, repo, settings.CurrentDirectory, console, cancellation).ConfigureAwait(false)
            is not { } prepared)
            return RunCommand.UsageError;
        var (executed, ranOk, plotlyJs) = prepared;

        if (settings.Format == "slides")
        {
            foreach (var notebook in executed)
            {
                var document = notebook.Load();
                string deck = Path.Combine(outFolder, $"{notebook.Stem}-slides.html");
                var (slides, figureCount) = Site.SlideDeck.Write(document, Site.SiteBuilder.TitleOf(document) ?? notebook.Stem, deck, plotlyJs, settings.Code);
                console.WriteLine($"{deck}: {slides} slides, {figureCount} figure(s)");
            }
            console.WriteLine($"{executed.Count} deck(s) written to {outFolder}; open one in a browser (S: speaker notes, F: full screen)");
            return ranOk ? RunCommand.Success : RunCommand.NotebookFailed;
        }

        // Collect every figure, styled and sized.
        var figures = new List<(NotebookFigure Figure, FigureImageRequest Request)>();
        var format = settings.Format switch { "svg" => ImageFormat.Svg, _ => ImageFormat.Png };
        foreach (var notebook in executed)
        {
            var preset = settings.Preset == "slide" ? new SlidePreset() : null;
            foreach (var figure in NotebookFigures.Read(notebook.Load(), notebook.Stem))
            {
                int height = settings.Height ?? (preset is not null ? SlidePreset.Height : NotebookFigures.HeightOf(figure.Figure, DefaultHeight));
                int width = settings.Width ?? (preset is not null ? SlidePreset.Width : DefaultWidth);
                preset?.Apply(figure.Figure);
                figures.Add((figure, new FigureImageRequest(figure.Figure.ToJsonString(), format, width, height, settings.Scale)));
            }
            RemoveStaleFiles(outFolder, notebook.Stem, settings.Format);
        }

        string extension = settings.Format;
        try
        {
            if (settings.Format == "html")
            {
                foreach (var (figure, request) in figures)
                {
                    string title = $"{figure.Title} ({figure.Notebook}, cell {figure.CellNumber}, figure {figure.IndexInCell})";
                    AtomicFile.WriteAllText(Path.Combine(outFolder, figure.FileName(extension)), new FigureData(request.PlotlyJson, plotlyJs).ToStandaloneHtml(title));
                }
            }
            else if (figures.Count > 0)
            {
                var files = figures.Select(f => (f.Request, Path.Combine(outFolder, f.Figure.FileName(extension)))).ToList();
                await FigureExport.SaveAsync(files, plotlyJs, settings.Browser, cancellation).ConfigureAwait(false);
            }
        }
        catch (BrowserNotFoundException e)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message} `export --format html` needs no browser.");
            return RunCommand.NotebookFailed;
        }
        catch (BrowserException e)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return RunCommand.NotebookFailed;
        }

        AtomicFile.WriteAllText(Path.Combine(outFolder, "figures.md"), Index(figures.Select(f => f.Figure).ToList(), extension, settings));
        console.WriteLine($"{figures.Count} figure(s) from {executed.Count} notebook(s) written to {outFolder} as {extension}; index: {Path.Combine(outFolder, "figures.md")}");
        return ranOk ? RunCommand.Success : RunCommand.NotebookFailed;
    }

    /// <summary>The figures.md index: one table row per figure with notebook, cell, title and file.</summary>
    internal static string Index(IReadOnlyList<NotebookFigure> figures, string extension, ExportSettings settings)
    {
        var text = new StringBuilder("# Figures\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Exported as {extension}")
            .Append(settings.Preset is { } p ? $" with the {p} preset" : "")
            .Append(".\n\n");
        if (figures.Count == 0) return text.Append("No figures.\n").ToString();
        text.Append("| notebook | cell | title | file |\n|---|---:|---|---|\n");
        foreach (var f in figures)
            text.Append(CultureInfo.InvariantCulture, $"| {Cell(f.Notebook)} | {f.CellNumber} | {Cell(f.Title)} | [{f.FileName(extension)}]({f.FileName(extension)}) |\n");
        return text.ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string? OptionProblem(ExportSettings s)
    {
        if (s.Format is not ("png" or "svg" or "html" or "slides")) return $"--format {s.Format}: expected png, svg, html or slides";
        if (s.Code && s.Format != "slides") return "--code goes with --format slides";
        if (s.Width is { } w && (w < 10 || w > FigureExport.MaxSize)) return $"--width {w}: must be 10…{FigureExport.MaxSize} pixels";
        if (s.Height is { } h && (h < 10 || h > FigureExport.MaxSize)) return $"--height {h}: must be 10…{FigureExport.MaxSize} pixels";
        if (!double.IsFinite(s.Scale) || s.Scale <= 0 || s.Scale > 10) return $"--scale {s.Scale.ToString(CultureInfo.InvariantCulture)}: must be in (0, 10]";
        if (s.Preset is not (null or "slide")) return $"--preset {s.Preset}: the only preset is 'slide'";
        return null;
    }

    private static void RemoveStaleFiles(string folder, string stem, string extension)
    {
        foreach (string stale in Directory.GetFiles(folder, $"{stem}-cell*-fig*.{extension}"))
            File.Delete(stale);
    }
}
