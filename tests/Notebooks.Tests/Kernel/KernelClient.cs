using System.Text;
using System.Text.Json.Nodes;
using FromScratch.Notebooks.Jupyter;
using NetMQ;
using NetMQ.Sockets;

namespace FromScratch.Notebooks.Tests.Kernel;

/// <summary>
/// A small Jupyter client for the protocol tests: DEALER sockets on shell, control and stdin (with
/// one identity, as jupyter_client does), SUB on IOPub, REQ on heartbeat. It signs with its own
/// codec, so a test can also sign with a wrong key or send raw frames.
/// </summary>
internal sealed class KernelClient : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly WireCodec _codec;
    private readonly string _session = Guid.NewGuid().ToString("N");

    public DealerSocket Shell { get; } = new();
    public DealerSocket Control { get; } = new();
    public DealerSocket Stdin { get; } = new();
    public SubscriberSocket IOPub { get; } = new();
    public RequestSocket Heartbeat { get; } = new();

    public KernelClient(ConnectionInfo connection)
    {
        _codec = new WireCodec(new MessageSigner(connection.Key));
        byte[] identity = Encoding.ASCII.GetBytes(_session);
        Shell.Options.Identity = identity;
        Stdin.Options.Identity = identity;
        foreach (var socket in new NetMQSocket[] { Shell, Control, Stdin, IOPub, Heartbeat }) socket.Options.Linger = TimeSpan.Zero;
        Shell.Connect(connection.Address(connection.ShellPort));
        Control.Connect(connection.Address(connection.ControlPort));
        Stdin.Connect(connection.Address(connection.StdinPort));
        IOPub.Connect(connection.Address(connection.IOPubPort));
        IOPub.SubscribeToAnyTopic();
        Heartbeat.Connect(connection.Address(connection.HeartbeatPort));
    }

    /// <summary>Sends kernel_info requests until IOPub delivers (the subscription is live), as jupyter_client does; drains IOPub.</summary>
    public void WaitForReady()
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            Send(Shell, "kernel_info_request", []);
            Assert.Equal("kernel_info_reply", Receive(Shell).Type);
            if (TryReceive(IOPub, TimeSpan.FromMilliseconds(300)) is not null)
            {
                while (TryReceive(IOPub, TimeSpan.FromMilliseconds(200)) is not null) { }
                return;
            }
        }
        Assert.Fail("IOPub never delivered a message");
    }

    public JupyterMessage Message(string type, JsonObject content, JsonObject? metadata = null) =>
        new([], JupyterMessage.NewHeader(type, _session), [], metadata ?? [], content, []);

    public List<byte[]> Frames(JupyterMessage message) => _codec.Encode(message);

    public JupyterMessage Send(NetMQSocket socket, string type, JsonObject content)
    {
        var message = Message(type, content);
        socket.SendMultipartBytes(Frames(message));
        return message;
    }

    public JupyterMessage Execute(string code, bool allowStdin = false, bool stopOnError = true) =>
        Send(Shell, "execute_request", new JsonObject
        {
            ["code"] = code, ["silent"] = false, ["store_history"] = true, ["user_expressions"] = new JsonObject(),
            ["allow_stdin"] = allowStdin, ["stop_on_error"] = stopOnError,
        });

    public static void SendRaw(NetMQSocket socket, IEnumerable<byte[]> frames) => socket.SendMultipartBytes(frames);

    /// <summary>The next message on <paramref name="socket"/>; its signature must verify.</summary>
    public JupyterMessage Receive(NetMQSocket socket) =>
        TryReceive(socket, Timeout) ?? throw new TimeoutException($"no message within {Timeout.TotalSeconds} s");

    public JupyterMessage? TryReceive(NetMQSocket socket, TimeSpan timeout)
    {
        var frames = new List<byte[]>();
        if (!((IReceivingSocket)socket).TryReceiveMultipartBytes(timeout, ref frames)) return null;
        var (message, error, _) = _codec.Decode(frames);
        Assert.True(error is null, $"the kernel sent an unreadable message: {error?.Problem}");
        return message!;
    }

    /// <summary>IOPub messages answering <paramref name="request"/>, up to and including its status idle.</summary>
    public List<JupyterMessage> IOPubUntilIdle(JupyterMessage request)
    {
        var messages = new List<JupyterMessage>();
        while (true)
        {
            var message = Receive(IOPub);
            if (message.ParentHeader["msg_id"]?.GetValue<string>() != request.Id) continue;
            messages.Add(message);
            if (message.Type == "status" && message.Content["execution_state"]?.GetValue<string>() == "idle") return messages;
        }
    }

    /// <summary>Runs <paramref name="code"/> and returns its reply and IOPub messages.</summary>
    public (JupyterMessage Reply, List<JupyterMessage> IOPub) Run(string code)
    {
        var request = Execute(code);
        var reply = Receive(Shell);
        Assert.Equal(request.Id, reply.ParentHeader["msg_id"]?.GetValue<string>());
        return (reply, IOPubUntilIdle(request));
    }

    /// <summary>text/plain of the execute_result of <paramref name="code"/>, after checking it ran ok.</summary>
    public string Evaluate(string code)
    {
        var (reply, iopub) = Run(code);
        Assert.True(reply.Content["status"]?.GetValue<string>() == "ok", $"{code}: {reply.Content.ToJsonString()}");
        return iopub.Single(m => m.Type == "execute_result").Content["data"]!["text/plain"]!.GetValue<string>();
    }

    public void Dispose()
    {
        foreach (var socket in new NetMQSocket[] { Shell, Control, Stdin, IOPub, Heartbeat }) socket.Dispose();
    }
}
