using System.Text.Json.Nodes;
using FromScratch.Notebooks.Engine;
using FromScratch.Notebooks.Format;
using NetMQ;
using NetMQ.Sockets;

namespace FromScratch.Notebooks.Jupyter;

/// <summary>
/// A Jupyter kernel (messaging protocol 5.3) over ZeroMQ (NetMQ) around one <see cref="NotebookSession"/>:
/// shell (execute, complete, inspect, is_complete, kernel_info, history, comm_info, comms), control
/// (interrupt, shutdown), IOPub (status, execute_input, stream, display_data, execute_result, error),
/// stdin (input_request for Console.ReadLine) and heartbeat. Every message sent is signed and every
/// message received is verified; a message with a missing or wrong signature, or one seen before,
/// is dropped and logged, never executed. A malformed message gets an error reply.
/// Shell requests are served one at a time; control is served on its own thread, so an interrupt
/// reaches a running cell. The sockets, signing and framing are <see cref="KernelTransport"/>'s, the
/// state the handlers share is a <see cref="KernelContext"/>'s, each request is a handler's (Handlers/);
/// this class starts the threads and dispatches each request by msg_type, between status busy and idle.
/// </summary>
public sealed class JupyterKernel : IDisposable
{
    private readonly KernelOptions _options;
    private readonly KernelTransport _transport;
    private readonly KernelContext _kernel;
    private readonly object _logLock = new();
    private readonly List<Thread> _threads = [];

    private readonly HistoryHandler _history = new();
    private readonly WidgetComms _widgets;
    private readonly ExecuteHandler _execute;
    private readonly CommMessageHandler _commMessage;
    private readonly CompleteHandler _complete;
    private readonly InspectHandler _inspect;
    private readonly InterruptHandler _interrupt;
    private readonly ShutdownHandler _shutdown;

    /// <summary>Creates the kernel and its session; nothing listens until <see cref="Start"/>.</summary>
    public JupyterKernel(KernelOptions options)
    {
        _options = options;
        Connection = options.Connection;
        _transport = new KernelTransport(new MessageSigner(options.Connection.Key), Log);
        var session = new NotebookSession(new NotebookSessionOptions
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
        _kernel = new KernelContext(options, _transport, session, Log);
        var assistant = new CodeAssistant(session);
        _complete = new CompleteHandler(_transport, assistant);
        _inspect = new InspectHandler(_transport, assistant);
        _widgets = new WidgetComms
        {
            // ipywidgets 8 front ends refuse a widget comm_open whose metadata does not name protocol 2.x.
            Publish = (type, content) =>
            {
                if (_kernel.ShellRequest is { } parent)
                    _transport.Publish(type, parent, content, type == "comm_open" ? new JsonObject { ["version"] = WidgetComms.ProtocolVersion } : null);
            },
            FormatOutput = value => OutputJson.DisplayData(session.Formatter.Format(value)),
        };
        _execute = new ExecuteHandler(_kernel, _history, _widgets, HandleShell);
        _commMessage = new CommMessageHandler(_kernel, _widgets, HandleShell);
        _interrupt = new InterruptHandler(_kernel);
        _shutdown = new ShutdownHandler(_kernel);
    }

    /// <summary>The connection actually used: ports given as 0 are replaced by the ones bound.</summary>
    public ConnectionInfo Connection { get; private set; }

    /// <summary>True when the kernel stopped because a cell could not be stopped (see <see cref="KernelOptions.ExitWhenStuck"/>).</summary>
    public bool StoppedStuck => _kernel.StoppedStuck;

    /// <summary>Completes with the reason when the kernel has stopped (shutdown request, parent gone).</summary>
    public Task<string> Stopped => _kernel.Stopped;

    /// <summary>Binds the five sockets and starts serving them. Throws when a port cannot be bound.</summary>
    public void Start()
    {
        Connection = _transport.Bind(_options.Connection);
        StartThread("jupyter-heartbeat", () => _transport.ServeHeartbeat(() => _kernel.Stopping));
        StartThread("jupyter-control", () => ServeLoop(_transport.Control!, "control", HandleControl));
        StartThread("jupyter-shell", () => ServeLoop(_transport.Shell!, "shell", HandleShell));
        if (_options.ParentProcessId is not null || _options.WatchReparenting)
        {
            StartThread("jupyter-parent-watch", () =>
                ParentProcess.Watch(_options.ParentProcessId, _options.WatchReparenting, () => _kernel.Stopping, RequestShutdown));
        }
        Console.SetIn(new KernelInput(_kernel)); // Console.ReadLine in a cell asks the front end
        if (_options.ReportProcessDeath) new ProcessDeathReport(_kernel).Attach();
        _ = NotebookSession.WarmUpAsync(); // Roslyn's start-up overlaps with the front end connecting
    }

    /// <summary>Stops serving: the running cell is interrupted and every loop ends.</summary>
    public void RequestShutdown(string reason) => _kernel.RequestShutdown(reason);

    /// <summary>Interrupts the running cell, if any (as an interrupt_request does); the kernel keeps its state.</summary>
    public void InterruptRunningCell() => _kernel.Running?.Interrupt();

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
            catch (Exception e) when (_kernel.Stopping && e is ObjectDisposedException or TerminatingException) { }
            catch (Exception e)
            {
                Log($"{name} failed: {e}");
                RequestShutdown($"{name} thread failed");
            }
        }) { IsBackground = true, Name = name };
        _threads.Add(thread);
        thread.Start();
    }

    private void ServeLoop(RouterSocket socket, string channel, Action<RouterSocket, JupyterMessage> handle)
    {
        while (!_kernel.Stopping)
            if (_transport.Receive(socket, channel, KernelTransport.PollInterval) is { } message) handle(socket, message);
    }

    // ---- dispatch ----------------------------------------------------------------------------

    private void HandleShell(RouterSocket shell, JupyterMessage request)
    {
        _kernel.ShellRequest = request;
        _transport.PublishStatus("busy", request);
        try
        {
            switch (request.Type)
            {
                case "execute_request": _execute.Execute(shell, request); break;
                case "kernel_info_request": _transport.Send(shell, request, "kernel_info_reply", KernelInfoHandler.Reply()); break;
                case "is_complete_request": _complete.IsComplete(shell, request); break;
                case "complete_request": _complete.Complete(shell, request); break;
                case "inspect_request": _inspect.Inspect(shell, request); break;
                case "history_request": _transport.Send(shell, request, "history_reply", _history.Reply(request.Content)); break;
                case "comm_info_request": _transport.Send(shell, request, "comm_info_reply", _widgets.Info(request.Content["target_name"] is JsonValue t ? (string?)t : null)); break;
                case "comm_open": _widgets.Opened(request.Content); break;
                case "comm_close": _widgets.Closed(request.Content); break;
                case "comm_msg": _commMessage.Handle(shell, request); break;
                case "shutdown_request": _shutdown.Shutdown(shell, request); break;
                case "interrupt_request": _interrupt.Interrupt(shell, request); break;
                default: Unsupported(shell, request, "shell"); break;
            }
        }
        catch (MalformedContentException e)
        {
            Log($"malformed {request.Type}: {e.Message}");
            _transport.Send(shell, request, Replies.TypeFor(request), Replies.Error("MalformedMessage", e.Message));
        }
        catch (Exception e) when (!_kernel.Stopping)
        {
            Log($"error serving {request.Type}: {e}");
            _transport.Send(shell, request, Replies.TypeFor(request), Replies.Error(e.GetType().Name, e.Message));
        }
        finally
        {
            _transport.PublishStatus("idle", request);
        }
    }

    private void HandleControl(RouterSocket control, JupyterMessage request)
    {
        try
        {
            switch (request.Type)
            {
                case "interrupt_request": _interrupt.Interrupt(control, request); break;
                case "shutdown_request": _shutdown.Shutdown(control, request); break;
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

    private void Unsupported(RouterSocket socket, JupyterMessage request, string channel)
    {
        Log($"unsupported message on {channel}: {request.Type}");
        if (request.Type.EndsWith("_request", StringComparison.Ordinal))
            _transport.Send(socket, request, Replies.TypeFor(request), Replies.Error("UnsupportedMessage", $"this kernel does not handle {request.Type} on {channel}"));
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
