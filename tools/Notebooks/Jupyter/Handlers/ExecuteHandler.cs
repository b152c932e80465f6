using System.Text.Json.Nodes;
using FromScratch.Notebooks.Engine;
using FromScratch.Notebooks.Format;
using NetMQ.Sockets;
using static FromScratch.Notebooks.Jupyter.RequestContent;

namespace FromScratch.Notebooks.Jupyter;

/// <summary>
/// execute_request: counts the execution, records it in the history, publishes execute_input, runs the cell in the
/// session as the running cell (an interrupt stops it, the variables stay) with each output published on IOPub as it
/// comes, then sends execute_reply. A cell that fails is an error in that cell: its reply carries the error, and with
/// stop_on_error the execute requests already waiting are answered "aborted", as ipykernel does.
/// </summary>
internal sealed class ExecuteHandler(
    KernelContext kernel, HistoryHandler history, WidgetComms widgets, Action<RouterSocket, JupyterMessage> serveShell)
{
    /// <summary>Runs the cell of <paramref name="request"/> and answers it (the status busy/idle around it is the caller's).</summary>
    public void Execute(RouterSocket shell, JupyterMessage request)
    {
        widgets.MakeCurrent(); // Knob.Show in the cell opens its widgets through this kernel
        var content = request.Content;
        string code = Required<string>(content, "code");
        bool silent = Optional(content, "silent", false);
        bool storeHistory = Optional(content, "store_history", !silent);
        bool allowStdin = Optional(content, "allow_stdin", true);
        bool stopOnError = Optional(content, "stop_on_error", true);
        int count = storeHistory && !silent ? kernel.CountExecution() : kernel.ExecutionCount;
        if (storeHistory && !silent) history.Record(count, code);
        if (!silent) kernel.Transport.Publish("execute_input", request, new JsonObject { ["code"] = code, ["execution_count"] = count });

        ErrorOutput? error = null;
        var result = kernel.RunAsCell(request, allowStdin, interrupt =>
            kernel.Session.ExecuteAsync(code, new CellLocation(count, count), output =>
            {
                if (output is ResultOutput && silent) return;
                if (output is ErrorOutput e) error = e;
                var (type, body) = OutputJson.Message(output, count);
                kernel.Transport.Publish(type, request, body);
            }, timeout: null, interrupt).GetAwaiter().GetResult());

        if (result.Status == CellStatus.Ok)
        {
            kernel.Transport.Send(shell, request, "execute_reply", new JsonObject
            {
                ["status"] = "ok", ["execution_count"] = count, ["payload"] = new JsonArray(), ["user_expressions"] = new JsonObject(),
            });
            return;
        }
        // Requests already waiting (e.g. the rest of "run all") are taken before the reply goes
        // out, so that only they are aborted, never a request sent in answer to this reply.
        var waiting = stopOnError ? kernel.TakeWaiting(shell) : [];
        var reply = OutputJson.ErrorContent(error ?? new ErrorOutput("CellFailed", $"the cell ended with status {result.Status}", []));
        reply["status"] = "error";
        reply["execution_count"] = count;
        bool restart = !kernel.Session.IsUsable && kernel.Options.ExitWhenStuck;
        // Under a supervisor, the reply says that this worker ends: the supervisor holds later requests for the next one.
        kernel.Transport.Send(shell, request, "execute_reply", reply, restart ? new JsonObject { [KernelSupervisor.RestartingMetadata] = true } : null);
        if (restart) kernel.StopStuck("a cell could not be stopped: the supervisor restarts the session");
        foreach (var queued in waiting)
        {
            if (queued.Type == "execute_request") Abort(shell, queued);
            else serveShell(shell, queued);
        }
    }

    /// <summary>A queued execute_request after a failing cell: busy, execute_reply "aborted", idle; it never runs.</summary>
    private void Abort(RouterSocket shell, JupyterMessage queued)
    {
        kernel.Transport.PublishStatus("busy", queued);
        kernel.Transport.Send(shell, queued, "execute_reply", new JsonObject { ["status"] = "aborted", ["execution_count"] = kernel.ExecutionCount });
        kernel.Transport.PublishStatus("idle", queued);
    }
}
