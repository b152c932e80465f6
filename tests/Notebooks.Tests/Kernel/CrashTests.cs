using System.Diagnostics;
using System.Text.Json.Nodes;
using FromScratch.Notebooks.Format;
using static FromScratch.Notebooks.Tests.TestSupport;

namespace FromScratch.Notebooks.Tests.Kernel;

/// <summary>
/// What .NET cannot survive in-process (Environment.Exit in a cell, an exception on a thread the
/// cell started) still reaches the learner: the kernel says so in that cell (error output and
/// execute_reply) before its process ends, and `run` records it as that cell's error, writes the
/// executed notebook and exits non-zero. A stack overflow is not a crash at all.
/// </summary>
public class CrashTests
{
    private static string? String(JsonNode? node) => node?.GetValue<string>();

    private static string Notebook(params string[] cells)
    {
        string path = Path.Combine(TempFolder(), "crash.ipynb");
        var json = new JsonObject
        {
            ["cells"] = new JsonArray(cells.Select((c, i) => (JsonNode?)new JsonObject
            {
                ["cell_type"] = "code", ["id"] = $"c{i}", ["metadata"] = new JsonObject(), ["execution_count"] = null,
                ["outputs"] = new JsonArray(), ["source"] = c,
            }).ToArray()),
            ["metadata"] = new JsonObject(), ["nbformat"] = 4, ["nbformat_minor"] = 5,
        };
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    public static TheoryData<string, string, string> Crashes() => new()
    {
        { "stack overflow", "int Deep(int n) => Deep(n + 1) + 1;\nDeep(0)", "StackOverflow" },
        { "Environment.Exit", "Environment.Exit(0);", "ProcessExit" },
        { "thread exception", "new System.Threading.Thread(() => throw new InvalidOperationException(\"boom\")).Start();\nSystem.Threading.Thread.Sleep(5000);", "UnhandledThreadException" },
    };

    [Theory]
    [MemberData(nameof(Crashes))]
    public void Run_records_the_crash_as_the_cells_error_writes_the_executed_notebook_and_exits_non_zero(string what, string cell, string ename)
    {
        string notebook = Notebook("var before = 41;\nConsole.WriteLine(\"first\");", cell, "before + 1");
        string outFolder = TempFolder();
        var (exit, output) = KernelProcess.Run("run", notebook, "--out", outFolder);
        Assert.True(exit != 0, $"{what}: exit code 0\n{output}");
        var executed = NotebookDocument.Load(Path.Combine(outFolder, "notebooks", "crash.ipynb"));
        Assert.Equal("first\n", Text(Outputs(executed, 1).Single()!["text"]));
        var error = Outputs(executed, 2).Single(o => String(o!["output_type"]) == "error")!;
        Assert.Equal(ename, String(error["ename"]));
        Assert.Contains("crash.ipynb, cell 2 (code cell 2)", String(error["evalue"]) + string.Join("\n", error["traceback"]!.AsArray()));
        Assert.Empty(Outputs(executed, 3));
        if (ename == "StackOverflow") Assert.Equal(1, exit);
    }

    [Theory]
    [InlineData("Environment.Exit(3);", "ProcessExit", "Environment.Exit(3)")]
    [InlineData("new System.Threading.Thread(() => throw new InvalidOperationException(\"boom\")).Start();\nSystem.Threading.Thread.Sleep(5000);",
        "UnhandledThreadException", "InvalidOperationException")]
    public void The_kernel_tells_the_cell_when_its_process_dies(string cell, string ename, string named)
    {
        var (file, connection) = KernelProcess.ConnectionFile(TempFolder());
        var start = new ProcessStartInfo(KernelProcess.Dotnet) { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = TempFolder() };
        foreach (string a in new[] { KernelProcess.ToolAssembly, "kernel", "start", "--connection-file", file }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            using var client = new KernelClient(connection);
            client.WaitForReady();
            client.Run("var before = 1;");
            var (reply, iopub) = client.Run(cell);
            Assert.Equal("error", String(reply.Content["status"]));
            Assert.Equal(ename, String(reply.Content["ename"]));
            string evalue = String(reply.Content["evalue"])!;
            Assert.Contains(named, evalue);
            Assert.Contains("restarts it", evalue);
            Assert.Contains("cell 2", evalue);
            Assert.Contains(iopub, m => m.Type == "error" && String(m.Content["ename"]) == ename);
            Assert.True(process.WaitForExit(KernelClient.Timeout), "the kernel process did not end");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }
}
