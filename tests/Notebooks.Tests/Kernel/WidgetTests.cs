using System.Text.Json.Nodes;
using FromScratch.Notebooks.Engine;
using static FromScratch.Notebooks.Tests.TestSupport;

namespace FromScratch.Notebooks.Tests.Kernel;

/// <summary>
/// ipywidgets in our kernel (Jupyter/WidgetComms.cs, lib/FromScratch/Widgets/Knob.cs): jupyter_client plays an
/// ipywidgets 8 front end; `run` falls back to a precomputed slider or to the default values with a one-line note.
/// </summary>
public class WidgetTests(TemporaryKernelSpec spec) : IClassFixture<TemporaryKernelSpec>
{
    [SkippableFact]
    public void A_front_end_moves_a_slider_and_receives_the_redrawn_figure_once_for_a_fast_drag()
    {
        LiveLossTests.RequireJupyterClient();
        var result = LiveLossTests.RunScript(spec, "widgets_session.py");
        Console.WriteLine(result.ToJsonString());
        var opened = result["comm_open"]!.AsArray().Select(o => (
            Target: o!["target"]!.GetValue<string>(), Model: o["model"]!.GetValue<string>(),
            Module: o["module"]!.GetValue<string>(), Version: o["version"]!.GetValue<string>())).ToList();
        Assert.All(opened, o => Assert.Equal("jupyter.widget", o.Target));
        Assert.Contains(("jupyter.widget", "FloatLogSliderModel", "@jupyter-widgets/controls", "2.0.0"), opened);
        Assert.Contains(("jupyter.widget", "IntSliderModel", "@jupyter-widgets/controls", "2.0.0"), opened);
        Assert.Contains(("jupyter.widget", "VBoxModel", "@jupyter-widgets/controls", "2.0.0"), opened);
        Assert.Contains(("jupyter.widget", "OutputModel", "@jupyter-widgets/output", "1.0.0"), opened);
        Assert.Contains(("jupyter.widget", "LayoutModel", "@jupyter-widgets/base", "2.0.0"), opened);
        Assert.Equal(["2.1.0"], result["comm_open_versions"]!.AsArray().Select(v => v!.GetValue<string>()));
        // The log slider keeps its value in η and its range in powers of ten, as ipywidgets' FloatLogSlider does.
        var slider = result["slider_state"]!;
        Assert.Equal((0.1, -4.0, 0.0, 10.0), (slider["value"]!.GetValue<double>(), slider["min"]!.GetValue<double>(),
            slider["max"]!.GetValue<double>(), slider["base"]!.GetValue<double>()));
        Assert.False(slider["continuous_update"]!.GetValue<bool>());
        Assert.Single(result["views"]!.AsArray());
        Assert.Equal("η = 0.1", result["first_title"]!.GetValue<string>());
        // comm_info and the control comm's request_states both answer every open model.
        Assert.Equal(opened.Count, result["comm_info_count"]!.GetValue<int>());
        Assert.Equal(opened.Count, result["update_states_count"]!.GetValue<int>());
        // Three values sent at once (a fast drag): the figure is redrawn with the last one, not three times.
        Assert.Equal("η = 0.5", result["redrawn_title"]!.GetValue<string>());
        Assert.Equal(5.0, result["redrawn_y"]!.GetValue<double>(), 9);
        int redraws = result["redraws"]!.GetValue<int>();
        Assert.InRange(redraws, 1, 2);
        Assert.Equal($"{1 + redraws}", result["draws"]!.AsArray().Last()!.GetValue<string>());
    }

    [Fact]
    public async Task Run_falls_back_to_a_precomputed_slider_or_to_the_default_values_with_a_note()
    {
        var (notebook, result) = await RunFixture("knobs.ipynb");
        Assert.True(result.Succeeded, result.FirstError?.EValue);

        var one = Outputs(notebook, 2);
        Assert.Contains("η is a precomputed slider of 5 values", Text(one[0]!["text"]));
        var figure = one.Last()!["data"]![MimeTypes.Plotly]!;
        var steps = figure["layout"]!["sliders"]![0]!["steps"]!.AsArray();
        Assert.Equal(5, steps.Count);
        Assert.Equal(2, figure["layout"]!["sliders"]![0]!["active"]!.GetValue<double>()); // the default 0.1
        Assert.Equal(5, figure["data"]!.AsArray().Count);

        var two = Outputs(notebook, 3);
        Assert.Contains("here: η = 0.1, epochs = 10", Text(two[0]!["text"]));
        Assert.Equal("η = 0.1", two.Last()!["data"]![MimeTypes.Plotly]!["layout"]!["title"]!["text"]!.GetValue<string>());
        Assert.Equal(2, result.Figures.Count);
    }
}
