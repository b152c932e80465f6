using System.Text.Json.Nodes;
using System.Xml.Linq;
using FromScratch.Notebooks.Engine;
using FromScratch.Notebooks.Export;
using FromScratch.Notebooks.Format;
using FromScratch.Tests.Figures;

namespace FromScratch.Notebooks.Tests.Export;

/// <summary>The temp course exported once in every format (the notebooks run on the first export only).</summary>
public sealed class ExportedCourse : IAsyncLifetime
{
    public TempCourse Course { get; } = new();
    public Dictionary<string, (int ExitCode, string Log)> Runs { get; } = [];
    public DateTime ExecutedTimeAfterFirstExport { get; private set; }
    public bool HasBrowser { get; } = FromScratch.BrowserLocator.TryFind(out _) is not null;

    public async Task InitializeAsync()
    {
        Runs["html"] = await Course.Export("html", "html");
        ExecutedTimeAfterFirstExport = File.GetLastWriteTimeUtc(Path.Combine(Course.Out, "notebooks", "01-optimizers.ipynb"));
        if (!HasBrowser) return;
        Runs["png"] = await Course.Export("png", "png", width: 600, height: 400, scale: 2);
        Runs["svg"] = await Course.Export("svg", "svg", width: 640, height: 480);
        Runs["slide"] = await Course.Export("png", "slide", preset: "slide");
    }

    public Task DisposeAsync()
    {
        Course.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Every figure of the executed copies: (file stem, plotly JSON).</summary>
    public IReadOnlyList<(string Stem, JsonObject Figure)> Figures() =>
        Directory.GetFiles(Path.Combine(Course.Out, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal)
            .SelectMany(p => NotebookFigures.Read(NotebookDocument.Load(p), Path.GetFileNameWithoutExtension(p)))
            .Select(f => (f.FileName("x")[..^2], f.Figure)).ToList();
}

public class ExportTests(ExportedCourse exported) : IClassFixture<ExportedCourse>
{
    private string Folder(string name) => Path.Combine(exported.Course.Out, name);

    private (int ExitCode, string Log) Run(string name)
    {
        Assert.True(exported.Runs.ContainsKey(name), $"export {name} did not run");
        var run = exported.Runs[name];
        Assert.True(run.ExitCode == 0, $"export {name} exited {run.ExitCode}:\n{run.Log}");
        return run;
    }

    [Fact]
    public void Every_notebook_figure_is_found_with_its_cell_and_index()
    {
        Run("html");
        var names = exported.Figures().Select(f => f.Stem).ToList();
        // 01: cell 3 one result figure; cell 5 two displayed figures; cell 6 a chart of Plotly.NET's own API (the PNG
        // and SVG tests below export it like the others). 03-fake: cell 2 one display + one result.
        Assert.Equal(["01-optimizers-cell03-fig1", "01-optimizers-cell05-fig1", "01-optimizers-cell05-fig2", "01-optimizers-cell06-fig1",
            "03-fake-cell02-fig1", "03-fake-cell02-fig2"], names);
    }

    [Fact]
    public void Html_export_writes_offline_pages_and_an_index_without_a_browser()
    {
        Run("html");
        var figures = exported.Figures();
        foreach (var (stem, figure) in figures)
        {
            string html = File.ReadAllText(Path.Combine(Folder("html"), stem + ".html"));
            Assert.Contains(NotebookFigures.TitleOf(figure), html);
            Assert.Contains("Plotly.newPlot", html);
            Assert.Contains("plotly.js v", html); // plotly.js inline, from the library's Plotly.NET
            Assert.DoesNotMatch(@"<script[^>]+src=", html);
        }
        string index = File.ReadAllText(Path.Combine(Folder("html"), "figures.md"));
        Assert.Contains("| notebook | cell | title | file |", index);
        Assert.Contains("| 01-optimizers | 5 | Adam first | [01-optimizers-cell05-fig1.html](01-optimizers-cell05-fig1.html) |", index);
        Assert.Contains("| 01-optimizers | 5 | Bars | [01-optimizers-cell05-fig2.html](01-optimizers-cell05-fig2.html) |", index);
        Assert.Contains("| 03-fake | 2 | squares |", index);
        Assert.Equal(figures.Count, index.Split('\n').Count(l => l.StartsWith("| 0", StringComparison.Ordinal)));
    }

    [SkippableFact]
    public void Up_to_date_executed_copies_are_reused_not_run_again()
    {
        Assert.Contains("to run: 01-optimizers.ipynb (not run yet)", exported.Runs["html"].Log);
        Skip.IfNot(exported.HasBrowser, "the later exports need a browser");
        foreach (string name in new[] { "png", "svg", "slide" })
        {
            Assert.Contains("up to date: 01-optimizers.ipynb", Run(name).Log);
            Assert.DoesNotContain("to run:", exported.Runs[name].Log);
        }
        Assert.Equal(exported.ExecutedTimeAfterFirstExport, File.GetLastWriteTimeUtc(Path.Combine(exported.Course.Out, "notebooks", "01-optimizers.ipynb")));
    }

    [SkippableFact]
    public void Png_export_has_width_scale_by_height_scale_pixels_and_is_not_blank()
    {
        Browser.Require();
        Run("png");
        foreach (var (stem, _) in exported.Figures())
        {
            byte[] bytes = File.ReadAllBytes(Path.Combine(Folder("png"), stem + ".png"));
            Assert.Equal((1200, 800), PngImage.ReadSize(bytes));
            var image = PngImage.Decode(bytes);
            Assert.True(image.GreyVariance() > 50, $"{stem}.png: grey variance {image.GreyVariance():0.0}, nearly blank");
        }
        // The library's loss curves are drawn in the palette's first two colours.
        var curves = PngImage.Decode(File.ReadAllBytes(Path.Combine(Folder("png"), "01-optimizers-cell03-fig1.png")));
        Assert.True(curves.CountColor("#1f77b4") > 300 && curves.CountColor("#d62728") > 300, "both runs' lines should be drawn");
    }

    [SkippableFact]
    public void Svg_export_parses_and_holds_one_trace_group_per_trace()
    {
        Browser.Require();
        Run("svg");
        foreach (var (stem, figure) in exported.Figures())
        {
            var svg = XDocument.Load(Path.Combine(Folder("svg"), stem + ".svg"));
            Assert.Equal("640", (string?)svg.Root!.Attribute("width"));
            Assert.Equal("480", (string?)svg.Root.Attribute("height"));
            int traces = svg.Descendants().Count(e => e.Name.LocalName == "g" && ((string?)e.Attribute("class"))?.Split(' ').Contains("trace") == true);
            Assert.True(figure["data"]!.AsArray().Count == traces, $"{stem}.svg: {traces} trace groups for {figure["data"]!.AsArray().Count} traces");
        }
    }

    [SkippableFact]
    public void Slide_preset_exports_1600_by_900()
    {
        Browser.Require();
        Run("slide");
        foreach (var (stem, _) in exported.Figures())
            Assert.Equal((1600, 900), PngImage.ReadSize(File.ReadAllBytes(Path.Combine(Folder("slide"), stem + ".png"))));
        Assert.Contains("with the slide preset", File.ReadAllText(Path.Combine(Folder("slide"), "figures.md")));
    }

    [Fact]
    public void Slide_preset_enlarges_fonts_thickens_lines_hides_the_modebar_and_keeps_series_colours()
    {
        var preset = new SlidePreset();
        var first = Curves(("SGD", "#1f77b4"), ("Adam", "#d62728"));
        var second = Curves(("Adam (diverged at epoch 3: NaN)", "#1f77b4"), ("RMSprop", "#d62728"));
        preset.Apply(first);
        preset.Apply(second);
        string Color(JsonObject f, int i) => (string)f["data"]![i]!["line"]!["color"]!;
        Assert.Equal(Color(first, 1), Color(second, 0)); // Adam keeps its colour
        Assert.NotEqual(Color(second, 0), Color(second, 1));
        Assert.NotEqual(Color(first, 0), Color(second, 1)); // RMSprop gets a colour of its own
        Assert.Equal(4.0, (double)second["data"]![0]!["line"]!["width"]!);
        Assert.Equal(24, (int)first["layout"]!["font"]!["size"]!);
        Assert.Equal(36, (int)first["layout"]!["title"]!["font"]!["size"]!);
        Assert.Equal("#ffffff", (string)first["layout"]!["paper_bgcolor"]!);
        Assert.Equal("#ffffff", (string)first["layout"]!["plot_bgcolor"]!);
        Assert.False((bool)first["config"]!["displayModeBar"]!);
        Assert.Null(first["layout"]!["height"]);
    }

    [Fact]
    public void Slide_preset_leaves_colour_maps_alone()
    {
        var figure = Curves(("F (50)", "#1f77b4"));
        figure["data"]!.AsArray().Add(new JsonObject { ["type"] = "heatmap", ["colorscale"] = "Viridis", ["z"] = new JsonArray(new JsonArray(1, 2)) });
        var preset = new SlidePreset();
        preset.Apply(Curves(("G", "#ff0000"))); // takes the first palette colour
        preset.Apply(figure);
        Assert.Equal("#1f77b4", (string)figure["data"]![0]!["line"]!["color"]!);
    }

    [Theory]
    [InlineData("SGD (diverged at epoch 5: NaN)", "SGD")]
    [InlineData("SGD: diverged", "SGD")]
    [InlineData("F (50)", "F")]
    [InlineData("Adam", "Adam")]
    public void Series_names_ignore_counts_and_divergence_notes(string name, string series) =>
        Assert.Equal(series, SlidePreset.SeriesName(name));

    [Fact]
    public void Executed_copy_is_stale_when_missing_older_than_source_or_library_or_failed()
    {
        string folder = TestSupport.TempFolder();
        string source = Path.Combine(folder, "a.ipynb"), executed = Path.Combine(folder, "executed.ipynb"), library = Path.Combine(folder, "lib.dll");
        var notebook = NotebookDocument.Parse("""{"cells":[{"cell_type":"code","source":"1","metadata":{},"outputs":[],"execution_count":1}],"metadata":{},"nbformat":4,"nbformat_minor":5}""", source);
        notebook.Save(source);
        File.WriteAllText(library, "");
        Assert.Equal("not run yet", ExecutedNotebooks.StaleReason(source, executed, library));
        notebook.Save(executed);
        var now = DateTime.UtcNow;
        File.SetLastWriteTimeUtc(source, now.AddMinutes(-2));
        File.SetLastWriteTimeUtc(library, now.AddMinutes(-2));
        File.SetLastWriteTimeUtc(executed, now.AddMinutes(-1));
        Assert.Null(ExecutedNotebooks.StaleReason(source, executed, library));
        File.SetLastWriteTimeUtc(source, now);
        Assert.Equal("source changed since the last run", ExecutedNotebooks.StaleReason(source, executed, library));
        File.SetLastWriteTimeUtc(source, now.AddMinutes(-2));
        File.SetLastWriteTimeUtc(library, now);
        Assert.Equal("library rebuilt since the last run", ExecutedNotebooks.StaleReason(source, executed, library));
        File.SetLastWriteTimeUtc(library, now.AddMinutes(-2));
        notebook.Cells[0].SetOutputs(new JsonArray(new JsonObject { ["output_type"] = "error", ["ename"] = "E", ["evalue"] = "v", ["traceback"] = new JsonArray() }), 1);
        notebook.Save(executed);
        File.SetLastWriteTimeUtc(executed, now.AddMinutes(-1));
        Assert.Equal("the last run failed", ExecutedNotebooks.StaleReason(source, executed, library));
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Bad_options_are_usage_errors_naming_the_value()
    {
        var console = TempCourse.Console(out var log);
        int exit = await Cli.ExportCommand.ExecuteAsync(new Cli.ExportSettings([], "png", 5, null, 1, null, null, exported.Course.Root), console);
        Assert.Equal(Cli.RunCommand.UsageError, exit);
        Assert.Contains("--width 5", log.ToString());
        exit = await Cli.ExportCommand.ExecuteAsync(new Cli.ExportSettings([], "png", null, null, 0, null, null, exported.Course.Root), console);
        Assert.Equal(Cli.RunCommand.UsageError, exit);
        Assert.Contains("--scale 0", log.ToString());
    }

    [Fact]
    public void Plotly_js_is_read_from_the_library_build()
    {
        string js = PlotlyJavaScriptFile.Read(Path.Combine(TestSupport.RepoRoot, "build", "lib", "Plotly.NET.dll"));
        Assert.StartsWith("/**", js.TrimStart());
        Assert.Contains("plotly.js v2.", js);
        Assert.Contains("plotly-", Assert.Throws<InvalidDataException>(() => PlotlyJavaScriptFile.Read(Path.Combine(TestSupport.RepoRoot, "build", "lib", "FromScratch.dll"))).Message);
    }

    private static JsonObject Curves(params (string Name, string Color)[] runs) => new()
    {
        ["data"] = new JsonArray(runs.Select(r => (JsonNode)new JsonObject
        {
            ["type"] = "scatter", ["mode"] = "lines", ["name"] = r.Name,
            ["x"] = new JsonArray(1, 2), ["y"] = new JsonArray(2, 1),
            ["line"] = new JsonObject { ["color"] = r.Color, ["width"] = 2 },
            ["marker"] = new JsonObject { ["color"] = r.Color, ["size"] = 6 },
        }).ToArray()),
        ["layout"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "t" }, ["height"] = 500, ["font"] = new JsonObject { ["size"] = 14 } },
    };
}
