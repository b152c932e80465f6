using System.Text;
using System.Text.Json.Nodes;
using NetMQ;
using NetMQ.Sockets;

namespace FromScratch.Notebooks.Jupyter;

/// <summary>
/// The front end's side of the supervisor: the five sockets its connection file names — shell, control and stdin
/// (ROUTER), IOPub (PUB) and heartbeat (REP, echoed right here, so the front end sees the kernel alive while a worker
/// restarts) — and the messages the supervisor sends as the kernel itself (the answers for a worker that died or for
/// requests between workers), signed with the front end's key.
/// </summary>
internal sealed class FrontEndChannels(WireCodec codec, string sessionId) : IDisposable
{
    /// <summary>The shell channel (execute and every other request).</summary>
    public RouterSocket Shell { get; } = new();

    /// <summary>The control channel (interrupt, shutdown).</summary>
    public RouterSocket Control { get; } = new();

    /// <summary>The stdin channel (input_reply to a worker's input_request).</summary>
    public RouterSocket Stdin { get; } = new();

    /// <summary>IOPub: what the worker publishes, and the supervisor's own reports.</summary>
    public PublisherSocket IOPub { get; } = new();

    /// <summary>The heartbeat: every ping is echoed by the supervisor.</summary>
    public ResponseSocket Heartbeat { get; } = new();

    private IEnumerable<NetMQSocket> All => [Shell, Control, Stdin, IOPub, Heartbeat];

    /// <summary>Binds the five sockets to the front end's ports and starts echoing the heartbeat (once polled).</summary>
    public void Bind(ConnectionInfo front)
    {
        foreach (var socket in All)
        {
            socket.Options.Linger = TimeSpan.FromSeconds(1);
            socket.Options.SendHighWatermark = 100_000;
            socket.Options.ReceiveHighWatermark = 100_000;
        }
        BindOne(Shell, front, front.ShellPort, "shell");
        BindOne(IOPub, front, front.IOPubPort, "iopub");
        BindOne(Stdin, front, front.StdinPort, "stdin");
        BindOne(Control, front, front.ControlPort, "control");
        BindOne(Heartbeat, front, front.HeartbeatPort, "heartbeat");
        Heartbeat.ReceiveReady += (_, e) => e.Socket.SendMultipartBytes(e.Socket.ReceiveMultipartBytes());
    }

    /// <summary>A reply of the supervisor's own to the client <paramref name="identities"/> name (interrupt and shutdown on control, the rest on shell).</summary>
    public void Reply(IReadOnlyList<byte[]> identities, JsonObject parent, string type, JsonObject content)
    {
        var message = new JupyterMessage([.. identities], JupyterMessage.NewHeader(type, sessionId), (JsonObject)parent.DeepClone(), [], content, []);
        var socket = type is "interrupt_reply" or "shutdown_reply" ? Control : Shell;
        socket.SendMultipartBytes(codec.Encode(message));
    }

    /// <summary>An IOPub message of the supervisor's own, as a child of the request with header <paramref name="parent"/>.</summary>
    public void Publish(string type, JsonObject parent, JsonObject content)
    {
        var topic = Encoding.UTF8.GetBytes($"kernel.{sessionId}.{type}");
        var message = new JupyterMessage([topic], JupyterMessage.NewHeader(type, sessionId), (JsonObject)parent.DeepClone(), [], content, []);
        IOPub.SendMultipartBytes(codec.Encode(message));
    }

    /// <summary>Closes the five sockets.</summary>
    public void Dispose()
    {
        foreach (var socket in All) socket.Dispose();
    }

    private static void BindOne(NetMQSocket socket, ConnectionInfo front, int port, string name)
    {
        try
        {
            socket.Bind($"tcp://{front.IP}:{port}");
        }
        catch (NetMQException e)
        {
            throw new ConnectionFileException($"cannot bind the {name} socket to port {port}: {e.Message}");
        }
    }
}
