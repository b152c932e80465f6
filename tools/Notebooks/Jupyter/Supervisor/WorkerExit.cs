namespace FromScratch.Notebooks.Jupyter;

/// <summary>How a worker process ended, in words a learner can act on: its exit code or signal, and its last stderr lines.</summary>
internal static class WorkerExit
{
    private const int StderrLines = 12;

    /// <summary>"exit code 3", "signal SIGSEGV (exit code 139): a native crash".</summary>
    public static string Describe(int exitCode) => exitCode switch
    {
        134 => "signal SIGABRT (exit code 134): .NET ended the process, e.g. after a stack overflow or a fatal error",
        137 => "signal SIGKILL (exit code 137), e.g. the out-of-memory killer",
        139 => "signal SIGSEGV (exit code 139): a native crash",
        > 128 and < 160 => $"signal {exitCode - 128} (exit code {exitCode})",
        _ => $"exit code {exitCode}",
    };

    /// <summary>The last stderr lines worth showing: a .NET crash prints its reason first, then frames.</summary>
    public static List<string> LastLines(List<string> stderr)
    {
        int reason = stderr.FindLastIndex(l => l.StartsWith("Stack overflow", StringComparison.Ordinal)
            || l.StartsWith("Unhandled exception", StringComparison.Ordinal) || l.StartsWith("Fatal error", StringComparison.Ordinal)
            || l.Contains("FailFast", StringComparison.Ordinal) || l.StartsWith("Process terminated", StringComparison.Ordinal));
        var lines = reason >= 0 ? stderr.Skip(reason).Take(StderrLines).ToList() : stderr.TakeLast(StderrLines).ToList();
        // A stack overflow repeats one frame thousands of times: say each line once.
        return lines.Where(l => !l.StartsWith("[fromscratch kernel", StringComparison.Ordinal)).Distinct().ToList();
    }
}
