using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using FromScratch.Notebooks.Jupyter;
using static FromScratch.Notebooks.Tests.TestSupport;

namespace FromScratch.Notebooks.Tests.Kernel;

/// <summary>
/// The kernel's handlers where no other test reaches them: an interrupt with no cell running, an interrupt of a
/// widget's redraw (comm_msg runs like a cell), shutdown_request on shell (answered there and broadcast on IOPub).
/// </summary>
public class KernelHandlerTests
{
    [Fact]
    public void An_interrupt_with_no_cell_running_is_answered_ok_and_does_not_stop_the_next_cell()
    {
        using var k = new RunningKernel();
        k.Client.Run("var kept = 1;");
        var interrupt = k.Client.Send(k.Client.Control, "interrupt_request", []);
        var reply = k.Client.Receive(k.Client.Control);
        Assert.Equal(("interrupt_reply", interrupt.Id, "ok"), (reply.Type, String(reply.ParentHeader["msg_id"]), String(reply.Content["status"])));
        Assert.Contains("interrupt: no cell is running", k.Log);
        // The interrupt was for no cell: the next one runs to its end, with the variables kept.
        Assert.Equal("2", k.Client.Evaluate("System.Threading.Thread.Sleep(300);\nkept + 1"));
    }

    /// <summary>
    /// In a kernel process of its own (`kernel start`): the library looks up the kernel's widget hook once per process,
    /// so a Knob.Show that ran without a kernel earlier in the test process would make it fall back.
    /// </summary>
    [Fact]
    public void An_interrupt_stops_a_widget_redraw_the_output_says_so_and_the_session_goes_on()
    {
        var (file, connection) = KernelProcess.ConnectionFile(TempFolder());
        var start = new ProcessStartInfo(KernelProcess.Dotnet) { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = TempFolder() };
        foreach (string a in new[] { KernelProcess.ToolAssembly, "kernel", "start", "--connection-file", file }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            using var client = new KernelClient(connection);
            client.WaitForReady();
            var (shown, iopub) = client.Run($"#r \"{LibraryDll}\"\nusing FromScratch;\nbool stuck = false;\n"
                + "var x = Knob.Slider(\"x\", 0, 1, value: 0.5);\n"
                + "Knob.Show(() => { while (stuck) { } return Plot.Lines([0.0, 1], [(\"line\", [0.0, x.Value])], \"t\", \"x\", \"y\"); }, x)");
            Assert.Equal("ok", String(shown.Content["status"]));
            string Opened(string model) => String(iopub.Single(m => m.Type == "comm_open"
                && String(m.Content["data"]!["state"]!["_model_name"]) == model).Content["comm_id"])!;
            string slider = Opened("FloatSliderModel"), output = Opened("OutputModel");
            client.Run("stuck = true;");

            // The front end moves the slider: the redraw loops until interrupted.
            var update = client.Send(client.Shell, "comm_msg", new JsonObject
            {
                ["comm_id"] = slider,
                ["data"] = new JsonObject { ["method"] = "update", ["state"] = new JsonObject { ["value"] = 0.75 }, ["buffer_paths"] = new JsonArray() },
            });
            while (client.Receive(client.IOPub) is var m && !(m.Type == "status" && String(m.ParentHeader["msg_id"]) == update.Id)) { }
            Thread.Sleep(300); // inside the redraw's loop
            client.Send(client.Control, "interrupt_request", []);
            Assert.Equal("interrupt_reply", client.Receive(client.Control).Type);
            var redraw = client.IOPubUntilIdle(update);
            lock (stderr) Assert.Contains($"interrupt: cancelling the cell of {update.Id}", stderr.ToString());
            var outputs = redraw.Where(m => m.Type == "comm_msg" && String(m.Content["comm_id"]) == output)
                .Select(m => m.Content["data"]!["state"]!["outputs"]!.AsArray()).Single();
            Assert.Equal("stream", String(outputs[0]!["output_type"]));
            Assert.Contains("interrupted: the figure was not redrawn", String(outputs[0]!["text"]));

            // The knob kept its new value, the session its variables, and cells run again.
            Assert.Equal("0.75", client.Evaluate("stuck = false;\nx.Value"));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task Shutdown_request_on_shell_is_answered_there_and_broadcast_on_IOPub()
    {
        using var k = new RunningKernel();
        var request = k.Client.Send(k.Client.Shell, "shutdown_request", new JsonObject { ["restart"] = false });
        var reply = k.Client.Receive(k.Client.Shell);
        Assert.Equal(("shutdown_reply", request.Id), (reply.Type, String(reply.ParentHeader["msg_id"])));
        var iopub = k.Client.IOPubUntilIdle(request);
        Assert.Equal(["status", "shutdown_reply", "status"], iopub.Select(m => m.Type));
        Assert.Equal("busy", String(iopub[0].Content["execution_state"]));
        Assert.False(iopub[1].Content["restart"]!.GetValue<bool>());
        Assert.Equal("shutdown_request", await k.Kernel.Stopped.WaitAsync(KernelClient.Timeout));
    }
}
