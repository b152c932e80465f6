using System.Text.Json.Nodes;
using FromScratch.Notebooks.Engine;
using FromScratch.Notebooks.Format;
using NetMQ;
using NetMQ.Sockets;
using static FromScratch.Notebooks.Jupyter.RequestContent;

namespace FromScratch.Notebooks.Jupyter;

/// <summary>
/// A Jupyter kernel (messaging protocol 5.3) over ZeroMQ (NetMQ) around one <see cref="NotebookSession"/>:
/// shell (execute, complete, inspect, is_complete, kernel_info, history, comm_info), control
/// (interrupt, shutdown), IOPub (status, execute_input, stream, display_data, execute_result, error),
/// stdin (input_request for Console.ReadLine) and heartbeat. Every message sent is signed and every
/// message received is verified; a message with a missing or wrong signature, or one seen before,
/// is dropped and logged, never executed. A malformed message gets an error reply.
/// Shell requests are served one at a time; control is served on its own thread, so an interrupt
/// reaches a running cell. The sockets, signing and framing are <see cref="KernelTransport"/>'s; this
/// class dispatches requests to their handlers (Handlers/) and serves execute, comm, interrupt and shutdown.
/// </summary>
public sealed class JupyterKernel : IDisposable
{

    private readonly KernelOptions _options;
    private readonly KernelTransport _transport;
    private readonly NotebookSession _session;
    private readonly CodeAssistant _assistant;
    private readonly object _logLock = new();
    private readonly TaskCompletionSource<string> _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Thread> _threads = [];

    private volatile bool _stopping;
    private int _executionCount;
    private volatile CurrentExecution? _current;
    private int _deathReported;
    private readonly HistoryHandler _history = new();
    private readonly CompleteHandler _complete;
    private readonly InspectHandler _inspect;
    private readonly WidgetComms _widgets;
    private JupyterMessage? _handling; // the shell message whose children widget messages are

    /// <summary>The request whose cell is running: for interrupts and for input requests on stdin.</summary>
    private sealed record CurrentExecution(JupyterMessage Request, CancellationTokenSource Interrupt, bool AllowStdin);

    /// <summary>Creates the kernel and its session; nothing listens until <see cref="Start"/>.</summary>
    public JupyterKernel(KernelOptions options)
    {
        _options = options;
        Connection = options.Connection;
        _transport = new KernelTransport(new MessageSigner(options.Connection.Key), Log);
        _session = new NotebookSession(new NotebookSessionOptions
        {
            NotebookPath = options.NotebookPath,
            NotebookKnown = options.NotebookKnown,
            KernelSpecName = options.KernelSpecName,
            Packages = options.Packages,
            SetCurrentDirectory = options.SetCurrentDirectory,
            LiveDisplays = true,
            StuckAdvice = options.ExitWhenStuck
                ? "The kernel restarts its session now (every variable is lost: run the cells above again)"
                : "Restart the kernel (variables are lost: run the cells above again)",
        });
        _assistant = new CodeAssistant(_session);
        _complete = new CompleteHandler(_transport, _assistant);
        _inspect = new InspectHandler(_transport, _assistant);
        _widgets = new WidgetComms
        {
            // ipywidgets 8 front ends refuse a widget comm_open whose metadata does not name protocol 2.x.
            Publish = (type, content) =>
            {
                if (_handling is { } parent)
                    _transport.Publish(type, parent, content, type == "comm_open" ? new JsonObject { ["version"] = WidgetComms.ProtocolVersion } : null);
            },
            FormatOutput = value => OutputJson.DisplayData(_session.Formatter.Format(value)),
        };
    }

    /// <summary>The connection actually used: ports given as 0 are replaced by the ones bound.</summary>
    public ConnectionInfo Connection { get; private set; }

    /// <summary>True when the kernel stopped because a cell could not be stopped (see <see cref="KernelOptions.ExitWhenStuck"/>).</summary>
    public bool StoppedStuck { get; private set; }

    /// <summary>Completes with the reason when the kernel has stopped (shutdown request, parent gone).</summary>
    public Task<string> Stopped => _stopped.Task;

    /// <summary>Binds the five sockets and starts serving them. Throws when a port cannot be bound.</summary>
    public void Start()
    {
        Connection = _transport.Bind(_options.Connection);
        StartThread("jupyter-heartbeat", () => _transport.ServeHeartbeat(() => _stopping));
        StartThread("jupyter-control", () => ServeLoop(_transport.Control!, "control", HandleControl));
        StartThread("jupyter-shell", () => ServeLoop(_transport.Shell!, "shell", HandleShell));
        if (_options.ParentProcessId is not null || _options.WatchReparenting) StartThread("jupyter-parent-watch", WatchParent);
        Console.SetIn(new KernelInput(this)); // Console.ReadLine in a cell asks the front end
        if (_options.ReportProcessDeath)
        {
            AppDomain.CurrentDomain.UnhandledException += (_, e) => ReportProcessDeath(e.ExceptionObject as Exception ?? new Exception(e.ExceptionObject?.ToString()), 0);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => ReportProcessDeath(null, Environment.ExitCode);
        }
        _ = NotebookSession.WarmUpAsync(); // Roslyn's start-up overlaps with the front end connecting
    }

    /// <summary>Stops serving: the running cell is interrupted and every loop ends.</summary>
    public void RequestShutdown(string reason)
    {
        if (_stopping) return;
        _stopping = true;
        Log($"shutting down: {reason}");
        _current?.Interrupt.Cancel();
        _stopped.TrySetResult(reason);
    }

    /// <summary>Interrupts the running cell, if any (as an interrupt_request does); the kernel keeps its state.</summary>
    public void InterruptRunningCell() => _current?.Interrupt.Cancel();

    /// <summary>Waits for the loops to end (a cell that does not stop is given up on after a few seconds), then closes the sockets.</summary>
    public void Dispose()
    {
        RequestShutdown("disposed");
        foreach (var thread in _threads) thread.Join(TimeSpan.FromSeconds(5));
        _transport.Dispose();
    }

    private void StartThread(string name, Action loop)
    {
        var thread = new Thread(() =>
        {
            try { loop(); }
            catch (Exception e) when (_stopping && e is ObjectDisposedException or TerminatingException) { }
            catch (Exception e)
            {
                Log($"{name} failed: {e}");
                RequestShutdown($"{name} thread failed");
            }
        }) { IsBackground = true, Name = name };
        _threads.Add(thread);
        thread.Start();
    }

    // ---- loops -------------------------------------------------------------------------------

    private void ServeLoop(RouterSocket socket, string channel, Action<RouterSocket, JupyterMessage> handle)
    {
        while (!_stopping)
            if (_transport.Receive(socket, channel, KernelTransport.PollInterval) is { } message) handle(socket, message);
    }

    private void WatchParent()
    {
        int? parent = _options.ParentProcessId;
        int? startPpid = _options.WatchReparenting ? ParentProcess.OfThisProcess() : null;
        while (!_stopping)
        {
            Thread.Sleep(500);
            if (parent is { } pid && !ParentProcess.IsAlive(pid))
            {
                RequestShutdown($"the front end's process {pid} is gone");
                return;
            }
            if (startPpid is { } before && ParentProcess.OfThisProcess() is { } now && now != before)
            {
                RequestShutdown($"the parent process {before} is gone (re-parented to {now})");
                return;
            }
        }
    }

    // ---- shell -------------------------------------------------------------------------------

    private void HandleShell(RouterSocket shell, JupyterMessage request)
    {
        _handling = request;
        _transport.PublishStatus("busy", request);
        try
        {
            switch (request.Type)
            {
                case "execute_request": Execute(shell, request); break;
                case "kernel_info_request": _transport.Send(shell, request, "kernel_info_reply", KernelInfoHandler.Reply()); break;
                case "is_complete_request": _complete.IsComplete(shell, request); break;
                case "complete_request": _complete.Complete(shell, request); break;
                case "inspect_request": _inspect.Inspect(shell, request); break;
                case "history_request": _transport.Send(shell, request, "history_reply", _history.Reply(request.Content)); break;
                case "comm_info_request": _transport.Send(shell, request, "comm_info_reply", _widgets.Info(request.Content["target_name"] is JsonValue t ? (string?)t : null)); break;
                case "comm_open": _widgets.Opened(request.Content); break;
                case "comm_close": _widgets.Closed(request.Content); break;
                case "comm_msg": CommMessage(shell, request); break;
                case "shutdown_request": Shutdown(shell, request); break;
                case "interrupt_request": Interrupt(shell, request); break;
                default: Unsupported(shell, request, "shell"); break;
            }
        }
        catch (MalformedContentException e)
        {
            Log($"malformed {request.Type}: {e.Message}");
            _transport.Send(shell, request, Replies.TypeFor(request), Replies.Error("MalformedMessage", e.Message));
        }
        catch (Exception e) when (!_stopping)
        {
            Log($"error serving {request.Type}: {e}");
            _transport.Send(shell, request, Replies.TypeFor(request), Replies.Error(e.GetType().Name, e.Message));
        }
        finally
        {
            _transport.PublishStatus("idle", request);
        }
    }

    /// <summary>
    /// A widget's comm message. The messages already waiting are taken first: the knob updates among them are applied
    /// together (one redraw for a whole drag), the others are served after it, in order. The redraw runs like a cell:
    /// an interrupt_request stops it.
    /// </summary>
    private void CommMessage(RouterSocket shell, JupyterMessage request)
    {
        var waiting = TakeWaiting(shell);
        bool IsUpdate(JupyterMessage m) => m.Type == "comm_msg" && (string?)m.Content["data"]?["method"] == "update";
        var redraw = _widgets.Message(request.Content, waiting.Where(IsUpdate).Select(m => m.Content).ToList());
        if (redraw is not null)
        {
            using var interrupt = new CancellationTokenSource();
            _current = new CurrentExecution(request, interrupt, AllowStdin: false);
            CellInterrupt.Set(interrupt.Token);
            try
            {
                redraw();
            }
            finally
            {
                CellInterrupt.Set(CancellationToken.None);
                _current = null;
            }
        }
        foreach (var queued in waiting.Where(m => !IsUpdate(m)))
        {
            HandleShell(shell, queued);
            _handling = request;
        }
    }

    private void Execute(RouterSocket shell, JupyterMessage request)
    {
        _widgets.MakeCurrent(); // Knob.Show in the cell opens its widgets through this kernel
        var content = request.Content;
        string code = Required<string>(content, "code");
        bool silent = Optional(content, "silent", false);
        bool storeHistory = Optional(content, "store_history", !silent);
        bool allowStdin = Optional(content, "allow_stdin", true);
        bool stopOnError = Optional(content, "stop_on_error", true);
        if (storeHistory && !silent) _executionCount++;
        int count = _executionCount;
        if (storeHistory && !silent) _history.Record(count, code);
        if (!silent) _transport.Publish("execute_input", request, new JsonObject { ["code"] = code, ["execution_count"] = count });

        using var interrupt = new CancellationTokenSource();
        _current = new CurrentExecution(request, interrupt, allowStdin);
        ErrorOutput? error = null;
        CellResult result;
        try
        {
            result = _session.ExecuteAsync(code, new CellLocation(count, count), output =>
            {
                if (output is ResultOutput && silent) return;
                if (output is ErrorOutput e) error = e;
                var (type, body) = OutputJson.Message(output, count);
                _transport.Publish(type, request, body);
            }, timeout: null, interrupt.Token).GetAwaiter().GetResult();
        }
        finally
        {
            _current = null;
        }

        if (result.Status == CellStatus.Ok)
        {
            _transport.Send(shell, request, "execute_reply", new JsonObject
            {
                ["status"] = "ok", ["execution_count"] = count, ["payload"] = new JsonArray(), ["user_expressions"] = new JsonObject(),
            });
            return;
        }
        // Requests already waiting (e.g. the rest of "run all") are taken before the reply goes
        // out, so that only they are aborted, never a request sent in answer to this reply.
        var waiting = stopOnError ? TakeWaiting(shell) : [];
        var reply = OutputJson.ErrorContent(error ?? new ErrorOutput("CellFailed", $"the cell ended with status {result.Status}", []));
        reply["status"] = "error";
        reply["execution_count"] = count;
        bool restart = !_session.IsUsable && _options.ExitWhenStuck;
        // Under a supervisor, the reply says that this worker ends: the supervisor holds later requests for the next one.
        _transport.Send(shell, request, "execute_reply", reply, restart ? new JsonObject { [KernelSupervisor.RestartingMetadata] = true } : null);
        if (restart)
        {
            StoppedStuck = true;
            RequestShutdown("a cell could not be stopped: the supervisor restarts the session");
        }
        foreach (var queued in waiting)
        {
            if (queued.Type != "execute_request")
            {
                HandleShell(shell, queued);
                continue;
            }
            _transport.PublishStatus("busy", queued);
            _transport.Send(shell, queued, "execute_reply", new JsonObject { ["status"] = "aborted", ["execution_count"] = _executionCount });
            _transport.PublishStatus("idle", queued);
        }
    }

    /// <summary>
    /// The requests waiting on shell right now. After a failing cell (stop_on_error), the execute
    /// requests among them are answered "aborted" instead of running on a broken state, as ipykernel does.
    /// </summary>
    private List<JupyterMessage> TakeWaiting(RouterSocket shell)
    {
        var waiting = new List<JupyterMessage>();
        while (_transport.Receive(shell, "shell", TimeSpan.Zero) is { } queued) waiting.Add(queued);
        return waiting;
    }

    // ---- control -----------------------------------------------------------------------------

    private void HandleControl(RouterSocket control, JupyterMessage request)
    {
        try
        {
            switch (request.Type)
            {
                case "interrupt_request": Interrupt(control, request); break;
                case "shutdown_request": Shutdown(control, request); break;
                case "kernel_info_request": _transport.Send(control, request, "kernel_info_reply", KernelInfoHandler.Reply()); break;
                default: Unsupported(control, request, "control"); break;
            }
        }
        catch (MalformedContentException e)
        {
            Log($"malformed {request.Type}: {e.Message}");
            _transport.Send(control, request, Replies.TypeFor(request), Replies.Error("MalformedMessage", e.Message));
        }
    }

    private void Interrupt(RouterSocket socket, JupyterMessage request)
    {
        var running = _current;
        running?.Interrupt.Cancel();
        Log(running is null ? "interrupt: no cell is running" : $"interrupt: cancelling the cell of {running.Request.Id}");
        _transport.Send(socket, request, "interrupt_reply", new JsonObject { ["status"] = "ok" });
    }

    private void Shutdown(RouterSocket socket, JupyterMessage request)
    {
        bool restart = Optional(request.Content, "restart", false);
        var content = new JsonObject { ["status"] = "ok", ["restart"] = restart };
        _transport.Send(socket, request, "shutdown_reply", content);
        _transport.Publish("shutdown_reply", request, content.DeepClone().AsObject());
        // A restart is the front end's job: it starts a new process once this one has exited.
        RequestShutdown(restart ? "shutdown_request (restart)" : "shutdown_request");
    }

    private void Unsupported(RouterSocket socket, JupyterMessage request, string channel)
    {
        Log($"unsupported message on {channel}: {request.Type}");
        if (request.Type.EndsWith("_request", StringComparison.Ordinal))
            _transport.Send(socket, request, Replies.TypeFor(request), Replies.Error("UnsupportedMessage", $"this kernel does not handle {request.Type} on {channel}"));
    }

    /// <summary>
    /// The process is about to end while a cell runs (see <see cref="KernelOptions.ReportProcessDeath"/>):
    /// the cell gets an error output saying what happened and that the kernel restarts, then its
    /// execute_reply and status idle; the front end's restarter starts a new kernel.
    /// </summary>
    private void ReportProcessDeath(Exception? exception, int exitCode)
    {
        var running = _current;
        if (running is null || _stopping || Interlocked.Exchange(ref _deathReported, 1) == 1) return;
        try
        {
            var location = _session.RunningCell ?? new CellLocation(_executionCount, _executionCount);
            var error = _session.DescribeProcessDeath(location, exception, exitCode, _options.ProcessDeathAdvice);
            Log($"process death in a cell: {error.EValue}");
            _transport.Publish("error", running.Request, OutputJson.ErrorContent(error));
            var reply = OutputJson.ErrorContent(error);
            reply["status"] = "error";
            reply["execution_count"] = _executionCount;
            _transport.Send(_transport.Shell!, running.Request, "execute_reply", reply);
            _transport.PublishStatus("idle", running.Request);
            Thread.Sleep(500); // NetMQ sends from its own thread: give it time before the process ends
        }
        catch (Exception e)
        {
            Log($"could not report the process death: {e.Message}");
        }
    }

    // ---- stdin -------------------------------------------------------------------------------

    /// <summary>What the running cell wrote just before asking for input (the prompt).</summary>
    internal string TakeInputPrompt() => _session.TakeInputPrompt();

    /// <summary>
    /// Asks the front end for a line of input (Console.ReadLine in a cell): input_request on stdin to
    /// the client of the running execute request, then waits for its input_reply. The wait ends with
    /// an interrupt. Throws when the front end does not allow input or no cell is running.
    /// </summary>
    internal string RequestInput(string prompt, bool password)
    {
        var running = _current ?? throw new InvalidOperationException("input was requested outside a running cell");
        if (!running.AllowStdin)
            throw new InvalidOperationException("this front end does not accept input requests (allow_stdin is false): the cell cannot read from the console");
        lock (_transport.StdinLock)
        {
            var stdin = _transport.Stdin ?? throw new ObjectDisposedException("stdin");
            _transport.Send(stdin, running.Request, "input_request", new JsonObject { ["prompt"] = prompt, ["password"] = password });
            while (true)
            {
                running.Interrupt.Token.ThrowIfCancellationRequested();
                if (_transport.Receive(stdin, "stdin", KernelTransport.PollInterval) is not { } reply) continue;
                if (reply.Type != "input_reply")
                {
                    Log($"unexpected {reply.Type} on stdin while waiting for input_reply");
                    continue;
                }
                return reply.Content["value"] is JsonValue v && v.TryGetValue(out string? value) ? value : "";
            }
        }
    }

    private void Log(string line)
    {
        lock (_logLock)
        {
            _options.Log.WriteLine($"[fromscratch kernel {DateTime.Now:HH:mm:ss}] {line}");
            _options.Log.Flush();
        }
    }
}
