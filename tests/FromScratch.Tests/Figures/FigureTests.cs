using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using Plotly.NET;

namespace FromScratch.Tests.Figures;

public class FigureTests
{
    private static JsonElement Json(FromScratch.Figure figure)
    {
        using var doc = JsonDocument.Parse(figure.ToPlotlyJson());
        return doc.RootElement.Clone();
    }

    private static JsonElement[] Traces(FromScratch.Figure figure) => Json(figure).GetProperty("data").EnumerateArray().ToArray();

    private static string Title(JsonElement json) => json.GetProperty("layout").GetProperty("title").GetProperty("text").GetString()!;

    private static string AxisTitle(JsonElement json, string axis) =>
        json.GetProperty("layout").GetProperty(axis).GetProperty("title").GetProperty("text").GetString()!;

    private static double?[] Numbers(JsonElement array) =>
        array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? (double?)null : e.GetDouble()).ToArray();

    private static FromScratch.Figure Sample() =>
        Plot.Lines([1, 2, 3], [("a", [1, 4, 9]), ("b", [1, 2, 3])], "Squares", "n", "value (m²)");

    [Fact]
    public void Plotly_json_is_a_figure_with_data_layout_title_and_axis_titles()
    {
        var json = Json(Sample());
        Assert.Equal(["data", "layout"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(2, json.GetProperty("data").GetArrayLength());
        Assert.Equal("Squares", Title(json));
        Assert.Equal("n", AxisTitle(json, "xaxis"));
        Assert.Equal("value (m²)", AxisTitle(json, "yaxis"));
        Assert.True(json.GetProperty("layout").GetProperty("showlegend").GetBoolean());
        Assert.Equal([1.0, 4, 9], Numbers(json.GetProperty("data")[0].GetProperty("y")));
    }

    [Fact]
    public void A_single_series_has_no_legend()
    {
        var figure = Plot.Lines([1, 2], [("a", [1, 2])], "One", "x", "y");
        Assert.False(Json(figure).GetProperty("layout").GetProperty("showlegend").GetBoolean());
    }

    [Fact]
    public void Html_embeds_plotly_js_and_loads_nothing_from_the_network()
    {
        string html = Sample().ToHtml();
        Assert.Contains(FromScratch.Figure.PlotlyJavaScript, html);
        // Outside the library itself (whose comments and error texts mention web addresses) nothing refers to the web.
        string ours = html.Replace(FromScratch.Figure.PlotlyJavaScript, "");
        Assert.DoesNotContain("http", ours, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", ours, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script src", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("cdn", ours, StringComparison.OrdinalIgnoreCase); // (plotly.js itself names a CDN only for geo maps, which we never draw)
        Assert.Contains(FromScratch.Figure.PlotlyJavaScript, html);
        Assert.Contains("plotly.js v2.28.0", FromScratch.Figure.PlotlyJavaScript);
        Assert.True(FromScratch.Figure.PlotlyJavaScript.Length > 1_000_000);

        Assert.Contains("\"Squares\"", html);
        // plotly.js must set window.Plotly even where require.js defines an AMD `define` (classic Jupyter).
        Assert.Contains("(function (define, module, exports) {", html);
    }

    [Fact]
    public void Every_html_fragment_gets_its_own_div_id()
    {
        var figure = Sample();
        static string Id(string html) => html[(html.IndexOf("id=\"", StringComparison.Ordinal) + 4)..].Split('"')[0];
        Assert.NotEqual(Id(figure.ToHtml()), Id(figure.ToHtml()));
    }

    [Fact]
    public void Html_content_writes_the_fragment_and_ToString_describes_the_figure()
    {
        var figure = Sample();
        var writer = new StringWriter();
        figure.WriteTo(writer, System.Text.Encodings.Web.HtmlEncoder.Default);
        Assert.Contains("Plotly.newPlot(", writer.ToString());
        Assert.Equal("Figure: Squares (2 traces)", figure.ToString());
        Assert.Equal("Squares", figure.Title);
    }

    [Fact]
    public void A_figure_is_a_plotly_net_chart_and_converts_both_ways()
    {
        var figure = Sample();
        GenericChart chart = figure;                      // implicit: the figure's own Plotly.NET chart
        Assert.Same(figure.Chart, chart);
        Assert.Equal(2, GenericChart.countTrace(chart));
        string json = GenericChart.toFigureJson(chart);
        Assert.Contains("\"Squares\"", json);
        Assert.Contains("value (m²)", json);
        // The course's axes are Plotly.NET axis objects, so Plotly.NET's own style functions merge into them.
        var layout = GenericChart.getLayout(chart);
        Assert.IsType<Plotly.NET.LayoutObjects.LinearAxis>(layout.GetPropertyValue("xaxis"));

        // Any chart a learner builds is a figure too: it displays, saves and combines like the course's.
        Figure own = Plotly.NET.CSharp.Chart.Point<double, double, string>(x: [1.0, 2, 3], y: [2.0, 4, 8], Name: "mine");
        Assert.Equal(1, own.TraceCount);
        Assert.Contains("\"mine\"", own.ToPlotlyJson());
        Assert.Equal("Figure", own.Title);
        Assert.Equal("Named", new Figure(own.Chart, "Named").Title);
    }

    [Fact]
    public void Fluent_helpers_restyle_a_copy_through_plotly_net()
    {
        var figure = Sample();
        string before = figure.ToPlotlyJson();
        var restyled = figure.WithTitle("Cubes").WithXAxis("k", logScale: true).WithYAxis(range: (0, 10)).WithColors("orange");
        Assert.Equal(before, figure.ToPlotlyJson());      // the original is untouched
        var json = System.Text.Json.Nodes.JsonNode.Parse(restyled.ToPlotlyJson())!;
        Assert.Equal("Cubes", (string?)json["layout"]!["title"]!["text"]);
        Assert.Equal(0.5, (double)json["layout"]!["title"]!["x"]!);           // the course's centred title is kept
        Assert.Equal("k", (string?)json["layout"]!["xaxis"]!["title"]!["text"]);
        Assert.Equal("log", (string?)json["layout"]!["xaxis"]!["type"]);
        Assert.Equal("#444", (string?)json["layout"]!["xaxis"]!["linecolor"]);   // the rest of the axis stays
        Assert.Equal("value (m²)", (string?)json["layout"]!["yaxis"]!["title"]!["text"]);
        Assert.Equal([0.0, 10.0], json["layout"]!["yaxis"]!["range"]!.AsArray().Select(v => (double)v!));
        Assert.All(json["data"]!.AsArray(), t => Assert.Equal("orange", (string?)t!["line"]!["color"]));
        Assert.Equal("Cubes", restyled.Title);
        var sized = figure.WithSize(640, 480);
        Assert.Equal(480, (int)JsonNodeOf(sized)["layout"]!["height"]!);

        var both = figure.Combine(Plot.Lines([1, 2, 3], [("c", [1, 8, 27])], "Cubes", "n", "n³"));
        Assert.Equal(3, both.TraceCount);
        Assert.Equal("Squares", both.Title);
        Assert.Equal(2, figure.TraceCount);
        Assert.Throws<ArgumentException>(() => figure.WithColors());
    }

    private static System.Text.Json.Nodes.JsonNode JsonNodeOf(Figure figure) =>
        System.Text.Json.Nodes.JsonNode.Parse(figure.ToPlotlyJson())!;

    [Fact]
    public void SaveHtml_writes_a_complete_offline_page()
    {
        string dir = Directory.CreateTempSubdirectory("figure-test-").FullName;
        try
        {
            string path = Path.Combine(dir, "squares.html");
            Sample().SaveHtml(path);
            string page = File.ReadAllText(path);
            Assert.StartsWith("<!DOCTYPE html>", page);
            Assert.Contains("<title>Squares</title>", page);
            Assert.Contains(FromScratch.Figure.PlotlyJavaScript, page);
            Assert.EndsWith("</html>\n", page);
            Assert.Equal(["squares.html"], Directory.GetFiles(dir).Select(Path.GetFileName));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void SaveHtml_leaves_no_partial_file_when_it_fails()
    {
        string dir = Directory.CreateTempSubdirectory("figure-test-").FullName;
        try
        {
            // The target is a folder, so the final rename fails after the temporary file was written.
            string target = Path.Combine(dir, "taken.html");
            Directory.CreateDirectory(target);
            Assert.ThrowsAny<IOException>(() => Sample().SaveHtml(target));
            Assert.Empty(Directory.GetFiles(dir));

            var missing = Assert.Throws<DirectoryNotFoundException>(() => Sample().SaveHtml(Path.Combine(dir, "no", "x.html")));
            Assert.Contains(Path.Combine(dir, "no"), missing.Message);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void SaveHtml_replaces_an_existing_file()
    {
        string dir = Directory.CreateTempSubdirectory("figure-test-").FullName;
        try
        {
            string path = Path.Combine(dir, "f.html");
            File.WriteAllText(path, "old");
            Sample().SaveHtml(path);
            Assert.Contains("Squares", File.ReadAllText(path));
            Assert.Single(Directory.GetFiles(dir));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
