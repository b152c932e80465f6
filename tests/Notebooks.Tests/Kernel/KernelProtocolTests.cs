using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FromScratch.Notebooks.Jupyter;
using NetMQ;
using static FromScratch.Notebooks.Tests.TestSupport;

namespace FromScratch.Notebooks.Tests.Kernel;

/// <summary>A kernel served in this process on free ports with a random key, and a client connected to it.</summary>
internal sealed class RunningKernel : IDisposable
{
    private readonly StringWriter _log = new();

    public JupyterKernel Kernel { get; }
    public KernelClient Client { get; }
    public string Log { get { lock (_log) return _log.ToString(); } }

    public RunningKernel(string? notebookPath = null)
    {
        var connection = new ConnectionInfo { Key = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)) };
        Kernel = new JupyterKernel(new KernelOptions
        {
            Connection = connection,
            NotebookPath = notebookPath ?? Path.Combine(TempFolder(), "kernel-test.ipynb"),
            Packages = LibraryPackages(),
            Log = TextWriter.Synchronized(_log),
        });
        Kernel.Start();
        Client = new KernelClient(Kernel.Connection);
        Client.WaitForReady();
    }

    public void Dispose()
    {
        Client.Dispose();
        Kernel.Dispose();
    }
}

/// <summary>The Jupyter messaging protocol, spoken by a NetMQ test client to a kernel in this process.</summary>
public class KernelProtocolTests
{
    [Fact]
    public void Kernel_info_reply_names_the_protocol_and_the_language_and_is_signed_with_the_key()
    {
        using var k = new RunningKernel();
        var request = k.Client.Send(k.Client.Shell, "kernel_info_request", []);
        var frames = new List<byte[]>();
        Assert.True(k.Client.Shell.TryReceiveMultipartBytes(KernelClient.Timeout, ref frames));

        // The signature is the HMAC-SHA256 of the four JSON frames with the connection key, and only that key verifies it.
        var (reply, error, _) = new WireCodec(new MessageSigner(k.Kernel.Connection.Key)).Decode(frames);
        Assert.Null(error);
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(k.Kernel.Connection.Key));
        string expected = Convert.ToHexStringLower(hmac.ComputeHash(frames.Skip(2).Take(4).SelectMany(f => f).ToArray()));
        Assert.Equal(expected, Encoding.ASCII.GetString(frames[1]));
        var (_, otherKey, _) = new WireCodec(new MessageSigner("another key")).Decode(frames);
        Assert.Equal("wrong signature", otherKey!.Problem);

        Assert.Equal("kernel_info_reply", reply!.Type);
        Assert.Equal(request.Id, String(reply.ParentHeader["msg_id"]));
        Assert.Equal("5.3", String(reply.Header["version"]));
        var content = reply.Content;
        Assert.Equal("ok", String(content["status"]));
        Assert.Equal("5.3", String(content["protocol_version"]));
        Assert.Equal("C#", String(content["language_info"]!["name"]));
        Assert.Equal("text/x-csharp", String(content["language_info"]!["mimetype"]));
        Assert.Equal(".cs", String(content["language_info"]!["file_extension"]));
        var iopub = k.Client.IOPubUntilIdle(request);
        Assert.Equal(["busy", "idle"], iopub.Select(m => String(m.Content["execution_state"])));
    }

    [Fact]
    public void Execute_publishes_busy_input_stream_display_result_idle_in_order_and_counts_executions()
    {
        using var k = new RunningKernel();
        var (reply, iopub) = k.Client.Run("Console.WriteLine(\"hi\");\ndisplay(HTML(\"<b>x</b>\"));\n6 * 7");
        Assert.Equal(["status", "execute_input", "stream", "display_data", "execute_result", "status"], iopub.Select(m => m.Type));
        Assert.Equal("busy", String(iopub[0].Content["execution_state"]));
        Assert.Equal(1, iopub[1].Content["execution_count"]!.GetValue<int>());
        Assert.StartsWith("Console.WriteLine", String(iopub[1].Content["code"]));
        Assert.Equal("stdout", String(iopub[2].Content["name"]));
        Assert.Equal("hi\n", String(iopub[2].Content["text"]));
        Assert.Equal("<b>x</b>", String(iopub[3].Content["data"]!["text/html"]));
        Assert.Equal("42", String(iopub[4].Content["data"]!["text/plain"]));
        Assert.Equal(1, iopub[4].Content["execution_count"]!.GetValue<int>());
        Assert.Equal("idle", String(iopub[5].Content["execution_state"]));
        Assert.Equal("ok", String(reply.Content["status"]));
        Assert.Equal(1, reply.Content["execution_count"]!.GetValue<int>());

        var (second, _) = k.Client.Run("var y = 1;");
        Assert.Equal(2, second.Content["execution_count"]!.GetValue<int>());
    }

    [Fact]
    public void Figures_go_out_as_plotly_json_objects_with_html()
    {
        using var k = new RunningKernel(Fixture("figure.ipynb"));
        var source = Format.NotebookDocument.Load(Fixture("figure.ipynb")).Cells.Where(c => c.IsCode).Select(c => c.Source).ToList();
        k.Client.Run(source[0]);
        var (reply, iopub) = k.Client.Run(source[1]);
        Assert.Equal("ok", String(reply.Content["status"]));
        var figures = iopub.Where(m => m.Type is "display_data" or "execute_result").ToList();
        Assert.Equal(["display_data", "execute_result"], figures.Select(m => m.Type));
        foreach (var figure in figures)
        {
            var data = figure.Content["data"]!;
            var plotly = Assert.IsType<JsonObject>(data["application/vnd.plotly.v1+json"]);
            Assert.Equal("squares", String(plotly["layout"]!["title"]!["text"]));
            Assert.Equal(9, plotly["data"]![0]!["y"]![2]!.GetValue<int>());
            Assert.Contains("newPlot", String(data["text/html"]));
        }
        Assert.Contains("FAKE-PLOTLY-JS", String(figures[0].Content["data"]!["text/html"])); // plotly.js once per session
        Assert.DoesNotContain("FAKE-PLOTLY-JS", String(figures[1].Content["data"]!["text/html"]));
    }

    [Fact]
    public void A_cell_that_throws_gives_an_error_and_the_kernel_keeps_its_state()
    {
        using var k = new RunningKernel();
        k.Client.Run("var kept = 5;");
        var (reply, iopub) = k.Client.Run("throw new InvalidOperationException(\"boom\");");
        var error = iopub.Single(m => m.Type == "error");
        Assert.Equal("InvalidOperationException", String(error.Content["ename"]));
        Assert.Equal("boom", String(error.Content["evalue"]));
        Assert.NotEmpty(error.Content["traceback"]!.AsArray());
        Assert.Equal("error", String(reply.Content["status"]));
        Assert.Equal("InvalidOperationException", String(reply.Content["ename"]));
        Assert.Equal(2, reply.Content["execution_count"]!.GetValue<int>());

        var (compile, _) = k.Client.Run("int broken = ;");
        Assert.Equal("CompilationError", String(compile.Content["ename"]));
        Assert.Equal("6", k.Client.Evaluate("kept + 1"));
    }

    [Fact]
    public void Interrupt_on_control_stops_a_looping_cell_and_keeps_the_state()
    {
        using var k = new RunningKernel();
        k.Client.Run("var before = 1;");
        var request = k.Client.Execute("while (true) { }");
        // The cell is running once its execute_input is out.
        while (k.Client.Receive(k.Client.IOPub) is var m && !(m.Type == "execute_input" && String(m.ParentHeader["msg_id"]) == request.Id)) { }
        var interrupt = k.Client.Send(k.Client.Control, "interrupt_request", []);
        var interruptReply = k.Client.Receive(k.Client.Control);
        Assert.Equal("interrupt_reply", interruptReply.Type);
        Assert.Equal(interrupt.Id, String(interruptReply.ParentHeader["msg_id"]));
        Assert.Equal("ok", String(interruptReply.Content["status"]));

        var reply = k.Client.Receive(k.Client.Shell);
        Assert.Equal(request.Id, String(reply.ParentHeader["msg_id"]));
        Assert.Equal("error", String(reply.Content["status"]));
        Assert.Equal("Interrupted", String(reply.Content["ename"]));
        Assert.Equal("2", k.Client.Evaluate("before + 1"));
    }

    [Fact]
    public void After_an_error_queued_executions_are_aborted_unless_stop_on_error_is_false()
    {
        using var k = new RunningKernel();
        k.Client.Run("int ran = 0;");
        var failing = k.Client.Execute("System.Threading.Thread.Sleep(1000); throw new Exception(\"first\");");
        var queued = k.Client.Execute("ran++;");
        Assert.Equal("error", String(k.Client.Receive(k.Client.Shell).Content["status"]));
        var aborted = k.Client.Receive(k.Client.Shell);
        Assert.Equal(queued.Id, String(aborted.ParentHeader["msg_id"]));
        Assert.Equal("aborted", String(aborted.Content["status"]));
        Assert.Equal("0", k.Client.Evaluate("ran"));

        k.Client.Execute("System.Threading.Thread.Sleep(1000); throw new Exception(\"second\");", stopOnError: false);
        var runs = k.Client.Execute("ran++;");
        Assert.Equal("error", String(k.Client.Receive(k.Client.Shell).Content["status"]));
        Assert.Equal("ok", String(k.Client.Receive(k.Client.Shell).Content["status"]));
        Assert.Equal("1", k.Client.Evaluate("ran"));
    }

    [Theory]
    [InlineData("var x = 1;", "complete")]
    [InlineData("", "complete")]
    [InlineData("if (true) {", "incomplete")]
    [InlineData("Math.Max(1,", "incomplete")]
    [InlineData("int x = ;", "invalid")]
    public void Is_complete_tells_whole_statements_from_unfinished_ones(string code, string status)
    {
        using var k = new RunningKernel();
        k.Client.Send(k.Client.Shell, "is_complete_request", new JsonObject { ["code"] = code });
        var reply = k.Client.Receive(k.Client.Shell);
        Assert.Equal("is_complete_reply", reply.Type);
        Assert.Equal(status, String(reply.Content["status"]));
        if (status == "incomplete") Assert.NotNull(reply.Content["indent"]);
    }

    [Fact]
    public void Complete_lists_members_after_a_dot_and_names_in_scope_with_code_point_positions()
    {
        using var k = new RunningKernel();
        k.Client.Run("var text = \"abc\";\nint Twice(int v) => 2 * v;");

        var members = Complete(k, "text.ToUp", 9);
        Assert.Contains("ToUpper", members.Matches);
        Assert.Contains("ToUpperInvariant", members.Matches);
        Assert.DoesNotContain("ToLower", members.Matches);
        Assert.Equal((5, 9), (members.Start, members.End));

        var scope = Complete(k, "Tw", 2);
        Assert.Contains("Twice", scope.Matches);
        Assert.Contains("text", Complete(k, "te", 2).Matches); // a variable of an earlier cell
        Assert.Contains("Console", Complete(k, "Conso", 5).Matches);
        Assert.Contains("while", Complete(k, "whi", 3).Matches);

        Assert.Contains("Sqrt", Complete(k, "Math.Sq", 7).Matches); // static members of a type
        Assert.Contains("Where", Complete(k, "new[] { 1 }.Whe", 16).Matches); // extension methods

        // Jupyter counts code points: "😀" is one code point but two UTF-16 units.
        string code = "var s = \"😀\"; s.Len";
        int cursor = code.EnumerateRunes().Count();
        var emoji = Complete(k, code, cursor);
        Assert.Contains("Length", emoji.Matches);
        Assert.Equal((cursor - 3, cursor), (emoji.Start, emoji.End));

        Assert.Empty(Complete(k, "// Cons", 7).Matches); // nothing inside a comment
    }

    private static (List<string> Matches, int Start, int End) Complete(RunningKernel k, string code, int cursor)
    {
        k.Client.Send(k.Client.Shell, "complete_request", new JsonObject { ["code"] = code, ["cursor_pos"] = cursor });
        var reply = k.Client.Receive(k.Client.Shell);
        Assert.Equal("complete_reply", reply.Type);
        Assert.Equal("ok", String(reply.Content["status"]));
        return (reply.Content["matches"]!.AsArray().Select(m => m!.GetValue<string>()).ToList(),
            reply.Content["cursor_start"]!.GetValue<int>(), reply.Content["cursor_end"]!.GetValue<int>());
    }

    [Fact]
    public void Inspect_shows_the_signature_and_the_library_documentation()
    {
        using var k = new RunningKernel(Fixture("library.ipynb"));
        k.Client.Run("#r \"../../../build/lib/FromScratch.dll\"\nusing FromScratch;");
        string code = "GradientCheck.CentralDifference";
        k.Client.Send(k.Client.Shell, "inspect_request", new JsonObject { ["code"] = code, ["cursor_pos"] = code.Length, ["detail_level"] = 0 });
        var reply = k.Client.Receive(k.Client.Shell);
        Assert.Equal("inspect_reply", reply.Type);
        Assert.True(reply.Content["found"]!.GetValue<bool>());
        string text = String(reply.Content["data"]!["text/plain"])!;
        Assert.Contains("(method) FromScratch.GradientCheck.CentralDifference(", text);
        string summary = System.Xml.Linq.XDocument.Load(Path.Combine(RepoRoot, "build", "lib", "FromScratch.xml")).Descendants("member")
            .First(m => ((string?)m.Attribute("name"))!.StartsWith("M:FromScratch.GradientCheck.CentralDifference", StringComparison.Ordinal))
            .Element("summary")!.Value;
        string firstWords = string.Join(' ', summary.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Take(4));
        Assert.Contains(firstWords, text);

        k.Client.Send(k.Client.Shell, "inspect_request", new JsonObject { ["code"] = "   ", ["cursor_pos"] = 1 });
        Assert.False(k.Client.Receive(k.Client.Shell).Content["found"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Shutdown_request_is_answered_and_stops_the_kernel(bool restart)
    {
        using var k = new RunningKernel();
        var request = k.Client.Send(k.Client.Control, "shutdown_request", new JsonObject { ["restart"] = restart });
        var reply = k.Client.Receive(k.Client.Control);
        Assert.Equal("shutdown_reply", reply.Type);
        Assert.Equal(request.Id, String(reply.ParentHeader["msg_id"]));
        Assert.Equal(restart, reply.Content["restart"]!.GetValue<bool>());
        Assert.StartsWith("shutdown_request", await k.Kernel.Stopped.WaitAsync(KernelClient.Timeout));
    }

    [Fact]
    public void Messages_with_a_wrong_or_missing_signature_are_dropped_logged_and_never_executed()
    {
        using var k = new RunningKernel();
        string marker = Path.Combine(TempFolder(), "executed.txt");
        string evil = $"System.IO.File.WriteAllText(@\"{marker}\", \"x\");";
        var content = new JsonObject { ["code"] = evil, ["silent"] = false, ["allow_stdin"] = false };

        var forged = new WireCodec(new MessageSigner("not the key")).Encode(k.Client.Message("execute_request", content));
        KernelClient.SendRaw(k.Client.Shell, forged);
        var unsigned = k.Client.Frames(k.Client.Message("execute_request", content.DeepClone().AsObject()));
        unsigned[1] = [];
        KernelClient.SendRaw(k.Client.Shell, unsigned);

        // The next reply answers the next good request: the forged ones got none, and never ran.
        var (reply, _) = k.Client.Run($"System.IO.File.Exists(@\"{marker}\")");
        Assert.Equal(1, reply.Content["execution_count"]!.GetValue<int>());
        Assert.Equal("false", k.Client.Evaluate($"System.IO.File.Exists(@\"{marker}\")").ToLowerInvariant());
        Assert.False(File.Exists(marker));
        Assert.Contains("dropped a message on shell: wrong signature", k.Log);
        Assert.Contains("dropped a message on shell: missing signature", k.Log);
    }

    [Fact]
    public void A_replayed_message_is_dropped()
    {
        using var k = new RunningKernel();
        k.Client.Run("int count = 0;");
        var frames = k.Client.Frames(k.Client.Message("execute_request", new JsonObject { ["code"] = "count++;" }));
        KernelClient.SendRaw(k.Client.Shell, frames);
        Assert.Equal("execute_reply", k.Client.Receive(k.Client.Shell).Type);
        KernelClient.SendRaw(k.Client.Shell, frames);
        Assert.Equal("1", k.Client.Evaluate("count"));
        Assert.Contains("replay", k.Log);
    }

    [Fact]
    public void Malformed_messages_get_an_error_reply_and_the_kernel_goes_on()
    {
        using var k = new RunningKernel();
        var message = k.Client.Message("execute_request", []);
        var frames = k.Client.Frames(message);
        frames[5] = "{not json"u8.ToArray();
        var signer = new MessageSigner(k.Kernel.Connection.Key);
        frames[1] = Encoding.ASCII.GetBytes(signer.Sign(frames.Skip(2).Take(4).ToList()));
        KernelClient.SendRaw(k.Client.Shell, frames);
        var reply = k.Client.Receive(k.Client.Shell);
        Assert.Equal("execute_reply", reply.Type);
        Assert.Equal(message.Id, String(reply.ParentHeader["msg_id"]));
        Assert.Equal("error", String(reply.Content["status"]));
        Assert.Equal("MalformedMessage", String(reply.Content["ename"]));
        Assert.Contains("content is not valid JSON", String(reply.Content["evalue"]));

        // Well-formed JSON without the required field.
        var noCode = k.Client.Send(k.Client.Shell, "execute_request", new JsonObject { ["silent"] = false });
        var noCodeReply = k.Client.Receive(k.Client.Shell);
        Assert.Equal(noCode.Id, String(noCodeReply.ParentHeader["msg_id"]));
        Assert.Equal("MalformedMessage", String(noCodeReply.Content["ename"]));
        Assert.Contains("content.code", String(noCodeReply.Content["evalue"]));

        k.Client.Send(k.Client.Shell, "no_such_request", []);
        Assert.Equal("no_such_reply", k.Client.Receive(k.Client.Shell).Type);

        Assert.Equal("3", k.Client.Evaluate("1 + 2"));
    }

    [Fact]
    public void Heartbeat_echoes()
    {
        using var k = new RunningKernel();
        k.Client.Heartbeat.SendFrame("ping");
        Assert.True(k.Client.Heartbeat.TryReceiveFrameString(KernelClient.Timeout, out string? echo));
        Assert.Equal("ping", echo);
    }

    [Fact]
    public void Console_ReadLine_asks_the_front_end_on_stdin()
    {
        using var k = new RunningKernel();
        var request = k.Client.Execute("var name = Console.ReadLine();\nname.ToUpperInvariant()", allowStdin: true);
        var ask = k.Client.Receive(k.Client.Stdin);
        Assert.Equal("input_request", ask.Type);
        Assert.Equal(request.Id, String(ask.ParentHeader["msg_id"]));
        var answer = k.Client.Message("input_reply", new JsonObject { ["value"] = "ada" });
        answer = answer with { ParentHeader = ask.Header };
        KernelClient.SendRaw(k.Client.Stdin, k.Client.Frames(answer));
        Assert.Equal("ok", String(k.Client.Receive(k.Client.Shell).Content["status"]));
        var result = k.Client.IOPubUntilIdle(request).Single(m => m.Type == "execute_result");
        Assert.Contains("ADA", String(result.Content["data"]!["text/plain"]));

        var (refused, _) = k.Client.Run("Console.ReadLine()"); // allow_stdin false
        Assert.Equal("InvalidOperationException", String(refused.Content["ename"]));
    }
}
