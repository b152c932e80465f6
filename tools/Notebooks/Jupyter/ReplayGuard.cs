namespace FromScratch.Notebooks.Jupyter;

/// <summary>
/// The signatures of the last messages received: a message whose signature was seen before is a replay
/// (someone resending a captured message) and is dropped, never executed.
/// </summary>
internal sealed class ReplayGuard
{
    private const int MaxRemembered = 10_000;

    private readonly object _lock = new();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    /// <summary>False when this signature was seen before (a replayed message); remembers it otherwise.</summary>
    public bool IsNew(string signature)
    {
        lock (_lock)
        {
            if (!_seen.Add(signature)) return false;
            _order.Enqueue(signature);
            if (_order.Count > MaxRemembered) _seen.Remove(_order.Dequeue());
            return true;
        }
    }
}
