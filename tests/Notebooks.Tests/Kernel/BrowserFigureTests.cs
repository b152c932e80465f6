using System.Text.Json.Nodes;
using static FromScratch.Notebooks.Tests.TestSupport;

namespace FromScratch.Notebooks.Tests.Kernel;

/// <summary>
/// The classic Notebook 6 server (Debian's jupyter-notebook) with our kernelspec, in headless
/// Chromium driven by Selenium (browser_figures.py): a lesson is run all, the kernel restarted,
/// the first figure cell re-run (so no saved output carries plotly.js any more and the new
/// session's figure numbers restart), saved and reopened. Every figure must be drawn in its own
/// cell each time (plotly.js then comes from the kernelspec folder), and the saved notebook stays
/// ≤ 4.5 MB. The screenshot of the reopened page is written to the test's temporary folder.
/// </summary>
public class BrowserFigureTests(TemporaryKernelSpec spec) : IClassFixture<TemporaryKernelSpec>
{
    private const string Lesson = "04-zero-mean.ipynb";
    private const long MaxNotebookBytes = 4_500_000;

    private static void RequireTools()
    {
        string[] needed = ["/usr/bin/jupyter-notebook", "/usr/bin/chromium", "/usr/bin/chromedriver"];
        var missing = needed.Where(p => !File.Exists(p)).ToList();
        if (KernelProcess.RunProgram("/usr/bin/python3", ["-c", "import selenium"], null, null).ExitCode != 0) missing.Add("python3-selenium");
        if (missing.Count == 0) return;
        string message = $"{string.Join(", ", missing)} not installed (apt-get install -y jupyter-notebook chromium chromium-driver python3-selenium)";
        if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail(message + "; CI must install it in .ci/run");
        Skip.If(true, message);
    }

    [SkippableFact]
    public void A_lesson_run_restarted_rerun_saved_and_reopened_in_Notebook_6_draws_every_figure_in_its_own_cell()
    {
        RequireTools();
        Assert.Null(spec.InstallProblem);
        string folder = TempFolder();
        var notebook = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot, "notebooks", Lesson)))!.AsObject();
        notebook["metadata"]!["kernelspec"] = new JsonObject { ["name"] = spec.Name, ["display_name"] = "C# (FromScratch)", ["language"] = "C#" };
        foreach (var cell in notebook["cells"]!.AsArray())
            if (cell!["cell_type"]!.GetValue<string>() == "code")
            {
                cell["outputs"] = new JsonArray();
                cell["execution_count"] = null;
            }
        // The lesson's #r "../build/lib/FromScratch.dll" must resolve from the copy's folder.
        string lessons = Path.Combine(folder, "notebooks");
        Directory.CreateDirectory(lessons);
        Directory.CreateSymbolicLink(Path.Combine(folder, "build"), Path.Combine(RepoRoot, "build"));
        if (Directory.Exists(Path.Combine(RepoRoot, "data"))) Directory.CreateSymbolicLink(Path.Combine(folder, "data"), Path.Combine(RepoRoot, "data"));
        File.WriteAllText(Path.Combine(lessons, Lesson), notebook.ToJsonString());
        string screenshot = Path.Combine(folder, "reopened.png");

        string script = Path.Combine(RepoRoot, "tests", "Notebooks.Tests", "Kernel", "browser_figures.py");
        var (exit, output) = KernelProcess.RunProgram("/usr/bin/python3", [script, lessons, Lesson, screenshot], spec.Environment, lessons);
        string last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.StartsWith('{')) ?? "";
        Assert.True(exit == 0 && last.Length > 0, $"browser_figures.py exited {exit}:\n{output}");
        var result = JsonNode.Parse(last)!.AsObject();
        string log = File.Exists(Path.Combine(lessons, "server.log")) ? File.ReadAllText(Path.Combine(lessons, "server.log")) : "";
        Assert.True(result["ok"]!.GetValue<bool>(), $"{result["error"]}\n{result.ToJsonString()}\nserver log:\n{log}");
        Console.WriteLine($"screenshot of the reopened lesson: {screenshot}");

        foreach (string step in new[] { "after_run_all", "after_rerun", "after_reopen" })
        {
            var seen = result[step]!.AsObject();
            var per = seen["per"]!.AsArray();
            int figures = per.Sum(p => p!["figures"]!.GetValue<int>());
            Assert.True(figures >= 3, $"{step}: only {figures} figure outputs: {seen.ToJsonString()}");
            Assert.True(per.All(p => p!["errors"]!.AsArray().Count == 0), $"{step}: a cell failed: {seen.ToJsonString()}");
            foreach (var p in per)
                Assert.True(p!["drawn"]!.GetValue<int>() == p["figures"]!.GetValue<int>(), $"{step}: cell {p["cell"]} has {p["figures"]} figure(s) but {p["drawn"]} drawn: {seen.ToJsonString()}");
            Assert.Equal(figures, seen["total"]!.GetValue<int>());
            var ids = seen["ids"]!.AsArray().Select(i => i!.GetValue<string>()).ToList();
            Assert.Equal(ids.Count, ids.Distinct().Count());
        }
        // The scenario really happened: no saved output carries plotly.js, so the reopened page drew from the kernelspec's copy.
        Assert.Equal(0, result["saved_carriers"]!.GetValue<int>());
        Assert.True(result["saved_bytes"]!.GetValue<long>() <= MaxNotebookBytes, $"the saved lesson is {result["saved_bytes"]} bytes");
        Assert.True(File.Exists(screenshot));
    }
}
