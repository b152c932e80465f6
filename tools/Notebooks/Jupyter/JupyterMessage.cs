using System.Globalization;
using System.Text.Json.Nodes;

namespace FromScratch.Notebooks.Jupyter;

/// <summary>
/// One message of the Jupyter messaging protocol (5.3). On the wire it is a multipart ZeroMQ
/// message: <c>[identities…, "&lt;IDS|MSG&gt;", signature, header, parent_header, metadata, content, buffers…]</c>.
/// </summary>
/// <param name="Identities">ROUTER routing frames (who sent it; replies go back to them), or the IOPub topic.</param>
/// <param name="Header">msg_id, session, username, date, msg_type, version.</param>
/// <param name="ParentHeader">The header of the request this message answers (empty for none).</param>
/// <param name="Metadata">Free-form metadata.</param>
/// <param name="Content">The message body; its shape depends on msg_type.</param>
/// <param name="Buffers">Extra binary frames (unused by this kernel, kept for completeness).</param>
public sealed record JupyterMessage(
    IReadOnlyList<byte[]> Identities, JsonObject Header, JsonObject ParentHeader, JsonObject Metadata, JsonObject Content,
    IReadOnlyList<byte[]> Buffers)
{
    /// <summary>The protocol version this kernel speaks.</summary>
    public const string ProtocolVersion = "5.3";

    /// <summary>The frame that separates routing identities from the message.</summary>
    public static readonly byte[] Delimiter = "<IDS|MSG>"u8.ToArray();

    /// <summary>header.msg_type, e.g. "execute_request" ("" when absent).</summary>
    public string Type => Header["msg_type"] is JsonValue v && v.TryGetValue(out string? s) ? s : "";

    /// <summary>header.msg_id ("" when absent).</summary>
    public string Id => Header["msg_id"] is JsonValue v && v.TryGetValue(out string? s) ? s : "";

    /// <summary>A fresh header for a message of <paramref name="msgType"/> sent in <paramref name="session"/>.</summary>
    public static JsonObject NewHeader(string msgType, string session) => new()
    {
        ["msg_id"] = Guid.NewGuid().ToString("N"),
        ["session"] = session,
        ["username"] = Environment.UserName,
        ["date"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        ["msg_type"] = msgType,
        ["version"] = ProtocolVersion,
    };
}
