using FromScratch.Notebooks.Engine;
using NetMQ.Sockets;

namespace FromScratch.Notebooks.Jupyter;

/// <summary>
/// What the kernel's request handlers share: the transport they answer through, the session cells run in, the cell
/// running now (<see cref="Running"/>, which interrupt_request, stdin and shutdown reach), the execution counter, the
/// shell request being handled (the parent of widget messages) and whether the kernel is stopping. Shell requests are
/// handled on the shell thread one at a time; interrupt and shutdown also arrive on the control thread, so the running
/// cell and the stopping flag are read from both.
/// </summary>
internal sealed class KernelContext(KernelOptions options, KernelTransport transport, NotebookSession session, Action<string> log)
{
    private readonly TaskCompletionSource<string> _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile RunningCell? _running;
    private volatile bool _stopping;

    /// <summary>The kernel's settings.</summary>
    public KernelOptions Options { get; } = options;

    /// <summary>The five sockets: every reply and IOPub message goes out through them, signed.</summary>
    public KernelTransport Transport { get; } = transport;

    /// <summary>The Roslyn session every cell runs in.</summary>
    public NotebookSession Session { get; } = session;

    /// <summary>The cell (or widget redraw) running now, or null.</summary>
    public RunningCell? Running => _running;

    /// <summary>The execution_count of the last stored execution (0 before the first).</summary>
    public int ExecutionCount { get; private set; }

    /// <summary>The shell request being handled: widget messages go out on IOPub as its children.</summary>
    public JupyterMessage? ShellRequest { get; set; }

    /// <summary>True once <see cref="RequestShutdown"/> was called: every loop ends.</summary>
    public bool Stopping => _stopping;

    /// <summary>True when the kernel stopped because a cell could not be stopped (see <see cref="KernelOptions.ExitWhenStuck"/>).</summary>
    public bool StoppedStuck { get; private set; }

    /// <summary>Completes with the reason when the kernel has stopped.</summary>
    public Task<string> Stopped => _stopped.Task;

    /// <summary>Writes a line to the kernel's log.</summary>
    public void Log(string line) => log(line);

    /// <summary>Counts a stored execution and returns its execution_count.</summary>
    public int CountExecution() => ++ExecutionCount;

    /// <summary>
    /// Runs <paramref name="code"/> as the running cell of <paramref name="request"/>: an interrupt or a shutdown
    /// cancels the token it is given; once it returned (or threw), no cell is running.
    /// </summary>
    public T RunAsCell<T>(JupyterMessage request, bool allowStdin, Func<CancellationToken, T> code)
    {
        var cell = new RunningCell(request, allowStdin);
        _running = cell;
        try
        {
            return code(cell.Interrupted);
        }
        finally
        {
            _running = null;
            cell.End();
        }
    }

    /// <summary>
    /// The requests waiting on shell right now, taken off the socket (to be served, merged or aborted by the
    /// handler that took them, in order).
    /// </summary>
    public List<JupyterMessage> TakeWaiting(RouterSocket shell)
    {
        var waiting = new List<JupyterMessage>();
        while (Transport.Receive(shell, "shell", TimeSpan.Zero) is { } queued) waiting.Add(queued);
        return waiting;
    }

    /// <summary>Stops the kernel: the running cell is interrupted and every loop ends. Later calls do nothing.</summary>
    public void RequestShutdown(string reason)
    {
        if (_stopping) return;
        _stopping = true;
        Log($"shutting down: {reason}");
        _running?.Interrupt();
        _stopped.TrySetResult(reason);
    }

    /// <summary>Stops the kernel after a cell it could not stop (under a supervisor, which starts a fresh session).</summary>
    public void StopStuck(string reason)
    {
        StoppedStuck = true;
        RequestShutdown(reason);
    }
}
