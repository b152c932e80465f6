using System.Text.Json.Nodes;
using FromScratch.Notebooks.Engine;
using static FromScratch.Notebooks.Tests.TestSupport;

namespace FromScratch.Notebooks.Tests.Kernel;

/// <summary>
/// ipywidgets in our kernel (Jupyter/Handlers/WidgetComms.cs and WidgetStates.cs, lib/FromScratch/Widgets/Knob.cs):
/// jupyter_client plays an ipywidgets 8 front end; `run` falls back to a precomputed slider or to the default values
/// with a one-line note.
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
        // Three values waiting at once (a fast drag): the figure is redrawn once, with the last one.
        Assert.Equal("η = 0.5", result["redrawn_title"]!.GetValue<string>());
        Assert.Equal(5.0, result["redrawn_y"]!.GetValue<double>(), 9);
        int redraws = result["redraws"]!.GetValue<int>();
        Assert.Equal(1, redraws);
        Assert.Equal($"{1 + redraws}", result["draws"]!.AsArray().Last()!.GetValue<string>());
    }

    [SkippableFact]
    public void Lesson_5s_rate_knob_retrains_the_network_when_the_front_end_moves_it()
    {
        LiveLossTests.RequireJupyterClient();
        var result = LiveLossTests.RunScript(spec, "lesson_widget_session.py");
        Assert.Empty(result["errors"]!.AsArray());
        var models = result["models"]!.AsArray().Select(m => m!.GetValue<string>()).ToList();
        Assert.Contains("@jupyter-widgets/controls/FloatLogSliderModel@2.0.0", models);
        Assert.Contains("@jupyter-widgets/output/OutputModel@1.0.0", models);
        Assert.Equal(0.1, result["slider"]!["value"]!.GetValue<double>(), 12);
        Assert.Equal("η = 0.1", result["first_trace"]!.GetValue<string>());
        // The front end sets η = 0.01: the lesson's network is trained again with it, and the curve is a new one.
        Assert.Equal("η = 0.01", result["redrawn_trace"]!.GetValue<string>());
        var before = result["first_y"]!.AsArray().Select(v => v!.GetValue<double>()).ToList();
        var after = result["redrawn_y"]!.AsArray().Select(v => v!.GetValue<double>()).ToList();
        Assert.Equal(before.Count, after.Count); // the same number of epochs
        Assert.True(after[^1] > before[^1], $"η = 0.01 should end higher after the same epochs than η = 0.1: {after[^1]} vs {before[^1]}");
    }

    /// <summary>Where .ci/run installs @jupyter-widgets/html-manager from the npm registry.</summary>
    internal static string HtmlManagerFolder =>
        Path.Combine(Environment.GetEnvironmentVariable("HOME") ?? "/root", ".cache", "fromscratch", "npm", "html-manager",
            "node_modules", "@jupyter-widgets", "html-manager", "dist");

    [SkippableFact]
    public async Task Nbconvert_stores_the_widget_state_and_html_manager_renders_it_offline()
    {
        const string nbconvert = "/usr/bin/jupyter-nbconvert";
        bool available = File.Exists(nbconvert) && KernelProcess.RunProgram("/usr/bin/python3", ["-c", "import nbclient"], null, null).ExitCode == 0;
        if (!available && Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail("jupyter-nbconvert is not installed; CI must install it in .ci/run");
        Skip.IfNot(available, "jupyter-nbconvert is not installed (apt-get install -y jupyter-nbconvert python3-jupyter-client)");
        Assert.Null(spec.InstallProblem);
        string folder = TempFolder();
        var (code, output) = KernelProcess.RunProgram(nbconvert,
        [
            "--to", "notebook", "--execute", $"--ExecutePreprocessor.kernel_name={spec.Name}", "--ExecutePreprocessor.timeout=300",
            "--output-dir", folder, "--output", "knobs", Fixture("knobs.ipynb"),
        ], spec.Environment, null);
        Assert.True(code == 0, output);
        var notebook = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "knobs.ipynb")))!;
        var widgetState = notebook["metadata"]!["widgets"]!["application/vnd.jupyter.widget-state+json"]!;
        Assert.Equal(2, widgetState["version_major"]!.GetValue<int>());
        var models = widgetState["state"]!.AsObject().Select(kv => (Id: kv.Key, Name: kv.Value!["model_name"]!.GetValue<string>(), State: kv.Value["state"]!)).ToList();
        Assert.Equal(2, models.Count(m => m.Name == "FloatLogSliderModel"));
        Assert.Single(models, m => m.Name == "IntSliderModel");
        Assert.Equal(2, models.Count(m => m.Name == "VBoxModel"));
        var outputs = models.Where(m => m.Name == "OutputModel").ToList();
        Assert.Equal(2, outputs.Count);
        Assert.All(outputs, o => Assert.NotNull(o.State["outputs"]![0]!["data"]![MimeTypes.Plotly]));
        var views = notebook["cells"]!.AsArray().Skip(1).Select(c => c!["outputs"]![0]!["data"]!["application/vnd.jupyter.widget-view+json"]!["model_id"]!.GetValue<string>()).ToList();
        Assert.All(views, v => Assert.Contains(models, m => m.Id == v && m.Name == "VBoxModel"));

        // The saved state, drawn offline by @jupyter-widgets/html-manager (npm) in headless Chromium.
        string embed = Path.Combine(HtmlManagerFolder, "embed.js");
        if (!File.Exists(embed))
        {
            string message = $"@jupyter-widgets/html-manager is not installed ({embed}); .ci/run installs it from the npm registry";
            if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail(message);
            Skip.If(true, message);
        }
        Export.Browser.Require();
        foreach (string file in Directory.GetFiles(HtmlManagerFolder)) File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        string page = Path.Combine(folder, "widgets.html");
        File.WriteAllText(page, "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
            + "<script src=\"embed.js\"></script></head><body>\n"
            + "<script type=\"application/vnd.jupyter.widget-state+json\">" + widgetState.ToJsonString() + "</script>\n"
            + string.Concat(views.Select(v => $"<script type=\"application/vnd.jupyter.widget-view+json\">{{\"version_major\": 2, \"version_minor\": 0, \"model_id\": \"{v}\"}}</script>\n"))
            + "</body></html>");
        await using var browser = await HeadlessBrowser.LaunchAsync();
        await using var tab = await browser.OpenPageAsync();
        await tab.NavigateAsync(new Uri(page).AbsoluteUri);
        JsonNode? sliders = null;
        for (int i = 0; i < 100; i++)
        {
            sliders = await tab.EvaluateAsync("[...document.querySelectorAll('.widget-readout')].map(e => e.textContent || e.value)");
            if (sliders is JsonArray { Count: >= 3 }) break;
            await Task.Delay(100);
        }
        string shot = Path.Combine(RepoRoot, "out", "test-screenshots", "widgets-html-manager.png");
        await tab.ScreenshotAsync(shot);
        Assert.True(sliders is JsonArray { Count: 3 }, $"slider readouts: {sliders?.ToJsonString()}; console: {string.Join(" | ", tab.ConsoleErrors)}; screenshot {shot}");
        var labels = await tab.EvaluateAsync("[...document.querySelectorAll('.widget-label')].map(e => e.textContent)");
        Assert.Equal(2, labels!.AsArray().Count(l => l!.GetValue<string>() == "η"));
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
