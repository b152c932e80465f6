using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FromScratch.Notebooks.Jupyter;

/// <summary>Why a received multipart message could not be read.</summary>
/// <param name="Problem">What is wrong, for the log and the error reply.</param>
/// <param name="Identities">Routing frames, when the delimiter was found (so an error reply can be routed).</param>
/// <param name="Header">The header when it parsed (so the error reply names the request).</param>
/// <param name="SignatureOk">False when the signature was missing or wrong: such a message is dropped, never answered.</param>
internal sealed record WireError(string Problem, IReadOnlyList<byte[]>? Identities, JsonObject? Header, bool SignatureOk);

/// <summary>Encodes and decodes messages to and from ZeroMQ frames, signing and verifying with a <see cref="MessageSigner"/>.</summary>
internal sealed class WireCodec(MessageSigner signer)
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    public MessageSigner Signer => signer;

    /// <summary>The frames of <paramref name="message"/>, signed.</summary>
    public List<byte[]> Encode(JupyterMessage message)
    {
        byte[][] parts =
        [
            Encoding.UTF8.GetBytes(message.Header.ToJsonString(Compact)),
            Encoding.UTF8.GetBytes(message.ParentHeader.ToJsonString(Compact)),
            Encoding.UTF8.GetBytes(message.Metadata.ToJsonString(Compact)),
            Encoding.UTF8.GetBytes(message.Content.ToJsonString(Compact)),
        ];
        var frames = new List<byte[]>(message.Identities);
        frames.Add(JupyterMessage.Delimiter);
        frames.Add(Encoding.ASCII.GetBytes(signer.Sign(parts)));
        frames.AddRange(parts);
        frames.AddRange(message.Buffers);
        return frames;
    }

    /// <summary>Reads frames into a message, or says why not. The signature is checked before any JSON is parsed.</summary>
    /// <returns>The message, or why it is unusable; and the signature as sent (to recognise replays).</returns>
    public (JupyterMessage? Message, WireError? Error, string? Signature) Decode(IReadOnlyList<byte[]> frames)
    {
        int delimiter = -1;
        for (int i = 0; i < frames.Count; i++)
            if (frames[i].AsSpan().SequenceEqual(JupyterMessage.Delimiter)) { delimiter = i; break; }
        if (delimiter < 0)
            return (null, new WireError($"no <IDS|MSG> delimiter among {frames.Count} frame(s)", null, null, SignatureOk: false), null);
        var identities = frames.Take(delimiter).ToList();
        if (frames.Count - delimiter - 1 < 5)
            return (null, new WireError($"expected signature, header, parent_header, metadata and content after <IDS|MSG>, got {frames.Count - delimiter - 1} frame(s)", identities, null, SignatureOk: false), null);

        byte[] signature = frames[delimiter + 1];
        var parts = frames.Skip(delimiter + 2).Take(4).ToList();
        if (!signer.Verify(signature, parts))
            return (null, new WireError(signature.Length == 0 ? "missing signature" : "wrong signature", identities, null, SignatureOk: false), null);

        JsonObject? header = null;
        var objects = new JsonObject[4];
        string[] names = ["header", "parent_header", "metadata", "content"];
        for (int i = 0; i < 4; i++)
        {
            try
            {
                objects[i] = JsonNode.Parse(parts[i]) as JsonObject
                    ?? throw new JsonException($"expected a JSON object, got {Encoding.UTF8.GetString(parts[i]).Trim() switch { "" => "nothing", var t => t.Length > 40 ? t[..40] + "…" : t }}");
            }
            catch (JsonException e)
            {
                return (null, new WireError($"{names[i]} is not valid JSON: {e.Message}", identities, header, SignatureOk: true), null);
            }
            if (i == 0) header = objects[0];
        }
        if (header!["msg_type"] is not JsonValue type || !type.TryGetValue(out string? _))
            return (null, new WireError("header has no msg_type", identities, header, SignatureOk: true), null);
        return (new JupyterMessage(identities, objects[0], objects[1], objects[2], objects[3], frames.Skip(delimiter + 6).ToList()), null, Encoding.ASCII.GetString(signature));
    }
}
