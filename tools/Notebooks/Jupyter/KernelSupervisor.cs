using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using NetMQ;
using NetMQ.Sockets;

namespace FromScratch.Notebooks.Jupyter;

/// <summary>
/// What the kernelspec starts: a small process that owns the front end's five sockets and the
/// heartbeat, and runs the real kernel (a <see cref="JupyterKernel"/> with its Roslyn session) as
/// a worker process on loopback ports of its own, relaying every message both ways unchanged (the
/// worker verifies and signs with the same key). When the worker dies while a cell runs (a native
/// crash, a stack overflow the guards did not catch, Environment.FailFast, the out-of-memory
/// killer), the supervisor answers that cell itself: an error output saying how the process ended
/// (exit code or signal, the last lines it wrote to stderr) and that the session restarted, the
/// execute_reply and status idle; queued cells are answered "aborted". Then it starts a new worker,
/// so the front end keeps its connection. Interrupts and shutdown/restart requests pass through;
/// after a shutdown_reply the supervisor ends with its worker. It never loads Roslyn: its start-up
/// is a .NET process with NetMQ.
/// </summary>
public sealed class KernelSupervisor : IDisposable
{
    /// <summary>The line a worker prints on stdout once bound: this prefix, then its connection JSON on one line.</summary>
    public const string ReadyPrefix = "FROMSCRATCH-WORKER-READY ";

    /// <summary>The worker's exit code after a cell that could not be stopped: restart without a report (the cell said so).</summary>
    public const int StuckExitCode = 75;

    /// <summary>execute_reply metadata of a worker that ends after this reply (a cell it could not stop).</summary>
    public const string RestartingMetadata = "fromscratch_worker_restarting";

    private const int StderrLines = 12;

    private readonly ConnectionInfo _front;
    private readonly WireCodec _codec;
    private readonly TextWriter _log;
    private readonly Func<ProcessStartInfo> _workerStart;
    private readonly string _sessionId = Guid.NewGuid().ToString("N");
    private readonly RouterSocket _shell = new(), _control = new(), _stdin = new();
    private readonly PublisherSocket _iopub = new();
    private readonly ResponseSocket _heartbeat = new();
    private readonly NetMQQueue<Action> _actions = new();
    private readonly NetMQTimer _probeTimer = new(TimeSpan.FromMilliseconds(500));
    private readonly NetMQPoller _poller;
    private readonly List<(RouterSocket Channel, List<byte[]> Frames)> _backlog = [];
    private readonly List<(string Id, JsonObject Header, List<byte[]> Identities)> _pending = [];
    private readonly TaskCompletionSource<int> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<DateTime> _recentStarts = [];
    private Worker? _worker;
    private string? _running; // msg_id of the execute_request whose execute_input the worker published last
    private bool _shuttingDown;
    private int _generation;

    /// <summary>Creates the supervisor; <paramref name="workerStart"/> gives the worker's command line (its --connection-file is appended).</summary>
    public KernelSupervisor(ConnectionInfo front, Func<ProcessStartInfo> workerStart, TextWriter log)
    {
        _front = front;
        _codec = new WireCodec(new MessageSigner(front.Key));
        _workerStart = workerStart;
        _log = log;
        _poller = [_shell, _control, _stdin, _heartbeat, _actions];
    }

    /// <summary>Completes with the process exit code when the supervisor has stopped.</summary>
    public Task<int> Done => _done.Task;

    /// <summary>The worker's process id (for tests and for forwarding SIGINT), or null between workers.</summary>
    public int? WorkerProcessId => _worker?.Process.Id;

    /// <summary>Binds the front end's sockets, starts the first worker and serves on a thread of its own.</summary>
    public void Start()
    {
        foreach (var socket in new NetMQSocket[] { _shell, _control, _stdin, _iopub, _heartbeat })
        {
            socket.Options.Linger = TimeSpan.FromSeconds(1);
            socket.Options.SendHighWatermark = 100_000;
            socket.Options.ReceiveHighWatermark = 100_000;
        }
        Bind(_shell, _front.ShellPort, "shell");
        Bind(_iopub, _front.IOPubPort, "iopub");
        Bind(_stdin, _front.StdinPort, "stdin");
        Bind(_control, _front.ControlPort, "control");
        Bind(_heartbeat, _front.HeartbeatPort, "heartbeat");
        _shell.ReceiveReady += (_, e) => FromFront(_shell, e.Socket.ReceiveMultipartBytes());
        _control.ReceiveReady += (_, e) => FromFront(_control, e.Socket.ReceiveMultipartBytes());
        _stdin.ReceiveReady += (_, e) => FromFront(_stdin, e.Socket.ReceiveMultipartBytes());
        _heartbeat.ReceiveReady += (_, e) => e.Socket.SendMultipartBytes(e.Socket.ReceiveMultipartBytes());
        _actions.ReceiveReady += (_, e) => { while (e.Queue.TryDequeue(out var action, TimeSpan.Zero)) action(); };
        // Until a new worker answers its probe on shell and IOPub, probe it again twice a second.
        // (One timer for the supervisor's life: NetMQ does not allow removing a timer from its own handler.)
        _probeTimer.Elapsed += (_, _) =>
        {
            if (_worker is { Ready: false, Shell: not null } worker) Probe(worker);
        };
        _poller.Add(_probeTimer);
        StartWorker();
        _poller.RunAsync("kernel-supervisor");
    }

    /// <summary>Asks the running cell to stop: SIGINT to the worker (which interrupts, as an interrupt_request does).</summary>
    public void Interrupt()
    {
        if (_worker?.Process is { HasExited: false } process) _ = NativeSignal.Send(process.Id, NativeSignal.SIGINT);
    }

    /// <summary>Ends the worker and the supervisor (SIGTERM, the front end gone).</summary>
    public void Shutdown(string reason) => _actions.Enqueue(() =>
    {
        Log($"shutting down: {reason}");
        _shuttingDown = true;
        if (_worker?.Process is { HasExited: false } process)
        {
            _ = NativeSignal.Send(process.Id, NativeSignal.SIGTERM);
            if (!process.WaitForExit(5000)) process.Kill(entireProcessTree: true);
        }
        _done.TrySetResult(0);
    });

    /// <summary>Stops serving and closes the sockets.</summary>
    public void Dispose()
    {
        if (_poller.IsRunning) _poller.Stop();
        _worker?.Dispose();
        _poller.Dispose();
        foreach (var socket in new NetMQSocket[] { _shell, _control, _stdin, _iopub, _heartbeat }) socket.Dispose();
        _actions.Dispose();
    }

    private void Bind(NetMQSocket socket, int port, string name)
    {
        try
        {
            socket.Bind($"tcp://{_front.IP}:{port}");
        }
        catch (NetMQException e)
        {
            throw new ConnectionFileException($"cannot bind the {name} socket to port {port}: {e.Message}");
        }
    }

    // ---- the worker --------------------------------------------------------------------------

    private sealed class Worker(Process process, int generation, string connectionFile) : IDisposable
    {
        public Process Process { get; } = process;
        public int Generation { get; } = generation;
        public string ConnectionFile { get; } = connectionFile;
        public Queue<string> Stderr { get; } = new();
        public DealerSocket? Shell, Control, Stdin;
        public SubscriberSocket? IOPub;
        public bool Ready;
        public string? ProbeId;
        public bool ProbeReplied, ProbeSeenOnIOPub;

        public IEnumerable<NetMQSocket> Sockets => new NetMQSocket?[] { Shell, Control, Stdin, IOPub }.OfType<NetMQSocket>();

        public void Dispose()
        {
            foreach (var s in Sockets) s.Dispose();
            Process.Dispose();
            try { File.Delete(ConnectionFile); } catch (IOException) { }
        }
    }

    private void StartWorker()
    {
        var now = DateTime.UtcNow;
        _recentStarts.RemoveAll(t => now - t > TimeSpan.FromSeconds(30));
        _recentStarts.Add(now);
        if (_recentStarts.Count > 5)
        {
            Log("the worker died 5 times within 30 s; giving up");
            _done.TrySetResult(1);
            return;
        }
        int generation = ++_generation;
        string file = Path.Combine(Path.GetTempPath(), $"fromscratch-worker-{Environment.ProcessId}-{generation}-{Guid.NewGuid():N}.json");
        var connection = new ConnectionInfo { IP = "127.0.0.1", Key = _front.Key };
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // it holds the key
        using (var stream = new FileStream(file, options))
        using (var writer = new StreamWriter(stream)) writer.Write(connection.ToJson());

        var start = _workerStart();
        start.ArgumentList.Add("--connection-file");
        start.ArgumentList.Add(file);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.Environment["JPY_PARENT_PID"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var worker = new Worker(process, generation, file);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            if (e.Data.StartsWith(ReadyPrefix, StringComparison.Ordinal))
            {
                var bound = ConnectionInfo.Parse(e.Data[ReadyPrefix.Length..], "the worker's ready line");
                _actions.Enqueue(() => Connect(worker, bound));
            }
            else
            {
                Log($"worker stdout: {e.Data}");
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (worker.Stderr)
            {
                worker.Stderr.Enqueue(e.Data);
                while (worker.Stderr.Count > 200) worker.Stderr.Dequeue();
            }
            lock (_log) { _log.WriteLine(e.Data); _log.Flush(); }
        };
        process.Exited += (_, _) =>
        {
            process.WaitForExit(); // the redirected streams are drained before Exited's handlers see the last lines
            _actions.Enqueue(() => WorkerExited(worker));
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _worker = worker;
        Log($"started worker {generation} (pid {process.Id})");
    }

    private void Connect(Worker worker, ConnectionInfo bound)
    {
        if (worker != _worker) return;
        byte[] identity = Encoding.ASCII.GetBytes($"supervisor-{_sessionId}-{worker.Generation}");
        worker.Shell = new DealerSocket();
        worker.Control = new DealerSocket();
        worker.Stdin = new DealerSocket();
        worker.IOPub = new SubscriberSocket();
        foreach (var s in worker.Sockets)
        {
            s.Options.Linger = TimeSpan.Zero;
            s.Options.SendHighWatermark = 100_000;
            s.Options.ReceiveHighWatermark = 100_000;
        }
        worker.Shell.Options.Identity = identity;
        worker.Stdin.Options.Identity = identity;
        worker.Shell.Connect(bound.Address(bound.ShellPort));
        worker.Control.Connect(bound.Address(bound.ControlPort));
        worker.Stdin.Connect(bound.Address(bound.StdinPort));
        worker.IOPub.Connect(bound.Address(bound.IOPubPort));
        worker.IOPub.SubscribeToAnyTopic();
        worker.Shell.ReceiveReady += (_, e) => FromWorker(worker, _shell, e.Socket.ReceiveMultipartBytes());
        worker.Control.ReceiveReady += (_, e) => FromWorker(worker, _control, e.Socket.ReceiveMultipartBytes());
        worker.Stdin.ReceiveReady += (_, e) => FromWorker(worker, _stdin, e.Socket.ReceiveMultipartBytes());
        worker.IOPub.ReceiveReady += (_, e) => FromWorkerIOPub(worker, e.Socket.ReceiveMultipartBytes());
        foreach (var s in worker.Sockets) _poller.Add(s);
        Probe(worker);
    }

    /// <summary>
    /// A kernel_info_request of the supervisor's own: the worker is ready once its reply came and an
    /// IOPub message for it arrived (so the subscription is live and no cell's output is lost).
    /// </summary>
    private void Probe(Worker worker)
    {
        var probe = new JupyterMessage([], JupyterMessage.NewHeader("kernel_info_request", _sessionId), [], [], [], []);
        worker.ProbeId = probe.Id;
        worker.ProbeReplied = worker.ProbeSeenOnIOPub = false;
        worker.Shell!.SendMultipartBytes(_codec.Encode(probe));
    }

    private void CheckReady(Worker worker)
    {
        if (worker.Ready || !worker.ProbeReplied || !worker.ProbeSeenOnIOPub) return;
        worker.Ready = true;
        Log($"worker {worker.Generation} ready");
        foreach (var (channel, frames) in _backlog) ToWorker(worker, channel, frames);
        _backlog.Clear();
    }

    private void WorkerExited(Worker worker)
    {
        if (worker != _worker) return;
        int code = worker.Process.ExitCode;
        foreach (var s in worker.Sockets) _poller.Remove(s);
        worker.Dispose();
        _worker = null;
        if (_shuttingDown)
        {
            Log($"worker ended ({Describe(code)}) after a shutdown request");
            _done.TrySetResult(0);
            return;
        }
        List<string> stderr;
        lock (worker.Stderr) stderr = [.. worker.Stderr];
        Log($"worker {worker.Generation} {(code == StuckExitCode ? "ended after a cell it could not stop" : "died")} ({Describe(code)})");
        if (code != StuckExitCode) ReportDeath(code, stderr);
        StartWorker();
    }

    /// <summary>"exit code 3", "signal SIGSEGV (exit code 139)".</summary>
    internal static string Describe(int exitCode) => exitCode switch
    {
        134 => "signal SIGABRT (exit code 134): .NET ended the process, e.g. after a stack overflow or a fatal error",
        137 => "signal SIGKILL (exit code 137), e.g. the out-of-memory killer",
        139 => "signal SIGSEGV (exit code 139): a native crash",
        > 128 and < 160 => $"signal {exitCode - 128} (exit code {exitCode})",
        _ => $"exit code {exitCode}",
    };

    /// <summary>Answers the cell that was running (and aborts the queued ones) for a worker that died.</summary>
    private void ReportDeath(int code, List<string> stderr)
    {
        if (_pending.Count == 0) return;
        // The running cell is the one whose execute_input the worker published; the rest were only queued.
        int running = _pending.FindIndex(p => p.Id == _running);
        if (running < 0)
        {
            AbortPending();
            return;
        }
        if (running > 0) _pending.RemoveRange(0, running); // answered already (cannot happen: replies remove them)
        var last = LastLines(stderr);
        string message = $"the kernel's process ended while this cell ran ({Describe(code)}). "
            + "The kernel restarted its session: every variable is lost, run the cells above again";
        var traceback = new JsonArray($"KernelProcessDied: {message}");
        if (last.Count > 0)
        {
            traceback.Add("  its last lines on stderr:");
            foreach (string line in last) traceback.Add($"  | {line}");
        }
        var (id, header, identities) = _pending[0];
        var error = new JsonObject { ["ename"] = "KernelProcessDied", ["evalue"] = message, ["traceback"] = traceback };
        Publish("error", header, error);
        var reply = (JsonObject)error.DeepClone();
        reply["status"] = "error";
        reply["execution_count"] = 0;
        Reply(identities, header, "execute_reply", reply);
        Publish("status", header, new JsonObject { ["execution_state"] = "idle" });
        _pending.RemoveAt(0);
        AbortPending();
        // What came in for the dead worker and is still waiting goes to the next one, except cells (answered above).
        _backlog.RemoveAll(b => b.Channel == _shell && Peek(b.Frames)?.Type == "execute_request");
        Log($"reported the death to the cell of {id}");
    }

    /// <summary>Queued cells of a worker that died: "aborted", as after a failing cell.</summary>
    private void AbortPending()
    {
        foreach (var (_, queuedHeader, queuedIdentities) in _pending)
        {
            Publish("status", queuedHeader, new JsonObject { ["execution_state"] = "busy" });
            Reply(queuedIdentities, queuedHeader, "execute_reply", new JsonObject { ["status"] = "aborted", ["execution_count"] = 0 });
            Publish("status", queuedHeader, new JsonObject { ["execution_state"] = "idle" });
        }
        _pending.Clear();
    }

    /// <summary>The last stderr lines worth showing: a .NET crash prints its reason first, then frames.</summary>
    private static List<string> LastLines(List<string> stderr)
    {
        int reason = stderr.FindLastIndex(l => l.StartsWith("Stack overflow", StringComparison.Ordinal)
            || l.StartsWith("Unhandled exception", StringComparison.Ordinal) || l.StartsWith("Fatal error", StringComparison.Ordinal)
            || l.Contains("FailFast", StringComparison.Ordinal) || l.StartsWith("Process terminated", StringComparison.Ordinal));
        var lines = reason >= 0 ? stderr.Skip(reason).Take(StderrLines).ToList() : stderr.TakeLast(StderrLines).ToList();
        // A stack overflow repeats one frame thousands of times: say each line once.
        return lines.Where(l => !l.StartsWith("[fromscratch kernel", StringComparison.Ordinal)).Distinct().ToList();
    }

    // ---- relaying ----------------------------------------------------------------------------

    private JupyterMessage? Peek(List<byte[]> frames)
    {
        var (message, _, _) = _codec.Decode(frames);
        return message;
    }

    private void FromFront(RouterSocket channel, List<byte[]> frames)
    {
        if (channel == _shell && Peek(frames) is { Type: "execute_request" } request)
            _pending.Add((request.Id, request.Header, [.. request.Identities]));
        if (_worker is { Ready: true } worker) ToWorker(worker, channel, frames);
        else if (channel == _control && Peek(frames) is { } control && _worker is null) AnswerControlAlone(control);
        else _backlog.Add((channel, frames));
    }

    private void ToWorker(Worker worker, RouterSocket channel, List<byte[]> frames)
    {
        var target = channel == _shell ? worker.Shell : channel == _control ? worker.Control : worker.Stdin;
        target!.SendMultipartBytes(frames);
    }

    /// <summary>Between workers: interrupt and shutdown are answered here (there is nothing to interrupt).</summary>
    private void AnswerControlAlone(JupyterMessage request)
    {
        if (request.Type == "interrupt_request")
        {
            Reply(request.Identities, request.Header, "interrupt_reply", new JsonObject { ["status"] = "ok" });
        }
        else if (request.Type == "shutdown_request")
        {
            bool restart = request.Content["restart"] is JsonValue v && v.TryGetValue(out bool r) && r;
            Reply(request.Identities, request.Header, "shutdown_reply", new JsonObject { ["status"] = "ok", ["restart"] = restart });
            _shuttingDown = true;
            _done.TrySetResult(0);
        }
        else
        {
            _backlog.Add((_control, _codec.Encode(request)));
        }
    }

    private void FromWorker(Worker worker, RouterSocket channel, List<byte[]> frames)
    {
        var message = Peek(frames);
        if (message is not null && worker.ProbeId is { } probe && message.ParentHeader["msg_id"]?.GetValue<string>() == probe)
        {
            worker.ProbeReplied = true;
            CheckReady(worker);
            return;
        }
        if (message?.Type == "execute_reply" && message.ParentHeader["msg_id"]?.GetValue<string>() is { } done)
            _pending.RemoveAll(p => p.Id == done);
        if (message?.Type == "shutdown_reply") _shuttingDown = true;
        if (message?.Type == "execute_reply" && message.Metadata[RestartingMetadata] is JsonValue restarting
            && restarting.TryGetValue(out bool yes) && yes)
        {
            worker.Ready = false; // later requests wait for the next worker
            Log($"worker {worker.Generation} could not stop a cell and ends; holding requests for the next one");
        }
        channel.SendMultipartBytes(frames);
    }

    private void FromWorkerIOPub(Worker worker, List<byte[]> frames)
    {
        var message = Peek(frames);
        if (message is not null && worker.ProbeId is { } probe && message.ParentHeader["msg_id"]?.GetValue<string>() == probe)
        {
            worker.ProbeSeenOnIOPub = true;
            CheckReady(worker);
            return;
        }
        if (message?.Type == "execute_input") _running = message.ParentHeader["msg_id"]?.GetValue<string>();
        _iopub.SendMultipartBytes(frames);
    }

    private void Reply(IReadOnlyList<byte[]> identities, JsonObject parent, string type, JsonObject content)
    {
        var message = new JupyterMessage([.. identities], JupyterMessage.NewHeader(type, _sessionId), (JsonObject)parent.DeepClone(), [], content, []);
        var socket = type is "interrupt_reply" or "shutdown_reply" ? _control : _shell;
        socket.SendMultipartBytes(_codec.Encode(message));
    }

    private void Publish(string type, JsonObject parent, JsonObject content)
    {
        var topic = Encoding.UTF8.GetBytes($"kernel.{_sessionId}.{type}");
        var message = new JupyterMessage([topic], JupyterMessage.NewHeader(type, _sessionId), (JsonObject)parent.DeepClone(), [], content, []);
        _iopub.SendMultipartBytes(_codec.Encode(message));
    }

    private void Log(string line)
    {
        lock (_log)
        {
            _log.WriteLine($"[fromscratch supervisor {DateTime.Now:HH:mm:ss}] {line}");
            _log.Flush();
        }
    }
}

/// <summary>kill(2): the supervisor forwards SIGINT (interrupt) and SIGTERM to its worker.</summary>
internal static class NativeSignal
{
    public const int SIGINT = 2, SIGTERM = 15;

    public static bool Send(int pid, int signal)
    {
        if (OperatingSystem.IsWindows()) return false;
        try
        {
            return Kill(pid, signal) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

#pragma warning disable SYSLIB1054 // LibraryImport needs AllowUnsafeBlocks in the tool; one plain call does not
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
#pragma warning restore SYSLIB1054
}
