using System.Text.Json.Nodes;

namespace FromScratch.Tests.Figures;

/// <summary>Knob.Show with no host (a test, `run`, the official kernel): the figure of the default values, or a precomputed slider.</summary>
public class KnobTests
{
    private static Figure Line(double slope) => Plot.Lines([0.0, 1], [("line", [0.0, slope])], $"slope {slope}", "x", "y");

    [Fact]
    public void Without_a_live_host_a_single_precomputed_knob_becomes_a_slider_figure_and_keeps_its_value()
    {
        var slope = Knob.Slider("slope", 0, 10, value: 2, precompute: [1.0, 2, 3, 4, 5]);
        var figure = Knob.Show(() => Line(slope.Value), slope)!;
        var json = JsonNode.Parse(figure.ToPlotlyJson())!;
        var slider = json["layout"]!["sliders"]![0]!;
        Assert.Equal(5, slider["steps"]!.AsArray().Count);
        Assert.Equal(1, slider["active"]!.GetValue<double>()); // the step nearest the knob's value 2
        Assert.Equal(4.0, json["data"]![3]!["y"]![1]!.GetValue<double>());
        Assert.Equal(2, slope.Value); // drawing every step leaves the knob where it was
    }

    [Fact]
    public void Without_a_live_host_several_knobs_draw_their_default_values()
    {
        var slope = Knob.LogSlider("slope", 0.01, 100, value: 3);
        var on = Knob.Checkbox("doubled", true);
        var kind = Knob.Dropdown("kind", ["a", "b"], "b");
        var figure = Knob.Show(() => Line(slope.Value * (on.Checked ? 2 : 1) + kind.Value), slope, on, kind)!;
        Assert.Equal("slope 7", figure.Title);
        Assert.Equal("b", kind.Text);
    }

    [Fact]
    public void Bad_knobs_say_what_is_wrong()
    {
        Assert.Contains("outside 0 … 1", Assert.Throws<ArgumentOutOfRangeException>(() => Knob.Slider("x", 0, 1, value: 2)).Message);
        Assert.Contains("min > 0", Assert.Throws<ArgumentOutOfRangeException>(() => Knob.LogSlider("η", 0, 1, value: 0.1)).Message);
        Assert.Contains("not one of the options", Assert.Throws<ArgumentException>(() => Knob.Dropdown("k", ["a"], "z")).Message);
        var a = Knob.Checkbox("same", true);
        var b = Knob.Checkbox("same", false);
        Assert.Contains("same name", Assert.Throws<ArgumentException>(() => Knob.Show(() => Line(1), a, b)).Message);
    }
}
