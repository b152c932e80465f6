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
    public void Chart_gives_a_fresh_plotly_net_chart_with_the_same_traces()
    {
        var figure = Sample();
        GenericChart chart = figure.Chart;
        Assert.Equal(2, GenericChart.countTrace(chart));
        Assert.NotSame(chart, figure.Chart);
        string json = GenericChart.toFigureJson(chart);
        Assert.Contains("\"Squares\"", json);
        Assert.Contains("value (m²)", json);
    }

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
