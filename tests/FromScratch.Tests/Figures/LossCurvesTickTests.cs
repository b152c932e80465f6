using System.Text.Json;

namespace FromScratch.Tests.Figures;

public class LossCurvesTickTests
{
    private static bool HasUnitTicks(FromScratch.Figure figure)
    {
        using var doc = JsonDocument.Parse(figure.ToPlotlyJson());
        var xaxis = doc.RootElement.GetProperty("layout").GetProperty("xaxis");
        return xaxis.TryGetProperty("dtick", out var dtick) && dtick.GetDouble() == 1;
    }

    [Fact]
    public void A_short_loss_curve_ticks_every_whole_step()
    {
        // 4 updates, the last one diverged: the axis must read 1, 2, 3, not 1, 1.5, 2, 2.5, 3.
        var figure = Plot.LossCurves([("linear", [1.6e5, 6e21, 8e71, double.PositiveInfinity])], xTitle: "iteration");
        Assert.True(HasUnitTicks(figure));
    }

    [Fact]
    public void A_long_loss_curve_leaves_the_ticks_to_plotly()
    {
        var figure = Plot.LossCurves([("short", [0.5, 0.4]), ("long", Enumerable.Range(1, 21).Select(i => 1.0 / i).ToArray())]);
        Assert.False(HasUnitTicks(figure));
    }
}
