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

/// <summary>A cell that cannot be stopped (a tight loop inside a DLL): the cell says so and the supervisor restarts the session.</summary>
public class StuckCellTests
{
    [Fact]
    public void Interrupting_an_unstoppable_cell_says_so_and_the_next_cell_runs_in_a_fresh_session()
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
            var request = client.Execute("Console.WriteLine(\"started\");\nSystem.Threading.Thread.SpinWait(int.MaxValue);");
            while (client.Receive(client.IOPub) is var m && !(m.Type == "stream" && String(m.ParentHeader["msg_id"]) == request.Id)) { }
            client.Send(client.Control, "interrupt_request", []);
            Assert.Equal("interrupt_reply", client.Receive(client.Control).Type);
            var reply = client.Receive(client.Shell);
            Assert.Equal(request.Id, String(reply.ParentHeader["msg_id"]));
            Assert.Equal("Interrupted", String(reply.Content["ename"]));
            string evalue = String(reply.Content["evalue"])!;
            Assert.Contains("did not stop", evalue);
            Assert.Contains("The kernel restarts its session now", evalue);
            // Sent at once: held by the supervisor for the new session, never run by the old one.
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

/// <summary>
/// The same cases through an independent client: Debian's jupyter_client (KernelManager, as
/// Notebook and nbconvert use it) starts the installed kernelspec, interrupts with interrupt_request
/// (interrupt_mode "message"), and sees every reply.
/// </summary>
public class JupyterClientSessionTests(TemporaryKernelSpec spec) : IClassFixture<TemporaryKernelSpec>
{
    [SkippableFact]
    public void Interrupt_stack_overflow_and_a_crash_through_jupyter_client()
    {
        bool available = KernelProcess.RunProgram("/usr/bin/python3", ["-c", "import jupyter_client"], null, null).ExitCode == 0;
        if (!available && Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail("python3-jupyter-client is not installed; CI must install it in .ci/run");
        Skip.IfNot(available, "python3-jupyter-client is not installed (apt-get install -y python3-jupyter-client)");
        Assert.Null(spec.InstallProblem);
        string script = Path.Combine(RepoRoot, "tests", "Notebooks.Tests", "Kernel", "jupyter_client_session.py");
        string library = Path.Combine(RepoRoot, "build", "lib", "FromScratch.dll");
        var (exit, output) = KernelProcess.RunProgram("/usr/bin/python3", [script, spec.Name, library], spec.Environment, TempFolder());
        string last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.StartsWith('{')) ?? "";
        Assert.True(exit == 0 && last.Length > 0, $"jupyter_client_session.py exited {exit}:\n{output}");
        var result = JsonNode.Parse(last)!.AsObject();
        Assert.True(result["ok"]!.GetValue<bool>(), $"{result["error"]}\n{output}");
        Console.WriteLine(result.ToJsonString());
        foreach (string key in new[] { "toy_train", "trainer_train", "sleep", "task_delay" })
        {
            var c = result[key]!;
            Assert.True(c["ename"]?.GetValue<string>() == "Interrupted", $"{key}: {c.ToJsonString()}");
            Assert.True(c["seconds"]!.GetValue<double>() < 2, $"{key}: the interrupt took {c["seconds"]} s");
            Assert.Equal("ok", c["after"]!.GetValue<string>());
            Assert.True(c["before_ok"]!.GetValue<bool>(), $"{key}: the earlier variable is gone");
        }
        Assert.Equal("StackOverflow", result["stack_overflow"]!["ename"]!.GetValue<string>());
        Assert.Equal("ok", result["stack_overflow"]!["after"]!.GetValue<string>());
        Assert.Equal("KernelProcessDied", result["fail_fast"]!["ename"]!.GetValue<string>());
        Assert.Contains("run the cells above again", result["fail_fast"]!["evalue"]!.GetValue<string>());
        Assert.Equal("ok", result["fail_fast"]!["after"]!.GetValue<string>());
    }
}
