using System.Text.Json.Nodes;

namespace FromScratch.Notebooks.Jupyter;

/// <summary>
/// The execute requests the front end sent that no execute_reply has answered yet, in order, and which of them runs
/// (the one whose execute_input the worker published last). When the worker dies, the supervisor answers them itself:
/// the running cell gets an error saying how the process ended, with its last stderr lines, and that the session
/// restarted; the cells queued behind it are answered "aborted", as after a failing cell.
/// </summary>
internal sealed class PendingCells(FrontEndChannels front)
{
    private readonly List<(string Id, JsonObject Header, List<byte[]> Identities)> _pending = [];
    private string? _running;

    /// <summary>An execute_request the front end sent.</summary>
    public void Sent(JupyterMessage request) => _pending.Add((request.Id, request.Header, [.. request.Identities]));

    /// <summary>The worker published execute_input for the request <paramref name="msgId"/>: that cell runs now.</summary>
    public void Started(string? msgId) => _running = msgId;

    /// <summary>The worker sent the execute_reply for the request <paramref name="msgId"/>.</summary>
    public void Answered(string msgId) => _pending.RemoveAll(p => p.Id == msgId);

    /// <summary>
    /// The worker died (<paramref name="exitCode"/>, its last <paramref name="stderr"/> lines): the running cell gets the
    /// error output, its execute_reply and status idle, the rest "aborted". Returns the msg_id of the cell told, or
    /// null when none was running (the pending ones, if any, were only aborted).
    /// </summary>
    public string? AnswerDeath(int exitCode, List<string> stderr)
    {
        if (_pending.Count == 0) return null;
        int running = _pending.FindIndex(p => p.Id == _running);
        if (running < 0)
        {
            AbortAll();
            return null;
        }
        if (running > 0) _pending.RemoveRange(0, running); // answered already (cannot happen: replies remove them)
        var last = WorkerExit.LastLines(stderr);
        string message = $"the kernel's process ended while this cell ran ({WorkerExit.Describe(exitCode)}). "
            + "The kernel restarted its session: every variable is lost, run the cells above again";
        var traceback = new JsonArray($"KernelProcessDied: {message}");
        if (last.Count > 0)
        {
            traceback.Add("  its last lines on stderr:");
            foreach (string line in last) traceback.Add($"  | {line}");
        }
        var (id, header, identities) = _pending[0];
        var error = new JsonObject { ["ename"] = "KernelProcessDied", ["evalue"] = message, ["traceback"] = traceback };
        front.Publish("error", header, error);
        var reply = (JsonObject)error.DeepClone();
        reply["status"] = "error";
        reply["execution_count"] = 0;
        front.Reply(identities, header, "execute_reply", reply);
        front.Publish("status", header, new JsonObject { ["execution_state"] = "idle" });
        _pending.RemoveAt(0);
        AbortAll();
        return id;
    }

    /// <summary>Every pending cell: status busy, execute_reply "aborted", status idle; none is pending after.</summary>
    private void AbortAll()
    {
        foreach (var (_, header, identities) in _pending)
        {
            front.Publish("status", header, new JsonObject { ["execution_state"] = "busy" });
            front.Reply(identities, header, "execute_reply", new JsonObject { ["status"] = "aborted", ["execution_count"] = 0 });
            front.Publish("status", header, new JsonObject { ["execution_state"] = "idle" });
        }
        _pending.Clear();
    }
}
