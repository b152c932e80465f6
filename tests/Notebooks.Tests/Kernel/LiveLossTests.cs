using System.Text.Json.Nodes;
using FromScratch.Notebooks.Engine;
using static FromScratch.Notebooks.Tests.TestSupport;

namespace FromScratch.Notebooks.Tests.Kernel;

/// <summary>
/// The live loss curve (lib/FromScratch/Training/LiveTraining.cs, Engine/LiveDisplays.cs): through Debian's
/// jupyter_client against our kernel, a training of about 5 s shows its figure once and redraws it in place,
/// at most 5 times a second, with a progress line that ends as a summary; a short training shows nothing; an
/// Interrupt stops it and keeps the weights. `run` writes only the figure the cell shows itself.
/// </summary>
public class LiveLossTests(TemporaryKernelSpec spec) : IClassFixture<TemporaryKernelSpec>
{
    internal static void RequireJupyterClient()
    {
        bool available = KernelProcess.RunProgram("/usr/bin/python3", ["-c", "import jupyter_client"], null, null).ExitCode == 0;
        if (!available && Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail("python3-jupyter-client is not installed; CI must install it in .ci/run");
        Skip.IfNot(available, "python3-jupyter-client is not installed (apt-get install -y python3-jupyter-client)");
    }

    internal static JsonObject RunScript(TemporaryKernelSpec spec, string script)
    {
        Assert.Null(spec.InstallProblem);
        string path = Path.Combine(RepoRoot, "tests", "Notebooks.Tests", "Kernel", script);
        string library = Path.Combine(RepoRoot, "build", "lib", "FromScratch.dll");
        var (exit, output) = KernelProcess.RunProgram("/usr/bin/python3", [path, spec.Name, library], spec.Environment, TempFolder());
        string last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.StartsWith('{')) ?? "";
        Assert.True(exit == 0 && last.Length > 0, $"{script} exited {exit}:\n{output}");
        var result = JsonNode.Parse(last)!.AsObject();
        Assert.True(result["ok"]!.GetValue<bool>(), $"{result["error"]}\n{output}");
        return result;
    }

    private static List<JsonObject> Of(JsonObject result, string key) => result[key]!.AsArray().Select(e => e!.AsObject()).ToList();

    [SkippableFact]
    public void A_long_training_redraws_its_loss_figure_in_place_at_most_five_times_a_second()
    {
        RequireJupyterClient();
        var result = RunScript(spec, "live_loss_session.py");
        Console.WriteLine(result.ToJsonString());
        var long_ = Of(result, "long");
        Assert.Equal("ok", result["long_reply"]!.GetValue<string>());

        // One figure display with a display id, then only updates of that id: never a second figure output.
        var figures = long_.Where(e => e["figure"]?.GetValue<bool>() == true).ToList();
        Assert.True(figures.Count >= 5, $"only {figures.Count} figure messages: the curve was not redrawn while it trained");
        Assert.Equal("display_data", figures[0]["type"]!.GetValue<string>());
        string id = figures[0]["id"]!.GetValue<string>();
        Assert.All(figures.Skip(1), f => Assert.Equal(("update_display_data", id), (f["type"]!.GetValue<string>(), f["id"]!.GetValue<string>())));
        // The curve grows: points never fewer than the last time, and all 100 epochs at the end.
        var points = figures.Select(f => f["points"]!.GetValue<int>()).ToList();
        Assert.True(points.Zip(points.Skip(1)).All(p => p.Second >= p.First), string.Join(", ", points));
        Assert.Equal(100, points[^1]);

        // Throttled: between two redraws at least ~0.2 s (the last one, at the end of training, may come sooner).
        var times = figures.Select(f => f["t"]!.GetValue<double>()).ToList();
        var gaps = times.Zip(times.Skip(1), (a, b) => b - a).SkipLast(1).ToList();
        Assert.True(gaps.All(g => g >= 0.18), $"redraws closer than 0.2 s: {string.Join(", ", gaps)}");
        double span = times[^1] - times[0];
        Assert.True(figures.Count - 1 <= span * 5 + 1, $"{figures.Count - 1} updates in {span:0.00} s: more than 5 a second");

        // The progress line says epoch i of N, the loss and the time left, and ends as the summary.
        var lines = long_.Where(e => e["id"] is JsonValue v && v.GetValue<string>() != id && e["text"] is not null).ToList();
        Assert.Matches(@"^epoch \d+ of 100 · loss [0-9.e+-]+ · [0-9.]+ s, about [0-9.]+ (s|min)", lines[0]["text"]!.GetValue<string>());
        Assert.Matches(@"^SGD: 100 epochs in [0-9.]+ s, final loss [0-9.e-]+$", lines[^1]["text"]!.GetValue<string>());
        // plotly.js travels in an output of its own (kept when the figure is replaced), before the figure.
        Assert.Single(long_, e => e["html_only"]?.GetValue<bool>() == true);

        // A training under a second shows nothing live.
        Assert.DoesNotContain(Of(result, "quick"), e => e["type"]!.GetValue<string>().EndsWith("display_data", StringComparison.Ordinal));

        // Interrupt: the cell ends Interrupted, the last line says where it stopped, the weights are kept (loss lower).
        Assert.Equal("Interrupted", result["interrupted_reply"]!.GetValue<string>());
        var stopped = Of(result, "interrupted").Last(e => e["text"] is JsonValue t && t.GetValue<string>().Contains("stopped", StringComparison.Ordinal));
        Assert.Matches(@"^SGD: stopped in epoch \d+ of 1000 after [0-9.]+ s \(interrupted\); loss [0-9.e-]+ after epoch \d+: the network keeps the weights it reached$",
            stopped["text"]!.GetValue<string>());
        Assert.Equal("true", result["kept_weights_better"]!.AsArray().Last()?.GetValue<string>());
    }

    [Fact]
    public async Task Run_writes_only_the_figure_the_cell_shows()
    {
        var (notebook, result) = await RunFixture("live-loss.ipynb");
        Assert.True(result.Succeeded, result.FirstError?.EValue);
        var outputs = Outputs(notebook, 3);
        Assert.Single(outputs);
        Assert.Equal("execute_result", outputs[0]!["output_type"]!.GetValue<string>());
        Assert.NotNull(outputs[0]!["data"]![MimeTypes.Plotly]);
        Assert.Single(result.Figures);
    }

    [Fact]
    public void Updates_of_a_display_id_replace_that_output_as_a_front_end_keeps_them()
    {
        static MimeBundle Text(string s) => new(new Dictionary<string, JsonNode> { [MimeTypes.PlainText] = s }, null);
        var outputs = new List<CellOutput>
        {
            new StreamOutput("stdout", "before\n"),
            new DisplayOutput(Text("figure 1"), "f"),
            new DisplayOutput(Text("line 1"), "l"),
            new DisplayOutput(Text("figure 2"), "f", Update: true),
            new DisplayOutput(Text("line 2"), "l", Update: true),
            new DisplayOutput(Text("nobody's"), "x", Update: true),
            new DisplayOutput(Text("figure 3"), "f", Update: true),
        };
        var kept = NotebookRunner.InPlace(outputs);
        Assert.Equal(["before\n", "figure 3", "line 2"], kept.Select(o => o switch
        {
            StreamOutput s => s.Text, DisplayOutput d => d.Bundle.PlainText, _ => "?",
        }));
        Assert.All(kept.OfType<DisplayOutput>(), d => Assert.False(d.Update));
    }
}
