using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using FromScratch.Notebooks.Engine;
using FromScratch.Notebooks.Format;
using NetMQ;
using NetMQ.Sockets;

namespace FromScratch.Notebooks.Jupyter;

/// <summary>Settings of a <see cref="JupyterKernel"/>.</summary>
public sealed class KernelOptions
{
    /// <summary>Where to listen and the signing key (from the connection file).</summary>
    public required ConnectionInfo Connection { get; init; }

    /// <summary>The notebook the session stands for: names it in tracebacks; its folder is the base of #r and relative paths.</summary>
    public required string NotebookPath { get; init; }

    /// <summary>The kernelspec this kernel was started from (figures load plotly.min.js from its folder).</summary>
    public string KernelSpecName { get; init; } = FigureHtml.DefaultKernelSpecName;

    /// <summary>False when the front end did not name the notebook: errors then name the cell only.</summary>
    public bool NotebookKnown { get; init; } = true;

    /// <summary>Packages that <c>#r "nuget:"</c> lines may name (the course library's dependencies).</summary>
    public PackageCatalog Packages { get; init; } = PackageCatalog.Empty;

    /// <summary>Shut down when this process is gone (the front end that started the kernel); null to not watch.</summary>
    public int? ParentProcessId { get; init; }

    /// <summary>Also shut down when this process is re-parented (Linux: its parent died before it could be watched by id).</summary>
    public bool WatchReparenting { get; init; }

    /// <summary>Where the kernel logs (dropped messages, errors); the front end shows the kernel's stderr.</summary>
    public TextWriter Log { get; init; } = TextWriter.Null;

    /// <summary>Make the notebook's folder the current directory while a cell runs (as <c>run</c> does).</summary>
    public bool SetCurrentDirectory { get; init; } = true;

    /// <summary>
    /// When the process dies while a cell runs (an exception on a thread the cell started,
    /// Environment.Exit), tell the front end in that cell first: error output, execute_reply, idle.
    /// For the kernel process only (the handlers are process-wide).
    /// </summary>
    public bool ReportProcessDeath { get; init; }

    /// <summary>What the report of a process death tells the learner happens next.</summary>
    public string ProcessDeathAdvice { get; init; } =
        "the kernel process ends now and the front end restarts it: every variable is lost, run the cells above again";

    /// <summary>
    /// Under a supervisor: after a cell that could not be stopped has been answered, stop the kernel
    /// (<see cref="JupyterKernel.StoppedStuck"/>), so the supervisor starts a fresh session.
    /// </summary>
    public bool ExitWhenStuck { get; init; }
}

/// <summary>
/// A Jupyter kernel (messaging protocol 5.3) over ZeroMQ (NetMQ) around one <see cref="NotebookSession"/>:
/// shell (execute, complete, inspect, is_complete, kernel_info, history, comm_info), control
/// (interrupt, shutdown), IOPub (status, execute_input, stream, display_data, execute_result, error),
/// stdin (input_request for Console.ReadLine) and heartbeat. Every message sent is signed and every
/// message received is verified; a message with a missing or wrong signature, or one seen before,
/// is dropped and logged, never executed. A malformed message gets an error reply.
/// Shell requests are served one at a time; control is served on its own thread, so an interrupt
/// reaches a running cell.
/// </summary>
public sealed class JupyterKernel : IDisposable
{
    private const int MaxRememberedSignatures = 10_000;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    private readonly KernelOptions _options;
    private readonly WireCodec _codec;
    private readonly NotebookSession _session;
    private readonly CodeAssistant _assistant;
    private readonly string _sessionId = Guid.NewGuid().ToString("N");
    private readonly object _iopubLock = new(), _logLock = new(), _replayLock = new(), _stdinLock = new();
    private readonly HashSet<string> _seenSignatures = new(StringComparer.Ordinal);
    private readonly Queue<string> _signatureOrder = new();
    private readonly TaskCompletionSource<string> _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Thread> _threads = [];

    private RouterSocket? _shell, _control, _stdin;
    private PublisherSocket? _iopub;
    private ResponseSocket? _heartbeat;
    private volatile bool _stopping;
    private int _executionCount;
    private volatile CurrentExecution? _current;
    private int _deathReported;
    private readonly List<(int Line, string Input)> _history = [];
    private readonly WidgetComms _widgets;
    private JupyterMessage? _handling; // the shell message whose children widget messages are

    /// <summary>The request whose cell is running: for interrupts and for input requests on stdin.</summary>
    private sealed record CurrentExecution(JupyterMessage Request, CancellationTokenSource Interrupt, bool AllowStdin);

    /// <summary>Creates the kernel and its session; nothing listens until <see cref="Start"/>.</summary>
    public JupyterKernel(KernelOptions options)
    {
        _options = options;
        Connection = options.Connection;
        _codec = new WireCodec(new MessageSigner(options.Connection.Key));
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
        _widgets = new WidgetComms
        {
            // ipywidgets 8 front ends refuse a widget comm_open whose metadata does not name protocol 2.x.
            Publish = (type, content) =>
            {
                if (_handling is { } parent)
                    Publish(type, parent, content, type == "comm_open" ? new JsonObject { ["version"] = WidgetComms.ProtocolVersion } : null);
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
        var c = _options.Connection;
        _shell = new RouterSocket();
        _control = new RouterSocket();
        _stdin = new RouterSocket();
        _iopub = new PublisherSocket();
        _heartbeat = new ResponseSocket();
        foreach (var socket in new NetMQSocket[] { _shell, _control, _stdin, _iopub, _heartbeat })
        {
            socket.Options.Linger = TimeSpan.FromSeconds(1);
            socket.Options.SendHighWatermark = 100_000; // a cell printing fast must not lose lines
        }
        Connection = c with
        {
            ShellPort = Bind(_shell, c.ShellPort, "shell"),
            IOPubPort = Bind(_iopub, c.IOPubPort, "iopub"),
            StdinPort = Bind(_stdin, c.StdinPort, "stdin"),
            ControlPort = Bind(_control, c.ControlPort, "control"),
            HeartbeatPort = Bind(_heartbeat, c.HeartbeatPort, "heartbeat"),
        };

        StartThread("jupyter-heartbeat", HeartbeatLoop);
        StartThread("jupyter-control", () => ServeLoop(_control, "control", HandleControl));
        StartThread("jupyter-shell", () => ServeLoop(_shell, "shell", HandleShell));
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
        lock (_iopubLock) _iopub?.Dispose();
        lock (_stdinLock) _stdin?.Dispose();
        _shell?.Dispose();
        _control?.Dispose();
        _heartbeat?.Dispose();
    }

    private int Bind(NetMQSocket socket, int port, string name)
    {
        string ip = _options.Connection.IP;
        try
        {
            if (port != 0)
            {
                socket.Bind($"tcp://{ip}:{port}");
                return port;
            }
            return socket.BindRandomPort($"tcp://{ip}");
        }
        catch (NetMQException e)
        {
            throw new ConnectionFileException($"cannot bind the {name} socket to port {port}: {e.Message}");
        }
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

    private void HeartbeatLoop()
    {
        var heartbeat = _heartbeat!;
        while (!_stopping)
        {
            var frames = new List<byte[]>();
            if (heartbeat.TryReceiveMultipartBytes(Poll, ref frames)) heartbeat.SendMultipartBytes(frames);
        }
    }

    private void ServeLoop(RouterSocket socket, string channel, Action<RouterSocket, JupyterMessage> handle)
    {
        while (!_stopping)
            if (Receive(socket, channel, Poll) is { } message) handle(socket, message);
    }

    /// <summary>One verified message, or null on timeout or when the message was dropped or answered as malformed.</summary>
    private JupyterMessage? Receive(RouterSocket socket, string channel, TimeSpan timeout)
    {
        var frames = new List<byte[]>();
        if (!socket.TryReceiveMultipartBytes(timeout, ref frames)) return null;
        var (message, error, signature) = _codec.Decode(frames);
        if (error is not null)
        {
            if (!error.SignatureOk || error.Identities is null)
            {
                Log($"dropped a message on {channel}: {error.Problem}");
                return null;
            }
            Log($"malformed message on {channel}: {error.Problem}");
            string requestType = error.Header?["msg_type"] is JsonValue v && v.TryGetValue(out string? t) ? t : "";
            var fake = new JupyterMessage(error.Identities, error.Header ?? [], [], [], [], []);
            Send(socket, fake, requestType.EndsWith("_request", StringComparison.Ordinal) ? requestType[..^"_request".Length] + "_reply" : "error",
                ErrorContent("MalformedMessage", $"{channel} message: {error.Problem}"));
            return null;
        }
        if (_codec.Signer.IsSigning && !Remember(signature!))
        {
            Log($"dropped a message on {channel}: replay of an earlier message ({message!.Type} {message.Id})");
            return null;
        }
        return message;
    }

    /// <summary>False when this signature was seen before (a replayed message).</summary>
    private bool Remember(string signature)
    {
        lock (_replayLock)
        {
            if (!_seenSignatures.Add(signature)) return false;
            _signatureOrder.Enqueue(signature);
            if (_signatureOrder.Count > MaxRememberedSignatures) _seenSignatures.Remove(_signatureOrder.Dequeue());
            return true;
        }
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
        PublishStatus("busy", request);
        try
        {
            switch (request.Type)
            {
                case "execute_request": Execute(shell, request); break;
                case "kernel_info_request": Send(shell, request, "kernel_info_reply", KernelInfo()); break;
                case "is_complete_request": IsComplete(shell, request); break;
                case "complete_request": Complete(shell, request); break;
                case "inspect_request": Inspect(shell, request); break;
                case "history_request": Send(shell, request, "history_reply", History(request.Content)); break;
                case "comm_info_request": Send(shell, request, "comm_info_reply", _widgets.Info(request.Content["target_name"] is JsonValue t ? (string?)t : null)); break;
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
            Send(shell, request, ReplyType(request), ErrorContent("MalformedMessage", e.Message));
        }
        catch (Exception e) when (!_stopping)
        {
            Log($"error serving {request.Type}: {e}");
            Send(shell, request, ReplyType(request), ErrorContent(e.GetType().Name, e.Message));
        }
        finally
        {
            PublishStatus("idle", request);
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
        if (storeHistory && !silent) lock (_history) _history.Add((count, code));
        if (!silent) Publish("execute_input", request, new JsonObject { ["code"] = code, ["execution_count"] = count });

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
                Publish(type, request, body);
            }, timeout: null, interrupt.Token).GetAwaiter().GetResult();
        }
        finally
        {
            _current = null;
        }

        if (result.Status == CellStatus.Ok)
        {
            Send(shell, request, "execute_reply", new JsonObject
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
        Send(shell, request, "execute_reply", reply, restart ? new JsonObject { [KernelSupervisor.RestartingMetadata] = true } : null);
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
            PublishStatus("busy", queued);
            Send(shell, queued, "execute_reply", new JsonObject { ["status"] = "aborted", ["execution_count"] = _executionCount });
            PublishStatus("idle", queued);
        }
    }

    /// <summary>
    /// The requests waiting on shell right now. After a failing cell (stop_on_error), the execute
    /// requests among them are answered "aborted" instead of running on a broken state, as ipykernel does.
    /// </summary>
    private List<JupyterMessage> TakeWaiting(RouterSocket shell)
    {
        var waiting = new List<JupyterMessage>();
        while (Receive(shell, "shell", TimeSpan.Zero) is { } queued) waiting.Add(queued);
        return waiting;
    }

    /// <summary>
    /// history_reply from the inputs this kernel executed (session 0 = this session, numbered 1):
    /// "tail" gives the last n, "range" lines start..stop (stop excluded; negative counts from the
    /// end), "search" the inputs matching a glob pattern (* and ?), the last n, optionally unique.
    /// With output=true each entry is [session, line, [input, null]] (outputs are not kept).
    /// </summary>
    private JsonObject History(JsonObject content)
    {
        List<(int Line, string Input)> all;
        lock (_history) all = [.. _history];
        string access = Optional(content, "hist_access_type", "tail");
        bool output = Optional(content, "output", false);
        int n = Optional(content, "n", 0);
        IEnumerable<(int Line, string Input)> chosen = access switch
        {
            "tail" => n > 0 ? all.TakeLast(n) : all,
            "range" => Range(all, Optional(content, "start", 0), content["stop"] is null ? (int?)null : Optional(content, "stop", 0)),
            "search" => Search(all, Optional(content, "pattern", "*"), n, Optional(content, "unique", false)),
            _ => throw new MalformedContentException($"content.hist_access_type must be range, tail or search (got {access})"),
        };
        var history = new JsonArray();
        foreach (var (line, input) in chosen)
            history.Add(new JsonArray(1, line, output ? new JsonArray(input, null) : JsonValue.Create(input)));
        return new JsonObject { ["status"] = "ok", ["history"] = history };
    }

    private static IEnumerable<(int Line, string Input)> Range(List<(int Line, string Input)> all, int start, int? stop)
    {
        int last = all.Count == 0 ? 0 : all[^1].Line;
        int from = start < 0 ? last + 1 + start : start;
        int to = stop is { } s ? (s < 0 ? last + 1 + s : s) : last + 1;
        return all.Where(h => h.Line >= from && h.Line < to);
    }

    private static IEnumerable<(int Line, string Input)> Search(List<(int Line, string Input)> all, string pattern, int n, bool unique)
    {
        var glob = new System.Text.RegularExpressions.Regex(
            "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$",
            System.Text.RegularExpressions.RegexOptions.Singleline);
        var matches = all.Where(h => glob.IsMatch(h.Input)).ToList();
        if (unique) matches = matches.GroupBy(h => h.Input).Select(g => g.Last()).OrderBy(h => h.Line).ToList();
        return n > 0 ? matches.TakeLast(n) : matches;
    }

    private JsonObject KernelInfo()
    {
        string version = typeof(JupyterKernel).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "1.0";
        string csharp = Microsoft.CodeAnalysis.CSharp.LanguageVersionFacts.ToDisplayString(
            Microsoft.CodeAnalysis.CSharp.LanguageVersionFacts.MapSpecifiedToEffectiveVersion(Microsoft.CodeAnalysis.CSharp.LanguageVersion.Latest));
        return new JsonObject
        {
            ["status"] = "ok",
            ["protocol_version"] = JupyterMessage.ProtocolVersion,
            ["implementation"] = "fromscratch-csharp",
            ["implementation_version"] = version,
            ["language_info"] = new JsonObject
            {
                ["name"] = "C#",
                ["version"] = csharp,
                ["mimetype"] = "text/x-csharp",
                ["file_extension"] = ".cs",
                ["pygments_lexer"] = "csharp",
                ["codemirror_mode"] = "text/x-csharp",
            },
            ["banner"] = $"C# (FromScratch): Roslyn scripting on .NET {Environment.Version}, C# {csharp}. display(x) and HTML(\"…\") work as in `run`.",
            ["help_links"] = new JsonArray(),
            ["debugger"] = false,
        };
    }

    private void IsComplete(RouterSocket shell, JupyterMessage request)
    {
        var answer = CodeAssistant.IsComplete(Required<string>(request.Content, "code"));
        var content = new JsonObject { ["status"] = answer.Status };
        if (answer.Status == "incomplete") content["indent"] = answer.Indent;
        Send(shell, request, "is_complete_reply", content);
    }

    private void Complete(RouterSocket shell, JupyterMessage request)
    {
        string code = Required<string>(request.Content, "code");
        int cursor = CodePoints.ToUtf16(code, Optional(request.Content, "cursor_pos", CodePoints.Count(code)));
        var list = _assistant.Complete(code, cursor);
        int start = CodePoints.FromUtf16(code, list.Start), end = CodePoints.FromUtf16(code, list.End);
        Send(shell, request, "complete_reply", new JsonObject
        {
            ["status"] = "ok",
            ["matches"] = new JsonArray(list.Items.Select(i => (JsonNode?)i.Text).ToArray()),
            ["cursor_start"] = start,
            ["cursor_end"] = end,
            ["metadata"] = new JsonObject
            {
                ["_jupyter_types_experimental"] = new JsonArray(list.Items.Select(i => (JsonNode?)new JsonObject
                {
                    ["start"] = start, ["end"] = end, ["text"] = i.Text, ["type"] = i.Kind,
                }).ToArray()),
            },
        });
    }

    private void Inspect(RouterSocket shell, JupyterMessage request)
    {
        string code = Required<string>(request.Content, "code");
        int cursor = CodePoints.ToUtf16(code, Optional(request.Content, "cursor_pos", CodePoints.Count(code)));
        string? text = _assistant.Inspect(code, cursor);
        Send(shell, request, "inspect_reply", new JsonObject
        {
            ["status"] = "ok",
            ["found"] = text is not null,
            ["data"] = text is null ? new JsonObject() : new JsonObject { [MimeTypes.PlainText] = text },
            ["metadata"] = new JsonObject(),
        });
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
                case "kernel_info_request": Send(control, request, "kernel_info_reply", KernelInfo()); break;
                default: Unsupported(control, request, "control"); break;
            }
        }
        catch (MalformedContentException e)
        {
            Log($"malformed {request.Type}: {e.Message}");
            Send(control, request, ReplyType(request), ErrorContent("MalformedMessage", e.Message));
        }
    }

    private void Interrupt(RouterSocket socket, JupyterMessage request)
    {
        var running = _current;
        running?.Interrupt.Cancel();
        Log(running is null ? "interrupt: no cell is running" : $"interrupt: cancelling the cell of {running.Request.Id}");
        Send(socket, request, "interrupt_reply", new JsonObject { ["status"] = "ok" });
    }

    private void Shutdown(RouterSocket socket, JupyterMessage request)
    {
        bool restart = Optional(request.Content, "restart", false);
        var content = new JsonObject { ["status"] = "ok", ["restart"] = restart };
        Send(socket, request, "shutdown_reply", content);
        Publish("shutdown_reply", request, content.DeepClone().AsObject());
        // A restart is the front end's job: it starts a new process once this one has exited.
        RequestShutdown(restart ? "shutdown_request (restart)" : "shutdown_request");
    }

    private void Unsupported(RouterSocket socket, JupyterMessage request, string channel)
    {
        Log($"unsupported message on {channel}: {request.Type}");
        if (request.Type.EndsWith("_request", StringComparison.Ordinal))
            Send(socket, request, ReplyType(request), ErrorContent("UnsupportedMessage", $"this kernel does not handle {request.Type} on {channel}"));
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
            Publish("error", running.Request, OutputJson.ErrorContent(error));
            var reply = OutputJson.ErrorContent(error);
            reply["status"] = "error";
            reply["execution_count"] = _executionCount;
            Send(_shell!, running.Request, "execute_reply", reply);
            PublishStatus("idle", running.Request);
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
        lock (_stdinLock)
        {
            var stdin = _stdin ?? throw new ObjectDisposedException("stdin");
            Send(stdin, running.Request, "input_request", new JsonObject { ["prompt"] = prompt, ["password"] = password });
            while (true)
            {
                running.Interrupt.Token.ThrowIfCancellationRequested();
                if (Receive(stdin, "stdin", Poll) is not { } reply) continue;
                if (reply.Type != "input_reply")
                {
                    Log($"unexpected {reply.Type} on stdin while waiting for input_reply");
                    continue;
                }
                return reply.Content["value"] is JsonValue v && v.TryGetValue(out string? value) ? value : "";
            }
        }
    }

    // ---- sending -----------------------------------------------------------------------------

    private void Send(NetMQSocket socket, JupyterMessage parent, string msgType, JsonObject content, JsonObject? metadata = null)
    {
        var message = new JupyterMessage(parent.Identities, JupyterMessage.NewHeader(msgType, _sessionId), parent.Header.DeepClone().AsObject(), metadata ?? [], content, []);
        var frames = _codec.Encode(message);
        if (socket == _iopub) lock (_iopubLock) socket.SendMultipartBytes(frames);
        else socket.SendMultipartBytes(frames);
    }

    private void Publish(string msgType, JupyterMessage parent, JsonObject content, JsonObject? metadata = null)
    {
        if (_iopub is null) return;
        var topic = Encoding.UTF8.GetBytes($"kernel.{_sessionId}.{msgType}");
        var message = new JupyterMessage([topic], JupyterMessage.NewHeader(msgType, _sessionId), parent.Header.DeepClone().AsObject(), metadata ?? [], content, []);
        var frames = _codec.Encode(message);
        lock (_iopubLock) _iopub.SendMultipartBytes(frames);
    }

    private void PublishStatus(string state, JupyterMessage parent) =>
        Publish("status", parent, new JsonObject { ["execution_state"] = state });

    private void Log(string line)
    {
        lock (_logLock)
        {
            _options.Log.WriteLine($"[fromscratch kernel {DateTime.Now:HH:mm:ss}] {line}");
            _options.Log.Flush();
        }
    }

    private static string ReplyType(JupyterMessage request) =>
        request.Type.EndsWith("_request", StringComparison.Ordinal) ? request.Type[..^"_request".Length] + "_reply" : "error";

    private static JsonObject ErrorContent(string name, string message) => new()
    {
        ["status"] = "error", ["ename"] = name, ["evalue"] = message, ["traceback"] = new JsonArray($"{name}: {message}"),
    };

    private static T Required<T>(JsonObject content, string name)
    {
        if (content[name] is JsonValue value && value.TryGetValue(out T? result) && result is not null) return result;
        throw new MalformedContentException($"content.{name} is missing or not a {typeof(T).Name} (got {content[name]?.ToJsonString() ?? "nothing"})");
    }

    private static T Optional<T>(JsonObject content, string name, T fallback)
    {
        if (content[name] is null) return fallback;
        if (content[name] is JsonValue value && value.TryGetValue(out T? result) && result is not null) return result;
        throw new MalformedContentException($"content.{name} is not a {typeof(T).Name} (got {content[name]!.ToJsonString()})");
    }
}

/// <summary>A request whose content lacks a field or has one of the wrong type.</summary>
internal sealed class MalformedContentException(string message) : Exception(message);

/// <summary>Jupyter counts cursor positions in Unicode code points; .NET strings index UTF-16 code units.</summary>
internal static class CodePoints
{
    public static int Count(string text) => FromUtf16(text, text.Length);

    /// <summary>The UTF-16 index of the <paramref name="codePoints"/>-th code point (clamped to the text).</summary>
    public static int ToUtf16(string text, int codePoints)
    {
        int index = 0;
        for (int n = 0; n < codePoints && index < text.Length; n++)
            index += char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]) ? 2 : 1;
        return index;
    }

    /// <summary>The number of code points before UTF-16 index <paramref name="index"/>.</summary>
    public static int FromUtf16(string text, int index)
    {
        int n = 0;
        for (int i = 0; i < index && i < text.Length; n++)
            i += char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
        return n;
    }
}

/// <summary>Whether the process that started the kernel is still there.</summary>
internal static class ParentProcess
{
    public static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>This process's parent id on Linux (from /proc/self/stat), else null.</summary>
    public static int? OfThisProcess()
    {
        try
        {
            if (!OperatingSystem.IsLinux()) return null;
            string stat = File.ReadAllText("/proc/self/stat");
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.TryParse(fields[1], out int ppid) ? ppid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}

/// <summary>Console.In of the kernel process: each line a cell reads is asked of the front end (input_request).</summary>
internal sealed class KernelInput(JupyterKernel kernel) : TextReader
{
    private string _pending = "";
    private int _next;

    public override string? ReadLine()
    {
        if (_next < _pending.Length)
        {
            string rest = _pending[_next..].TrimEnd('\n');
            _next = _pending.Length;
            return rest;
        }
        return kernel.RequestInput(kernel.TakeInputPrompt(), password: false);
    }

    public override int Peek() => Fill() ? _pending[_next] : -1;

    public override int Read() => Fill() ? _pending[_next++] : -1;

    private bool Fill()
    {
        if (_next < _pending.Length) return true;
        _pending = kernel.RequestInput(kernel.TakeInputPrompt(), password: false) + "\n";
        _next = 0;
        return true;
    }
}
