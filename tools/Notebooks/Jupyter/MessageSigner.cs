using System.Security.Cryptography;
using System.Text;

namespace FromScratch.Notebooks.Jupyter;

/// <summary>
/// HMAC-SHA256 signatures of messages, as the connection file's key and scheme ask: the hex digest
/// of header, parent_header, metadata and content, in that order, exactly as the bytes on the wire.
/// An empty key means no signing: the signature frame is empty and not checked.
/// </summary>
public sealed class MessageSigner
{
    private readonly byte[] _key;

    /// <summary>A signer for <paramref name="key"/> (UTF-8 bytes of the connection file's "key").</summary>
    public MessageSigner(string key) => _key = Encoding.UTF8.GetBytes(key);

    /// <summary>True when messages are signed (the key is not empty).</summary>
    public bool IsSigning => _key.Length > 0;

    /// <summary>The lowercase hex HMAC-SHA256 of the four frames; "" when not signing.</summary>
    public string Sign(IReadOnlyList<byte[]> frames)
    {
        if (!IsSigning) return "";
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        foreach (byte[] frame in frames) hmac.AppendData(frame);
        return Convert.ToHexStringLower(hmac.GetHashAndReset());
    }

    /// <summary>
    /// True when <paramref name="signature"/> is the signature of the four frames (always true when
    /// not signing). Compared in constant time, so timing does not tell an attacker how much was right.
    /// </summary>
    public bool Verify(byte[] signature, IReadOnlyList<byte[]> frames)
    {
        if (!IsSigning) return true;
        byte[] expected = Encoding.ASCII.GetBytes(Sign(frames));
        return CryptographicOperations.FixedTimeEquals(expected, signature);
    }
}
