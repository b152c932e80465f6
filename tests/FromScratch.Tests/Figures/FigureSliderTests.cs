using System.Text.Json.Nodes;
using Plotly.NET;
using Plotly.NET.LayoutObjects;

namespace FromScratch.Tests.Figures;

/// <summary>Figure.Slider: the plotly layout it writes, and the slider moved by a mouse in headless Chromium.</summary>
public class FigureSliderTests
{
    private static readonly double[] Rates = [0.001, 0.01, 0.1, 0.5, 1.0];

    // A stand-in for "train with η and plot the loss": a curve that falls faster for a larger η.
    private static Figure Curve(double η) =>
        Plot.LossCurves([("run", Enumerable.Range(0, 10).Select(i => Math.Exp(-η * i)).ToArray())]);

    private static JsonObject Json(Figure figure) => JsonNode.Parse(figure.ToPlotlyJson())!.AsObject();

    private static bool[] Visible(JsonNode? array) => array!.AsArray().Select(v => v!.GetValue<bool>()).ToArray();

    [Fact]
    public void One_step_per_value_each_showing_only_its_own_traces_with_the_value_in_the_title()
    {
        var json = Json(Figure.Slider("η", Rates, Curve, initial: 2));
        var data = json["data"]!.AsArray();
        Assert.Equal(5, data.Count);
        var slider = json["layout"]!["sliders"]![0]!;
        Assert.Equal(2, slider["active"]!.GetValue<double>());
        Assert.Equal("η = ", (string?)slider["currentvalue"]!["prefix"]);
        var steps = slider["steps"]!.AsArray();
        Assert.Equal(["0.001", "0.01", "0.1", "0.5", "1"], steps.Select(s => (string?)s!["label"]));
        for (int s = 0; s < steps.Count; s++)
        {
            Assert.Equal("update", (string?)steps[s]!["method"]);
            bool[] visible = Visible(steps[s]!["args"]![0]!["visible"]);
            Assert.Equal(Enumerable.Range(0, 5).Select(t => t == s), visible);
            Assert.Equal($"Loss (η = {steps[s]!["label"]})", (string?)steps[s]!["args"]![1]!["title.text"]);
        }
        // The figure as drawn first (and exported to PNG/SVG) is the initial step.
        Assert.Equal([false, false, true, false, false], data.Select(t => t!["visible"]!.GetValue<bool>()));
        Assert.Equal("Loss (η = 0.1)", (string?)json["layout"]!["title"]!["text"]);
        // Step k's trace holds the curve of Rates[k].
        Assert.Equal(Math.Exp(-0.5), data[3]!["y"]![1]!.GetValue<double>(), 12);
    }

    [Fact]
    public void Traces_equal_in_every_step_are_stored_once_and_always_visible()
    {
        var surface = Plot.Lines([0.0, 1, 2], [("surface", [3.0, 3, 3])], "path", "x", "y");
        Figure Draw(int n) => surface.Combine(Plot.Lines([0.0, 1, 2], [("path", [0.0, n, 2.0 * n])], "path", "x", "y"));
        var json = Json(Figure.Slider("n", [1, 2, 3, 4, 5], Draw));
        var data = json["data"]!.AsArray();
        Assert.Equal(6, data.Count); // 1 shared + 5 own
        var steps = json["layout"]!["sliders"]![0]!["steps"]!.AsArray();
        Assert.All(steps, s => Assert.True(Visible(s!["args"]![0]!["visible"])[0]));
        Assert.Equal([true, false, true, false, false, false], Visible(steps[1]!["args"]![0]!["visible"]));
    }

    [Fact]
    public void Same_axes_fit_every_step_and_different_titles_are_kept()
    {
        Figure Draw(int n) => Plot.Lines([0.0, 1], [("line", [0.0, n])], $"slope {n}", "x", "y");
        var json = Json(Figure.Slider("slope", [1, 2, 3, 4, 10], Draw, sameAxes: true));
        var range = json["layout"]!["yaxis"]!["range"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        Assert.Equal(-0.5, range[0], 9);
        Assert.Equal(10.5, range[1], 9);
        Assert.False(json["layout"]!["yaxis"]!["autorange"]!.GetValue<bool>());
        Assert.Equal("slope 10", (string?)json["layout"]!["sliders"]![0]!["steps"]![4]!["args"]![1]!["title.text"]);
        Assert.Equal("slope 1", (string?)json["layout"]!["title"]!["text"]);
    }

    [Fact]
    public void Same_axes_on_a_log_axis_fit_every_step_in_log_units_and_a_traces_own_visibility_is_kept()
    {
        // Each step: a line from 1 to 10ⁿ on a log y axis, and a second trace the learner hid to the legend.
        Figure Draw(int n) => Plot.Lines([0.0, 1], [("line", [1.0, Math.Pow(10, n)]), ("hidden", [2.0, n])], "powers", "x", "y", logY: true)
            .With(c => { GenericChart.getTraces(c)[1].SetProperty("visible", StyleParam.Visible.LegendOnly); return c; });
        var json = Json(Figure.Slider("n", [1, 2, 3], Draw, sameAxes: true));
        double[] Range(string axis) => json["layout"]![axis]!["range"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        // y: log10 of 1 … 1000 is 0 … 3, with 5 % to spare; x: 0 … 1.
        Assert.Equal([-0.15, 3.15], Range("yaxis"), (a, b) => Math.Abs(a - b) < 1e-9);
        Assert.Equal([-0.05, 1.05], Range("xaxis"), (a, b) => Math.Abs(a - b) < 1e-9);
        var step2 = json["layout"]!["sliders"]![0]!["steps"]![1]!["args"]![0]!["visible"]!.AsArray();
        Assert.Equal(["false", "false", "true", "\"legendonly\"", "false", "false"], step2.Select(v => v!.ToJsonString()));
        Assert.Equal("legendonly", (string?)json["data"]![1]!["visible"]); // the initial step's own hidden trace
    }

    [Fact]
    public void The_figures_draw_returns_are_left_alone_and_the_result_is_a_PlotlyNET_chart_with_a_PlotlyNET_slider()
    {
        var surface = Plot.Lines([0.0, 1, 2], [("surface", [3.0, 3, 3])], "path", "x", "y");
        string surfaceBefore = surface.ToPlotlyJson();
        var figure = Figure.Slider("n", [1, 2], n => n == 1 ? surface : Plot.Lines([0.0, 1, 2], [("other", [0.0, n, 1])], "path", "x", "y"));
        Assert.Equal(surfaceBefore, surface.ToPlotlyJson()); // no "visible" set on the learner's figure

        var layout = GenericChart.getLayout(figure.Chart);
        var slider = Assert.Single(Assert.IsAssignableFrom<IEnumerable<Slider>>(layout.Get("sliders")));
        Assert.All(Assert.IsAssignableFrom<IEnumerable<SliderStep>>(slider.Get("steps")), step => Assert.Equal("update", step.Get("method")));
        Assert.Equal(500 + 110, layout.Get("height")); // an int, as Plotly.NET's own layout size reads it

        // Plotly.NET's own serializer writes the same slider as the figure's JSON.
        var own = JsonNode.Parse(GenericChart.toJson(figure.Chart))!;
        Assert.True(JsonNode.DeepEquals(own["layout"]!["sliders"], Json(figure)["layout"]!["sliders"]), own["layout"]!["sliders"]!.ToJsonString());

        // Restyling the result keeps the slider.
        var restyled = Json(figure.WithXAxis(title: "x again"));
        Assert.Equal("x again", (string?)restyled["layout"]!["xaxis"]!["title"]!["text"]);
        Assert.True(JsonNode.DeepEquals(restyled["layout"]!["sliders"], Json(figure)["layout"]!["sliders"]));
    }

    [Fact]
    public void Bad_arguments_say_what_is_wrong()
    {
        var empty = Assert.Throws<ArgumentException>(() => Figure.Slider("η", Array.Empty<double>(), Curve));
        Assert.Contains("empty", empty.Message);
        var outside = Assert.Throws<ArgumentOutOfRangeException>(() => Figure.Slider("η", Rates, Curve, initial: 5));
        Assert.Contains("0…4", outside.Message);
        var twice = Assert.Throws<ArgumentException>(() => Figure.Slider("η", [0.1, 0.2, 0.1], Curve));
        Assert.Contains("η = 0.1 is in values 2 times", twice.Message);
    }

    [SkippableFact]
    public async Task Clicking_a_step_of_the_slider_in_an_exported_page_shows_that_steps_traces()
    {
        FigureImageTests.RequireBrowser();
        string folder = Path.Combine(Path.GetTempPath(), $"slider-test-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var figure = Figure.Slider("η", Rates, Curve, initial: 0);
            string page = Path.Combine(folder, "slider.html");
            figure.SaveHtml(page);
            figure.SavePng(Path.Combine(folder, "slider.png"));
            await using var browser = await HeadlessBrowser.LaunchAsync();
            await using var tab = await browser.OpenPageAsync();
            await tab.NavigateAsync(new Uri(page).AbsoluteUri);
            const string Plotted = "document.querySelector('.js-plotly-plot')";
            const string State = "({ visible: " + Plotted + ".data.map(t => t.visible), title: " + Plotted + ".layout.title.text })";
            var before = await tab.EvaluateAsync(State);
            Assert.Equal([true, false, false, false, false], Visible(before!["visible"]));

            // Click on the rail under the label of step 3 (η = 0.5), as a learner would.
            var point = await tab.EvaluateAsync(
                "(() => { const label = [...document.querySelectorAll('.slider-label')]" +
                " .find(t => t.textContent === '0.5').getBoundingClientRect();" +
                " const rail = document.querySelector('.slider-rail-rect').getBoundingClientRect();" +
                " return { x: label.left + label.width / 2, y: rail.top + rail.height / 2 }; })()");
            await tab.ClickAsync(point!["x"]!.GetValue<double>(), point["y"]!.GetValue<double>());
            JsonNode? after = null;
            for (int i = 0; i < 50; i++)
            {
                after = await tab.EvaluateAsync(State);
                if (Visible(after!["visible"])[3]) break;
                await Task.Delay(100);
            }
            await tab.ScreenshotAsync(Path.Combine(folder, "after-click.png"));
            Assert.Equal([false, false, false, true, false], Visible(after!["visible"]));
            Assert.Equal("Loss (η = 0.5)", (string?)after["title"]);
            Assert.Empty(tab.ConsoleErrors);
        }
        finally
        {
            if (Environment.GetEnvironmentVariable("FROMSCRATCH_KEEP_TEST_FILES") != "1") Directory.Delete(folder, recursive: true);
        }
    }

    [SkippableFact]
    public async Task A_legend_under_the_plot_is_drawn_clear_of_the_slider_under_it()
    {
        FigureImageTests.RequireBrowser();
        // The error surface puts its legend (the path's name) under the plot, where the slider goes.
        (double, double)[] Path(double η) => [(2, 2), (2 - η, 2 - 2 * η), (1, 1)];
        var figure = Figure.Slider("η", [0.1, 0.5], η => Plot.ErrorSurface((a, b) => a * a + b * b, (-3, 3), (-3, 3),
            [($"η = {η}", Path(η))], gridSize: 5));
        string folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"slider-legend-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            string page = System.IO.Path.Combine(folder, "slider.html");
            figure.SaveHtml(page);
            await using var browser = await HeadlessBrowser.LaunchAsync();
            await using var tab = await browser.OpenPageAsync();
            await tab.NavigateAsync(new Uri(page).AbsoluteUri);
            var boxes = await tab.EvaluateAsync(
                "(() => { const box = e => { const r = e.getBoundingClientRect(); return { top: r.top, bottom: r.bottom }; };" +
                " const slider = [...document.querySelectorAll('.slider-currentvalue, .slider-rail-rect, .slider-label')].map(box);" +
                " return { legend: box(document.querySelector('.legend .bg')), sliderTop: Math.min(...slider.map(b => b.top))," +
                " plotBottom: box(document.querySelector('.xy .nsewdrag')).bottom }; })()");
            await tab.ScreenshotAsync(System.IO.Path.Combine(folder, "slider.png"));
            double legendTop = boxes!["legend"]!["top"]!.GetValue<double>(), legendBottom = boxes["legend"]!["bottom"]!.GetValue<double>();
            Assert.True(legendTop > boxes["plotBottom"]!.GetValue<double>(), boxes.ToJsonString()); // the legend is under the plot …
            Assert.True(legendBottom < boxes["sliderTop"]!.GetValue<double>(), boxes.ToJsonString()); // … and above the slider
        }
        finally
        {
            if (Environment.GetEnvironmentVariable("FROMSCRATCH_KEEP_TEST_FILES") != "1") Directory.Delete(folder, recursive: true);
        }
    }
}
