using FromScratch.Notebooks.Engine;
using static FromScratch.Notebooks.Tests.TestSupport;

namespace FromScratch.Notebooks.Tests;

/// <summary>A Plotly.NET chart built in a cell displays like a course figure (engine: PlotlyNetCharts.cs).</summary>
public class PlotlyNetChartTests
{
    [Fact]
    public async Task A_plotly_net_chart_built_in_a_cell_displays_as_a_figure_with_plotly_js()
    {
        var session = new NotebookSession(new NotebookSessionOptions { NotebookPath = Fixture("api.ipynb"), Packages = LibraryPackages() });
        var outputs = new List<CellOutput>();
        string library = LibraryDll;
        var load = await session.ExecuteAsync($"#r \"{library}\"", new CellLocation(1, 1), outputs.Add);
        Assert.Equal(CellStatus.Ok, load.Status);
        var result = await session.ExecuteAsync(
            // A course figure's chart restyled with Plotly.NET.CSharp: a plain Plotly.NET GenericChart, not a Figure.
            "using Plotly.NET.CSharp;\n" +
            "FromScratch.Plot.Lines([1, 2, 3], [(\"mine\", [1, 4, 9])], \"t\", \"x\", \"y\").Chart\n" +
            "    .WithXAxisStyle<double, double, double>(TitleText: \"k\")",
            new CellLocation(2, 2), outputs.Add);
        Assert.True(result.Status == CellStatus.Ok, string.Join("\n", outputs.OfType<ErrorOutput>().SelectMany(e => e.Traceback)));
        var bundle = Assert.IsType<ResultOutput>(outputs.Last()).Bundle;
        var plotly = bundle.Data[MimeTypes.Plotly];
        Assert.Equal("mine", (string?)plotly["data"]![0]!["name"]);
        Assert.Equal([1.0, 4, 9], plotly["data"]![0]!["y"]!.AsArray().Select(v => (double)v!));
        Assert.Equal("k", (string?)plotly["layout"]!["xaxis"]!["title"]!["text"]);
        string html = bundle.Data[MimeTypes.Html].GetValue<string>();
        Assert.Contains("Plotly.newPlot", html);
        Assert.NotNull(bundle.Figure);
        Assert.False(string.IsNullOrEmpty(bundle.Figure!.PlotlyJavaScript)); // offline: plotly.js from Plotly.NET itself

        // Not a chart: formatted as before.
        Assert.Equal("42", new ValueFormatter("t").Format(42).PlainText);
    }

    [Fact]
    public async Task Plotly_net_chart_functions_and_its_serializer_work_in_a_cell_with_one_copy_of_each_assembly()
    {
        // The script loader once gave FSharp.Core two copies (one per assembly that needed it), and Plotly.NET's
        // first Chart.* call then died in Giraffe.ViewEngine with a MissingMethodException.
        var session = new NotebookSession(new NotebookSessionOptions { NotebookPath = Fixture("api.ipynb"), Packages = LibraryPackages() });
        var outputs = new List<CellOutput>();
        string library = LibraryDll;
        Assert.Equal(CellStatus.Ok, (await session.ExecuteAsync($"#r \"{library}\"", new CellLocation(1, 1), outputs.Add)).Status);
        var result = await session.ExecuteAsync(
            "var chart = Plotly.NET.CSharp.Chart.Point<double, double, string>(new[] { 1.0, 2 }, new[] { 3.0, 4 }, Name: \"p\");\n" +
            "Console.WriteLine(Plotly.NET.GenericChart.toJson(chart).Contains(\"\\\"p\\\"\"));\n" +
            "Console.WriteLine(AppDomain.CurrentDomain.GetAssemblies().Count(a => a.GetName().Name == \"FSharp.Core\"));\n" +
            "chart",
            new CellLocation(2, 2), outputs.Add);
        Assert.True(result.Status == CellStatus.Ok, string.Join("\n", outputs.OfType<ErrorOutput>().SelectMany(e => e.Traceback)));
        Assert.Equal("True\n1\n", string.Concat(outputs.OfType<StreamOutput>().Select(o => o.Text)));
        var plotly = Assert.IsType<ResultOutput>(outputs.Last()).Bundle.Data[MimeTypes.Plotly];
        Assert.Equal([3.0, 4], plotly["data"]![0]!["y"]!.AsArray().Select(v => (double)v!));
    }
}
