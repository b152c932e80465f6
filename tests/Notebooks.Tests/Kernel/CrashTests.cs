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

    public static TheoryData<string, string, string> KernelCrashes() => new()
    {
        // Reported by the worker itself before it ends (it knows the cell and the exception).
        { "Environment.Exit(3);", "ProcessExit", "Environment.Exit(3)" },
        { "new System.Threading.Thread(() => throw new InvalidOperationException(\"boom\")).Start();\nSystem.Threading.Thread.Sleep(5000);",
            "UnhandledThreadException", "InvalidOperationException" },
        // Reported by the supervisor: the worker just vanishes.
        { "Environment.FailFast(\"gone\");", "KernelProcessDied", "SIGABRT" },
        { "System.Runtime.InteropServices.Marshal.WriteInt64(new IntPtr(0x7fff_0000_0000), 1);", "KernelProcessDied", "exit code" },
    };

    [Theory]
    [MemberData(nameof(KernelCrashes))]
    public void The_kernel_tells_the_cell_when_its_process_dies_and_restarts_the_session(string cell, string ename, string named)
    {
        var (file, connection) = KernelProcess.ConnectionFile(TempFolder());
        var start = new ProcessStartInfo(KernelProcess.Dotnet) { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = TempFolder() };
        foreach (string a in new[] { KernelProcess.ToolAssembly, "kernel", "start", "--connection-file", file }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            using var client = new KernelClient(connection);
            client.WaitForReady();
            client.Run("var before = 1;");
            var request = client.Execute(cell);
            var queued = client.Execute("before + 100");
            var reply = client.Receive(client.Shell);
            Assert.Equal(request.Id, String(reply.ParentHeader["msg_id"]));
            var iopub = client.IOPubUntilIdle(request);
            Assert.Equal("error", String(reply.Content["status"]));
            Assert.Equal(ename, String(reply.Content["ename"]));
            string evalue = String(reply.Content["evalue"])!;
            Assert.Contains(named, evalue + string.Join("\n", reply.Content["traceback"]!.AsArray()));
            Assert.Contains("restart", evalue);
            Assert.Contains("run the cells above again", evalue);
            Assert.Contains(iopub, m => m.Type == "error" && String(m.Content["ename"]) == ename);
            var aborted = client.Receive(client.Shell);
            Assert.Equal(queued.Id, String(aborted.ParentHeader["msg_id"]));
            Assert.Equal("aborted", String(aborted.Content["status"]));

            // The same connection, a fresh session: the old variables are gone, new cells run.
            Assert.False(process.HasExited, "the supervisor ended with its worker");
            var (after, _) = client.Run("before");
            Assert.Equal("CompilationError", String(after.Content["ename"]));
            Assert.Equal("42", client.Evaluate("6 * 7"));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }
}
