using System.Text;
using System.Text.Json.Nodes;
using NetMQ;
using NetMQ.Sockets;

namespace FromScratch.Notebooks.Jupyter;

/// <summary>
/// The kernel's five ZeroMQ sockets (NetMQ): shell, control and stdin (ROUTER), IOPub (PUB) and heartbeat (REP).
/// Receiving verifies the signature and drops replays (<see cref="ReplayGuard"/>); a malformed message with a
/// good signature gets an error reply here. Sending signs every message as a child of the request it answers.
/// </summary>
internal sealed class KernelTransport(MessageSigner signer, Action<string> log) : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    private readonly WireCodec _codec = new(signer);
    private readonly ReplayGuard _replays = new();
    private readonly string _sessionId = Guid.NewGuid().ToString("N");
    private readonly object _iopubLock = new();
    private PublisherSocket? _iopub;
    private ResponseSocket? _heartbeat;

    /// <summary>How long a receive waits before the caller's loop checks whether to stop.</summary>
    public static TimeSpan PollInterval => Poll;

    /// <summary>The shell channel (requests from every client); null before <see cref="Bind"/>.</summary>
    public RouterSocket? Shell { get; private set; }

    /// <summary>The control channel (interrupt, shutdown), served on its own thread.</summary>
    public RouterSocket? Control { get; private set; }

    /// <summary>The stdin channel (input_request to the client of the running cell).</summary>
    public RouterSocket? Stdin { get; private set; }

    /// <summary>Held while a cell waits for its input_reply, and to close stdin.</summary>
    public object StdinLock { get; } = new();

    /// <summary>Creates and binds the five sockets; returns the connection with the ports actually bound (0 = any).</summary>
    public ConnectionInfo Bind(ConnectionInfo c)
    {
        Shell = new RouterSocket();
        Control = new RouterSocket();
        Stdin = new RouterSocket();
        _iopub = new PublisherSocket();
        _heartbeat = new ResponseSocket();
        foreach (var socket in new NetMQSocket[] { Shell, Control, Stdin, _iopub, _heartbeat })
        {
            socket.Options.Linger = TimeSpan.FromSeconds(1);
            socket.Options.SendHighWatermark = 100_000; // a cell printing fast must not lose lines
        }
        return c with
        {
            ShellPort = BindOne(Shell, c.IP, c.ShellPort, "shell"),
            IOPubPort = BindOne(_iopub, c.IP, c.IOPubPort, "iopub"),
            StdinPort = BindOne(Stdin, c.IP, c.StdinPort, "stdin"),
            ControlPort = BindOne(Control, c.IP, c.ControlPort, "control"),
            HeartbeatPort = BindOne(_heartbeat, c.IP, c.HeartbeatPort, "heartbeat"),
        };
    }

    /// <summary>Echoes heartbeat pings until <paramref name="stopping"/> says so.</summary>
    public void ServeHeartbeat(Func<bool> stopping)
    {
        var heartbeat = _heartbeat!;
        while (!stopping())
        {
            var frames = new List<byte[]>();
            if (heartbeat.TryReceiveMultipartBytes(Poll, ref frames)) heartbeat.SendMultipartBytes(frames);
        }
    }

    /// <summary>One verified message, or null on timeout or when the message was dropped or answered as malformed.</summary>
    public JupyterMessage? Receive(RouterSocket socket, string channel, TimeSpan timeout)
    {
        var frames = new List<byte[]>();
        if (!socket.TryReceiveMultipartBytes(timeout, ref frames)) return null;
        var (message, error, signature) = _codec.Decode(frames);
        if (error is not null)
        {
            if (!error.SignatureOk || error.Identities is null)
            {
                log($"dropped a message on {channel}: {error.Problem}");
                return null;
            }
            log($"malformed message on {channel}: {error.Problem}");
            string requestType = error.Header?["msg_type"] is JsonValue v && v.TryGetValue(out string? t) ? t : "";
            var fake = new JupyterMessage(error.Identities, error.Header ?? [], [], [], [], []);
            Send(socket, fake, Replies.TypeFor(requestType), Replies.Error("MalformedMessage", $"{channel} message: {error.Problem}"));
            return null;
        }
        if (_codec.Signer.IsSigning && !_replays.IsNew(signature!))
        {
            log($"dropped a message on {channel}: replay of an earlier message ({message!.Type} {message.Id})");
            return null;
        }
        return message;
    }

    /// <summary>Sends a reply (or input_request) to the client of <paramref name="parent"/> on a ROUTER socket.</summary>
    public void Send(RouterSocket socket, JupyterMessage parent, string msgType, JsonObject content, JsonObject? metadata = null)
    {
        var message = new JupyterMessage(parent.Identities, JupyterMessage.NewHeader(msgType, _sessionId), parent.Header.DeepClone().AsObject(), metadata ?? [], content, []);
        socket.SendMultipartBytes(_codec.Encode(message));
    }

    /// <summary>Publishes on IOPub (topic <c>kernel.&lt;session&gt;.&lt;msg_type&gt;</c>) as a child of <paramref name="parent"/>.</summary>
    public void Publish(string msgType, JupyterMessage parent, JsonObject content, JsonObject? metadata = null)
    {
        if (_iopub is null) return;
        var topic = Encoding.UTF8.GetBytes($"kernel.{_sessionId}.{msgType}");
        var message = new JupyterMessage([topic], JupyterMessage.NewHeader(msgType, _sessionId), parent.Header.DeepClone().AsObject(), metadata ?? [], content, []);
        var frames = _codec.Encode(message);
        lock (_iopubLock) _iopub.SendMultipartBytes(frames);
    }

    /// <summary>status busy or idle on IOPub.</summary>
    public void PublishStatus(string state, JupyterMessage parent) =>
        Publish("status", parent, new JsonObject { ["execution_state"] = state });

    /// <summary>Closes the sockets (IOPub and stdin once no one sends on them).</summary>
    public void Dispose()
    {
        lock (_iopubLock) _iopub?.Dispose();
        lock (StdinLock) Stdin?.Dispose();
        Shell?.Dispose();
        Control?.Dispose();
        _heartbeat?.Dispose();
    }

    private static int BindOne(NetMQSocket socket, string ip, int port, string name)
    {
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
}
