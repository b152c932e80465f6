namespace FromScratch.Tests.Kernels;

/// <summary>How many bytes code allocates on the calling thread, robust to the runtime's own occasional allocations.</summary>
internal static class Allocations
{
    /// <summary>
    /// Runs <paramref name="run"/> <paramref name="attempts"/> times and returns the fewest bytes the calling thread
    /// allocated in one attempt. Code that allocates does so every time it runs, so it shows in every attempt; the
    /// runtime, under a loaded machine, now and then allocates a few KiB on the thread on its own (seen in these tests
    /// at 7–8 KiB in about one run in six, already before the fast path changed), which a single attempt would
    /// mistake for the code's.
    /// </summary>
    public static long FewestBytes(Action run, int attempts = 3)
    {
        long fewest = long.MaxValue;
        for (int attempt = 0; attempt < attempts; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            run();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return fewest;
    }
}
