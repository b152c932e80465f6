namespace FromScratch.Notebooks.Jupyter;

/// <summary>
/// When the supervisor stops restarting: a worker that dies over and over (a broken install, a cell that crashes the
/// process on start-up) is given up on after more than <c>5</c> starts within 30 s, rather than restarted forever.
/// </summary>
internal sealed class RestartBudget
{
    private const int MaxStarts = 5;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(30);

    private readonly List<DateTime> _recentStarts = [];

    /// <summary>Counts a start now; false when it is one too many (the supervisor then gives up).</summary>
    public bool TryStart()
    {
        var now = DateTime.UtcNow;
        _recentStarts.RemoveAll(t => now - t > Window);
        _recentStarts.Add(now);
        return _recentStarts.Count <= MaxStarts;
    }
}
