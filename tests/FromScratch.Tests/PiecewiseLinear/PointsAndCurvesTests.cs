using System.Text.Json;

namespace FromScratch.Tests.PiecewiseLinear;

public class PointsAndCurvesTests
{
    private static JsonElement[] Traces(Figure f)
    {
        using var doc = JsonDocument.Parse(f.ToPlotlyJson());
        return doc.RootElement.Clone().GetProperty("data").EnumerateArray().ToArray();
    }

    [Fact]
    public void Points_are_markers_and_curves_are_lines_each_with_its_own_x()
    {
        var figure = Plot.PointsAndCurves(
            [("training days", [1.0, 2, 3], [5.0, 6, 7]), ("validation days", [4.0], [8.0])],
            [("1 piece", [0.0, 10], [6.0, 6])],
            "Fit", "day of year", "°C");
        var traces = Traces(figure);
        Assert.Equal(3, traces.Length);
        Assert.Equal("markers", traces[0].GetProperty("mode").GetString());
        Assert.Equal("validation days", traces[1].GetProperty("name").GetString());
        Assert.Equal([4.0], traces[1].GetProperty("x").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal("lines", traces[2].GetProperty("mode").GetString());
        Assert.Equal([0.0, 10], traces[2].GetProperty("x").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal("Fit", figure.Title);
        Assert.Contains("\"showlegend\":true", figure.ToPlotlyJson());
    }

    [Fact]
    public void A_series_with_mismatched_lengths_is_named_in_the_error()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            Plot.PointsAndCurves([], [("3 pieces", [1.0, 2], [1.0])], "t", "x", "y"));
        Assert.Contains("'3 pieces' has 2 x values but 1 y values", error.Message);
    }

    [Fact]
    public void Nothing_to_draw_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Plot.PointsAndCurves([], [], "t", "x", "y"));
    }
}
