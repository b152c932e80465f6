using System.Diagnostics;
using System.Text.Json.Nodes;
using FromScratch.Notebooks.Jupyter;
using static FromScratch.Notebooks.Tests.TestSupport;

namespace FromScratch.Notebooks.Tests.Kernel;

/// <summary>
/// Interrupt stops whatever a learner runs (a library training loop, a sleep, an await, a LINQ query
/// over the cell's lambda) within 2 s, with an `Interrupted` error in that cell, and every variable
/// of the cells before it is still there. A runaway recursion is an ordinary error in its cell.
/// </summary>
public class InterruptTests
{
    /// <summary>Runs <paramref name="code"/>, interrupts it once it printed "started", and returns the reply and how long the interrupt took.</summary>
    private static (JupyterMessage Reply, TimeSpan Stop) RunAndInterrupt(KernelClient client, string code)
    {
        var request = client.Execute(code);
        while (true)
        {
            var m = client.Receive(client.IOPub);
            if (String(m.ParentHeader["msg_id"]) != request.Id) continue;
            if (m.Type == "stream" && String(m.Content["text"])!.Contains("started", StringComparison.Ordinal)) break;
            if (m.Type == "error") Assert.Fail($"the cell failed before it started: {m.Content.ToJsonString()}");
        }
        Thread.Sleep(300); // well inside the long call
        var clock = Stopwatch.StartNew();
        client.Send(client.Control, "interrupt_request", []);
        Assert.Equal("interrupt_reply", client.Receive(client.Control).Type);
        var reply = client.Receive(client.Shell);
        clock.Stop();
        Assert.Equal(request.Id, String(reply.ParentHeader["msg_id"]));
        client.IOPubUntilIdle(request);
        return (reply, clock.Elapsed);
    }

    public static TheoryData<string, string> LongCells() => new()
    {
        { "toy training", "var toy = new ToyNetwork();\nConsole.WriteLine(\"started\");\ntoy.Train([new ToySample(0, 1, 1), new ToySample(1, 0, 0)], 0.1, 50_000_000);" },
        { "matrix training", "var net = Network.Create([2, 8, 1], Activation.Tanh, Activation.Sigmoid, Initializer.Uniform(1), 1);\n"
            + "var tr = new Trainer(Loss.SumOfSquares, new Sgd(0.1)) { Epochs = 50_000_000 };\nConsole.WriteLine(\"started\");\n"
            + "tr.Train(net, MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(2, 4, 0.5), MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(1, 4, 1));" },
        { "Thread.Sleep", "Console.WriteLine(\"started\");\nSystem.Threading.Thread.Sleep(60_000);" },
        { "await Task.Delay", "Console.WriteLine(\"started\");\nawait Task.Delay(60_000);\nbefore = -1; // never runs" },
        { "LINQ over a cell lambda", "Console.WriteLine(\"started\");\nEnumerable.Range(0, int.MaxValue).Select(i => (long)i % 7).Sum()" },
        { "a lock wait", "var gate = new object();\nvar holder = new System.Threading.Thread(() => { lock (gate) System.Threading.Thread.Sleep(120_000); }) { IsBackground = true };\n"
            + "holder.Start(); System.Threading.Thread.Sleep(100);\nConsole.WriteLine(\"started\");\nlock (gate) { }" },
    };

    [Theory]
    [MemberData(nameof(LongCells))]
    public void Interrupt_stops_the_cell_within_two_seconds_and_keeps_the_earlier_variables(string what, string code)
    {
        using var k = new RunningKernel();
        k.Client.Run($"#r \"{LibraryDll}\"\nusing FromScratch;\nvar before = 41;");
        var (reply, stop) = RunAndInterrupt(k.Client, code);
        Assert.Equal("error", String(reply.Content["status"]));
        Assert.Equal("Interrupted", String(reply.Content["ename"]));
        Assert.Contains("cell 2", String(reply.Content["evalue"]));
        Assert.True(stop < TimeSpan.FromSeconds(2), $"{what}: the interrupt took {stop.TotalSeconds:0.00} s");
        Assert.Equal("42", k.Client.Evaluate("before + 1"));
        // The interrupted await never resumes: `before = -1` must not run later.
        Thread.Sleep(200);
        Assert.Equal("41", k.Client.Evaluate("before"));
    }

    [Fact]
    public void Interrupted_names_the_line_the_cell_was_on()
    {
        using var k = new RunningKernel();
        var (reply, _) = RunAndInterrupt(k.Client, "long n = 0;\nConsole.WriteLine(\"started\");\nwhile (true) n++;");
        Assert.Contains("cell 1 (code cell 1), line 3", String(reply.Content["evalue"]));
    }

    [Fact]
    public void A_runaway_recursion_is_a_StackOverflow_error_in_its_cell_and_the_session_goes_on()
    {
        using var k = new RunningKernel();
        k.Client.Run("var before = 41;");
        var (reply, iopub) = k.Client.Run("int Deep(int n) => Deep(n + 1) + 1;\nDeep(0)");
        Assert.Equal("error", String(reply.Content["status"]));
        Assert.Equal("StackOverflow", String(reply.Content["ename"]));
        Assert.Contains("recursion too deep in Deep", String(reply.Content["evalue"]));
        Assert.Contains("cell 2 (code cell 2), line 1", String(reply.Content["evalue"]));
        Assert.Contains(iopub, m => m.Type == "error");
        Assert.Equal("42", k.Client.Evaluate("before + 1"));

        // Through a lambda, a local function and a property getter too.
        foreach (string cell in new[]
        {
            "Func<int, int> f = null!;\nf = n => f(n + 1) + 1;\nf(0)",
            "int Local(int n) { return Local(n + 1) + 1; }\nLocal(0)",
            "class Loop { public int P => P + 1; }\nnew Loop().P",
        })
        {
            var (r, _) = k.Client.Run(cell);
            Assert.True(String(r.Content["ename"]) == "StackOverflow", $"{cell}: {r.Content.ToJsonString()}");
        }
        Assert.Equal("42", k.Client.Evaluate("before + 1"));
    }

    [Fact]
    public void A_recursion_that_ends_is_not_stopped_and_void_and_expression_lambdas_still_compile()
    {
        using var k = new RunningKernel();
        Assert.Equal("3524578", k.Client.Evaluate("int Fib(int n) => n < 2 ? n : Fib(n - 1) + Fib(n - 2);\nFib(33)"));
        Assert.Equal("50000", k.Client.Evaluate("int Down(int n) => n == 0 ? 0 : 1 + Down(n - 1);\nDown(50_000)"));
        Assert.Equal("6", k.Client.Evaluate("int total = 0;\nnew List<int> { 1, 2, 3 }.ForEach(x => total += x);\ntotal"));
        Assert.Equal("3", k.Client.Evaluate("var printed = new List<int>();\nvoid Say(int x) => printed.Add(x);\nnew[] { 1, 2, 3 }.ToList().ForEach(x => Say(x));\nprinted.Count"));
        Assert.Equal("2", k.Client.Evaluate("System.Linq.Expressions.Expression<Func<int, int>> e = x => x + 1;\ne.Compile()(1)"));
    }
}

/// <summary>The smaller editor items: signature help, the input prompt, history, and the notebook's name in errors.</summary>
public class KernelEditorTests
{
    private static string? Inspect(RunningKernel k, string code)
    {
        k.Client.Send(k.Client.Shell, "inspect_request", new JsonObject { ["code"] = code, ["cursor_pos"] = code.Length, ["detail_level"] = 0 });
        var reply = k.Client.Receive(k.Client.Shell);
        return reply.Content["found"]!.GetValue<bool>() ? String(reply.Content["data"]!["text/plain"]) : null;
    }

    [Fact]
    public void Inside_an_argument_list_inspect_shows_the_method_being_called_with_its_documentation()
    {
        using var k = new RunningKernel(Fixture("library.ipynb"));
        Assert.Contains("Math.Sqrt(double", Inspect(k, "Math.Sqrt("));
        Assert.Contains("Math.Sqrt(double", Inspect(k, "Math.Sqrt(2"));
        Assert.Contains("Math.Max(", Inspect(k, "Math.Max(1, "));
        k.Client.Run("#r \"../../../build/lib/FromScratch.dll\"\nusing FromScratch;");
        string text = Inspect(k, "GradientCheck.RelativeError(0.5, ")!;
        Assert.Contains("(method) FromScratch.GradientCheck.RelativeError(", text);
        Assert.Contains("Relative error", text); // the library's XML doc
        // On a name inside the arguments, that name.
        k.Client.Run("double half = 0.5;");
        Assert.Contains("half", Inspect(k, "Math.Sqrt(half"));
    }

    [Fact]
    public void Input_request_carries_what_the_cell_wrote_before_ReadLine_and_it_is_not_printed_twice()
    {
        using var k = new RunningKernel();
        var request = k.Client.Execute("Console.Write(\"Type a word: \");\nvar word = Console.ReadLine();\nword!.ToUpperInvariant()", allowStdin: true);
        var ask = k.Client.Receive(k.Client.Stdin);
        Assert.Equal("input_request", ask.Type);
        Assert.Equal("Type a word: ", String(ask.Content["prompt"]));
        KernelClient.SendRaw(k.Client.Stdin, k.Client.Frames(new JupyterMessage([], JupyterMessage.NewHeader("input_reply", "s"), ask.Header, [],
            new JsonObject { ["value"] = "hello" }, [])));
        Assert.Equal("ok", String(k.Client.Receive(k.Client.Shell).Content["status"]));
        var iopub = k.Client.IOPubUntilIdle(request);
        Assert.DoesNotContain(iopub, m => m.Type == "stream");
        Assert.Equal("HELLO", String(iopub.Single(m => m.Type == "execute_result").Content["data"]!["text/plain"]));
    }

    [Fact]
    public void History_request_answers_the_executed_inputs_by_tail_range_and_search()
    {
        using var k = new RunningKernel();
        k.Client.Run("var a = 1;");
        k.Client.Run("var b = 2;");
        k.Client.Run("a + b");
        JsonArray History(JsonObject content)
        {
            k.Client.Send(k.Client.Shell, "history_request", content);
            var reply = k.Client.Receive(k.Client.Shell);
            Assert.Equal("history_reply", reply.Type);
            Assert.Equal("ok", String(reply.Content["status"]));
            return reply.Content["history"]!.AsArray();
        }
        var tail = History(new JsonObject { ["hist_access_type"] = "tail", ["n"] = 2, ["output"] = false, ["raw"] = true });
        Assert.Equal(["var b = 2;", "a + b"], tail.Select(h => String(h![2])));
        Assert.Equal([2, 3], tail.Select(h => h![1]!.GetValue<int>()));
        var range = History(new JsonObject { ["hist_access_type"] = "range", ["session"] = 0, ["start"] = 1, ["stop"] = 3, ["output"] = false, ["raw"] = true });
        Assert.Equal(["var a = 1;", "var b = 2;"], range.Select(h => String(h![2])));
        var search = History(new JsonObject { ["hist_access_type"] = "search", ["pattern"] = "var*", ["n"] = 10, ["unique"] = true, ["output"] = false, ["raw"] = true });
        Assert.Equal(["var a = 1;", "var b = 2;"], search.Select(h => String(h![2])));
    }

    [Fact]
    public void Without_a_notebook_name_errors_name_the_cell_only()
    {
        var (file, _) = KernelProcess.ConnectionFile(TempFolder());
        string folder = TempFolder();
        var connection = ConnectionInfo.Load(file);
        var start = new System.Diagnostics.ProcessStartInfo(KernelProcess.Dotnet) { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = folder };
        foreach (string a in new[] { KernelProcess.ToolAssembly, "kernel", "start", "--connection-file", file }) start.ArgumentList.Add(a);
        foreach (var (session, expected) in new[] { ("", "cell 1 (code cell 1), line 1"), ("lesson.ipynb", Path.Combine(folder, "lesson.ipynb") + ", cell 1 (code cell 1), line 1") })
        {
            start.Environment["JPY_SESSION_NAME"] = session;
            using var process = System.Diagnostics.Process.Start(start)!;
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            try
            {
                using var client = new KernelClient(connection);
                client.WaitForReady();
                var (reply, _) = client.Run("throw new Exception(\"x\");");
                string traceback = string.Join("\n", reply.Content["traceback"]!.AsArray().Select(l => String(l)));
                Assert.Contains($"at {expected}", traceback);
                Assert.DoesNotContain("notebook.ipynb", traceback);
            }
            finally
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }
        }
    }
}
