using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using NetMQ;
using NetMQ.Sockets;

namespace FromScratch.Notebooks.Jupyter;

/// <summary>
/// What the kernelspec starts: a small process that owns the front end's five sockets and the
/// heartbeat (<see cref="FrontEndChannels"/>), and runs the real kernel (a <see cref="JupyterKernel"/> with its Roslyn
/// session) as a worker process on loopback ports of its own (<see cref="WorkerProcess"/>), relaying every message both
/// ways unchanged (the worker verifies and signs with the same key). When the worker dies while a cell runs (a native
/// crash, a stack overflow the guards did not catch, Environment.FailFast, the out-of-memory killer), the supervisor
/// answers that cell itself (<see cref="PendingCells"/>): an error output saying how the process ended (exit code or
/// signal, the last lines it wrote to stderr) and that the session restarted, the execute_reply and status idle; queued
/// cells are answered "aborted". Then it starts a new worker, so the front end keeps its connection; what arrives
/// meanwhile is held (<see cref="HeldRequests"/>) until the new worker answered its probe. Interrupts and
/// shutdown/restart requests pass through; after a shutdown_reply the supervisor ends with its worker. It never loads
/// Roslyn: its start-up is a .NET process with NetMQ. Everything runs on one NetMQ poller thread; other threads enqueue
/// actions to it.
/// </summary>
public sealed class KernelSupervisor : IDisposable
{
    /// <summary>The line a worker prints on stdout once bound: this prefix, then its connection JSON on one line.</summary>
    public const string ReadyPrefix = "FROMSCRATCH-WORKER-READY ";

    /// <summary>The worker's exit code after a cell that could not be stopped: restart without a report (the cell said so).</summary>
    public const int StuckExitCode = 75;

    /// <summary>execute_reply metadata of a worker that ends after this reply (a cell it could not stop).</summary>
    public const string RestartingMetadata = "fromscratch_worker_restarting";

    private readonly ConnectionInfo _frontConnection;
    private readonly WireCodec _codec;
    private readonly TextWriter _log;
    private readonly Func<ProcessStartInfo> _workerStart;
    private readonly string _sessionId = Guid.NewGuid().ToString("N");
    private readonly FrontEndChannels _front;
    private readonly PendingCells _cells;
    private readonly NetMQQueue<Action> _actions = new();
    private readonly NetMQTimer _probeTimer = new(TimeSpan.FromMilliseconds(500));
    private readonly NetMQPoller _poller;
    private readonly HeldRequests _held;
    private readonly TaskCompletionSource<int> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly RestartBudget _restarts = new();
    private WorkerProcess? _worker;
    private bool _shuttingDown;
    private int _generation;

    /// <summary>Creates the supervisor; <paramref name="workerStart"/> gives the worker's command line (its --connection-file is appended).</summary>
    public KernelSupervisor(ConnectionInfo front, Func<ProcessStartInfo> workerStart, TextWriter log)
    {
        _frontConnection = front;
        _codec = new WireCodec(new MessageSigner(front.Key));
        _workerStart = workerStart;
        _log = log;
        _front = new FrontEndChannels(_codec, _sessionId);
        _cells = new PendingCells(_front);
        _held = new HeldRequests(_front, _codec);
        _poller = [_front.Shell, _front.Control, _front.Stdin, _front.Heartbeat, _actions];
    }

    /// <summary>Completes with the process exit code when the supervisor has stopped.</summary>
    public Task<int> Done => _done.Task;

    /// <summary>The worker's process id (for tests and for forwarding SIGINT), or null between workers.</summary>
    public int? WorkerProcessId => _worker?.Process.Id;

    /// <summary>Binds the front end's sockets, starts the first worker and serves on a thread of its own.</summary>
    public void Start()
    {
        _front.Bind(_frontConnection);
        _front.Shell.ReceiveReady += (_, e) => FromFront(_front.Shell, e.Socket.ReceiveMultipartBytes());
        _front.Control.ReceiveReady += (_, e) => FromFront(_front.Control, e.Socket.ReceiveMultipartBytes());
        _front.Stdin.ReceiveReady += (_, e) => FromFront(_front.Stdin, e.Socket.ReceiveMultipartBytes());
        _actions.ReceiveReady += (_, e) => { while (e.Queue.TryDequeue(out var action, TimeSpan.Zero)) action(); };
        // Until a new worker answers its probe on shell and IOPub, probe it again twice a second.
        // (One timer for the supervisor's life: NetMQ does not allow removing a timer from its own handler.)
        _probeTimer.Elapsed += (_, _) =>
        {
            if (_worker is { Ready: false, Shell: not null } worker) worker.Probe(_codec, _sessionId);
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
        _front.Dispose();
        _actions.Dispose();
    }

    /// <summary>Starts the next worker, unless the <see cref="RestartBudget"/> is spent (then the supervisor gives up, exit code 1).</summary>
    private void StartWorker()
    {
        if (!_restarts.TryStart())
        {
            Log("the worker died 5 times within 30 s; giving up");
            _done.TrySetResult(1);
            return;
        }
        var worker = WorkerProcess.Launch(++_generation, _frontConnection.Key, _workerStart(),
            bound: (w, ports) => _actions.Enqueue(() => Connect(w, ports)),
            output: line => Log($"worker stdout: {line}"),
            error: line => { lock (_log) { _log.WriteLine(line); _log.Flush(); } },
            exited: w => _actions.Enqueue(() => WorkerExited(w)));
        _worker = worker;
        Log($"started worker {worker.Generation} (pid {worker.Process.Id})");
    }

    private void Connect(WorkerProcess worker, ConnectionInfo bound)
    {
        if (worker != _worker) return;
        worker.Connect(bound, Encoding.ASCII.GetBytes($"supervisor-{_sessionId}-{worker.Generation}"));
        worker.Shell!.ReceiveReady += (_, e) => FromWorker(worker, _front.Shell, e.Socket.ReceiveMultipartBytes());
        worker.Control!.ReceiveReady += (_, e) => FromWorker(worker, _front.Control, e.Socket.ReceiveMultipartBytes());
        worker.Stdin!.ReceiveReady += (_, e) => FromWorker(worker, _front.Stdin, e.Socket.ReceiveMultipartBytes());
        worker.IOPub!.ReceiveReady += (_, e) => FromWorkerIOPub(worker, e.Socket.ReceiveMultipartBytes());
        foreach (var s in worker.Sockets) _poller.Add(s);
        worker.Probe(_codec, _sessionId);
    }

    /// <summary>Once the probe was answered on shell and seen on IOPub, the held requests go to the worker, in order.</summary>
    private void CheckReady(WorkerProcess worker)
    {
        if (worker.Ready || !worker.ProbeReplied || !worker.ProbeSeenOnIOPub) return;
        worker.Ready = true;
        Log($"worker {worker.Generation} ready");
        _held.DeliverTo(worker);
    }

    private void WorkerExited(WorkerProcess worker)
    {
        if (worker != _worker) return;
        int code = worker.Process.ExitCode;
        foreach (var s in worker.Sockets) _poller.Remove(s);
        worker.Dispose();
        _worker = null;
        if (_shuttingDown)
        {
            Log($"worker ended ({WorkerExit.Describe(code)}) after a shutdown request");
            _done.TrySetResult(0);
            return;
        }
        var stderr = worker.StderrTail();
        Log($"worker {worker.Generation} {(code == StuckExitCode ? "ended after a cell it could not stop" : "died")} ({WorkerExit.Describe(code)})");
        if (code != StuckExitCode && _cells.AnswerDeath(code, stderr) is { } told)
        {
            // What came in for the dead worker and is still waiting goes to the next one, except cells (answered above).
            _held.DropCells();
            Log($"reported the death to the cell of {told}");
        }
        StartWorker();
    }

    private JupyterMessage? Peek(List<byte[]> frames)
    {
        var (message, _, _) = _codec.Decode(frames);
        return message;
    }

    private void FromFront(RouterSocket channel, List<byte[]> frames)
    {
        if (channel == _front.Shell && Peek(frames) is { Type: "execute_request" } request) _cells.Sent(request);
        if (_worker is { Ready: true } worker) _held.Forward(worker, channel, frames);
        else if (channel == _front.Control && Peek(frames) is { } control && _worker is null) AnswerControlAlone(control);
        else _held.Hold(channel, frames);
    }

    /// <summary>Between workers: interrupt and shutdown are answered here (there is nothing to interrupt).</summary>
    private void AnswerControlAlone(JupyterMessage request)
    {
        if (request.Type == "interrupt_request")
        {
            _front.Reply(request.Identities, request.Header, "interrupt_reply", new JsonObject { ["status"] = "ok" });
        }
        else if (request.Type == "shutdown_request")
        {
            bool restart = request.Content["restart"] is JsonValue v && v.TryGetValue(out bool r) && r;
            _front.Reply(request.Identities, request.Header, "shutdown_reply", new JsonObject { ["status"] = "ok", ["restart"] = restart });
            _shuttingDown = true;
            _done.TrySetResult(0);
        }
        else
        {
            _held.Hold(_front.Control, _codec.Encode(request));
        }
    }

    private void FromWorker(WorkerProcess worker, RouterSocket channel, List<byte[]> frames)
    {
        var message = Peek(frames);
        if (worker.AnswersProbe(message))
        {
            worker.ProbeReplied = true;
            CheckReady(worker);
            return;
        }
        if (message?.Type == "execute_reply" && message.ParentHeader["msg_id"]?.GetValue<string>() is { } done) _cells.Answered(done);
        if (message?.Type == "shutdown_reply") _shuttingDown = true;
        if (message?.Type == "execute_reply" && message.Metadata[RestartingMetadata] is JsonValue restarting
            && restarting.TryGetValue(out bool yes) && yes)
        {
            worker.Ready = false; // later requests wait for the next worker
            Log($"worker {worker.Generation} could not stop a cell and ends; holding requests for the next one");
        }
        channel.SendMultipartBytes(frames);
    }

    private void FromWorkerIOPub(WorkerProcess worker, List<byte[]> frames)
    {
        var message = Peek(frames);
        if (worker.AnswersProbe(message))
        {
            worker.ProbeSeenOnIOPub = true;
            CheckReady(worker);
            return;
        }
        if (message?.Type == "execute_input") _cells.Started(message.ParentHeader["msg_id"]?.GetValue<string>());
        _front.IOPub.SendMultipartBytes(frames);
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
