using System.Text.Json;
using System.Text.Json.Nodes;

namespace FromScratch.Notebooks.Jupyter;

/// <summary>A connection file that cannot be used: names the file and what is wrong with it.</summary>
public sealed class ConnectionFileException(string message) : Exception(message);

/// <summary>
/// The connection file a Jupyter front end writes before it starts a kernel: where the five
/// sockets listen and the key every message is signed with. A port of 0 means "any free port"
/// (the kernel picks one and <see cref="JupyterKernel"/> reports it in <see cref="JupyterKernel.Connection"/>).
/// </summary>
public sealed record ConnectionInfo
{
    /// <summary>"tcp" (the only transport NetMQ offers on every platform).</summary>
    public string Transport { get; init; } = "tcp";

    /// <summary>The address the sockets bind to; 127.0.0.1 in every default, so only this machine can connect.</summary>
    public string IP { get; init; } = "127.0.0.1";

    /// <summary>Port of the shell socket (execute, complete, inspect, kernel_info requests).</summary>
    public int ShellPort { get; init; }

    /// <summary>Port of the IOPub socket (outputs and status, broadcast to every front end).</summary>
    public int IOPubPort { get; init; }

    /// <summary>Port of the stdin socket (input requests to the front end).</summary>
    public int StdinPort { get; init; }

    /// <summary>Port of the control socket (interrupt and shutdown, served even while a cell runs).</summary>
    public int ControlPort { get; init; }

    /// <summary>Port of the heartbeat socket (echoes whatever it receives).</summary>
    public int HeartbeatPort { get; init; }

    /// <summary>The HMAC key; empty means messages are neither signed nor checked.</summary>
    public string Key { get; init; } = "";

    /// <summary>"hmac-sha256" (the only scheme this kernel accepts when a key is set).</summary>
    public string SignatureScheme { get; init; } = "hmac-sha256";

    /// <summary>The address of one socket, e.g. "tcp://127.0.0.1:5555".</summary>
    public string Address(int port) => $"{Transport}://{IP}:{port}";

    /// <summary>Reads a connection file; a missing file or field, or an unsupported transport or scheme, throws <see cref="ConnectionFileException"/>.</summary>
    public static ConnectionInfo Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConnectionFileException($"cannot read connection file {path}: {e.Message}");
        }
        return Parse(text, path);
    }

    /// <summary>Parses connection-file JSON; <paramref name="source"/> names it in messages.</summary>
    public static ConnectionInfo Parse(string json, string source)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json)?.AsObject() ?? throw new ConnectionFileException($"{source}: the connection file is empty (null)");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new ConnectionFileException($"{source}: not a JSON object: {e.Message}");
        }
        string String(string name, string fallback) => root[name] is JsonValue v && v.TryGetValue(out string? s) ? s : fallback;
        int Port(string name)
        {
            if (root[name] is not JsonValue value || !value.TryGetValue(out int port))
                throw new ConnectionFileException($"{source}: '{name}' is missing or not an integer (got {root[name]?.ToJsonString() ?? "nothing"})");
            if (port is < 0 or > 65535)
                throw new ConnectionFileException($"{source}: '{name}' = {port} is not a TCP port (0..65535)");
            return port;
        }
        var info = new ConnectionInfo
        {
            Transport = String("transport", "tcp"),
            IP = String("ip", "127.0.0.1"),
            ShellPort = Port("shell_port"),
            IOPubPort = Port("iopub_port"),
            StdinPort = Port("stdin_port"),
            ControlPort = Port("control_port"),
            HeartbeatPort = Port("hb_port"),
            Key = String("key", ""),
            SignatureScheme = String("signature_scheme", "hmac-sha256"),
        };
        if (info.Transport != "tcp")
            throw new ConnectionFileException($"{source}: transport '{info.Transport}' is not supported (only 'tcp'); start the front end with the default transport");
        if (info.Key.Length > 0 && info.SignatureScheme != "hmac-sha256")
            throw new ConnectionFileException($"{source}: signature_scheme '{info.SignatureScheme}' is not supported (only 'hmac-sha256')");
        return info;
    }

    /// <summary>The connection-file JSON for these settings (what a front end would write).</summary>
    public string ToJson() => new JsonObject
    {
        ["transport"] = Transport,
        ["ip"] = IP,
        ["shell_port"] = ShellPort,
        ["iopub_port"] = IOPubPort,
        ["stdin_port"] = StdinPort,
        ["control_port"] = ControlPort,
        ["hb_port"] = HeartbeatPort,
        ["key"] = Key,
        ["signature_scheme"] = SignatureScheme,
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}
