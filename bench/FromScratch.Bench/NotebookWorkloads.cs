using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FromScratch.Bench;

/// <summary>
/// What a learner waits for when running the lessons: the notebook tool (tools/Notebooks, built as
/// FromScratch.Notebooks.dll) started as a child process, exactly as <c>dotnet run --project tools/Notebooks</c> runs it,
/// but without the build step. Each repetition is a fresh process: .NET start-up, the C# scripting compiler's warm-up,
/// loading the library with <c>#r</c>, and the cells.
/// <list type="bullet">
/// <item><c>notebooks_first_cell_ms</c>: a notebook holding only the first code cell of lesson 0 (<c>#r</c> the library,
/// the <c>using</c>s): the time from "run" to the first cell done, i.e. opening a lesson in a fresh kernel.</item>
/// <item><c>notebooks_total_ms</c>: every lesson in notebooks/ in one run (what CI and a learner's "run all" do).</item>
/// </list>
/// The tool's own summary ("11/11 notebooks succeeded in 52.3 s") is parsed and reported as <c>tool_seconds</c>; a
/// failing notebook fails the workload with the tool's output.
/// </summary>
public static partial class NotebookWorkloads
{
    /// <summary>The built tool, Release preferred; null when it has not been built.</summary>
    public static string? ToolPath(string repoRoot)
    {
        foreach (string configuration in new[] { "Release", "Debug" })
        {
            string path = Path.Combine(repoRoot, "tools", "Notebooks", "bin", configuration, "net10.0", "FromScratch.Notebooks.dll");
            if (File.Exists(path))
                return path;
        }
        return null;
    }

    /// <summary>Both notebook workloads (none, with a message, when the tool or the lessons are missing).</summary>
    public static IEnumerable<Workload> All(string outDir, string repoRoot)
    {
        string? tool = ToolPath(repoRoot);
        string notebooks = Path.Combine(repoRoot, "notebooks");
        string firstLesson = Path.Combine(notebooks, "00-first-network.ipynb");
        if (tool is null || !File.Exists(firstLesson) || !File.Exists(Path.Combine(repoRoot, "build", "lib", "FromScratch.dll")))
        {
            Console.WriteLine("notebook workloads skipped: build the tool and the library first " +
                              "(dotnet build -c Release tools/Notebooks; it builds lib/FromScratch into build/lib/ too)");
            yield break;
        }
        string scratch = Path.Combine(outDir, "notebooks-run");

        yield return new Workload("notebooks_first_cell_ms",
            "notebooks: fresh tool process running the first code cell of lesson 0 (#r the library, usings)",
            () =>
            {
                string notebook = WriteFirstCellNotebook(firstLesson, Path.Combine(scratch, "first-cell"), repoRoot);
                double toolSeconds = 0;
                return new Step(() => toolSeconds = RunTool(tool, repoRoot, [notebook, "--out", Path.Combine(scratch, "first-cell-out")]),
                    () => new Dictionary<string, double> { ["tool_seconds"] = toolSeconds });
            }, Repetitions: 7, WarmUp: 1);

        int lessons = Directory.GetFiles(notebooks, "*.ipynb").Length;
        yield return new Workload("notebooks_total_ms",
            $"notebooks: fresh tool process running all {lessons} lessons in notebooks/",
            () =>
            {
                double toolSeconds = 0;
                return new Step(() => toolSeconds = RunTool(tool, repoRoot, ["--out", Path.Combine(scratch, "all-out")]),
                    () => new Dictionary<string, double> { ["tool_seconds"] = toolSeconds, ["notebooks"] = lessons });
            }, Repetitions: 3, WarmUp: 0);
    }

    /// <summary>
    /// Lesson 0 cut after its first code cell, in its own folder; the relative <c>#r "../build/lib/…"</c> is made
    /// absolute so the copy loads the same library. Written atomically.
    /// </summary>
    private static string WriteFirstCellNotebook(string lesson, string folder, string repoRoot)
    {
        var document = JsonNode.Parse(File.ReadAllText(lesson))!.AsObject();
        var cells = document["cells"]!.AsArray();
        int firstCode = cells.ToList().FindIndex(c => (string?)c!["cell_type"] == "code");
        if (firstCode < 0)
            throw new InvalidOperationException($"{lesson} has no code cell.");
        while (cells.Count > firstCode + 1)
            cells.RemoveAt(cells.Count - 1);
        var code = cells[firstCode]!.AsObject();
        string library = Path.Combine(repoRoot, "build", "lib").Replace('\\', '/') + "/";
        string source = code["source"] is JsonArray lines ? string.Concat(lines.Select(l => (string?)l)) : (string?)code["source"] ?? "";
        code["source"] = source.Replace("../build/lib/", library, StringComparison.Ordinal);
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "first-cell.ipynb");
        BenchData.WriteAtomically(path, System.Text.Encoding.UTF8.GetBytes(document.ToJsonString()));
        return path;
    }

    [GeneratedRegex(@"(?<ok>\d+)/(?<all>\d+) notebooks succeeded in (?<seconds>[0-9.]+) s")]
    private static partial Regex Summary();

    /// <summary>Runs <c>dotnet tool run …</c>, waits, and returns the tool's own total in seconds; throws with its output on failure.</summary>
    private static double RunTool(string tool, string repoRoot, string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = repoRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(tool);
        start.ArgumentList.Add("run");
        foreach (string a in arguments)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start dotnet {tool}");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var match = Summary().Match(stdout);
        if (process.ExitCode != 0 || !match.Success || match.Groups["ok"].Value != match.Groups["all"].Value)
            throw new InvalidOperationException(
                $"dotnet {tool} run {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{stdout}\n{stderr.Result}");
        return double.Parse(match.Groups["seconds"].Value, CultureInfo.InvariantCulture);
    }
}
