namespace FromScratch.Kernels;

/// <summary>
/// The helper threads that take a share of a big matrix product: one per extra core, started on first use
/// and kept for the life of the process. Handing over work reuses the same fields and events every time,
/// so a threaded product allocates nothing (unlike Parallel.For, which allocates on every call).
/// One product at a time uses them; a second caller arriving meanwhile simply runs on its own thread.
/// </summary>
internal static class GemmWorkers
{
    private static readonly object Gate = new();
    private static Worker[]? workers;
    private static GemmJob current;

    /// <summary>Runs <paramref name="job"/> split over the calling thread and the helpers; false if it was not split.</summary>
    public static bool TryRun(in GemmJob job)
    {
        int cores = Math.Min(Environment.ProcessorCount, 16);
        int parts = Math.Min(cores, job.MaxParts);
        if (parts < 2 || !Monitor.TryEnter(Gate))
            return false;
        try
        {
            workers ??= StartWorkers(cores - 1);
            current = job;
            for (int w = 0; w < parts - 1; w++)
                workers[w].Start(w + 1, parts);
            job.Run(0, parts);           // the calling thread does slab 0
            Exception? failure = null;
            for (int w = 0; w < parts - 1; w++)
                failure ??= workers[w].WaitDone();
            if (failure is not null)
                throw new InvalidOperationException("A helper thread failed while multiplying matrices.", failure);
            return true;
        }
        finally
        {
            current = default;
            Monitor.Exit(Gate);
        }
    }

    private static Worker[] StartWorkers(int count)
    {
        var result = new Worker[count];
        for (int w = 0; w < count; w++)
            result[w] = new Worker(w);
        return result;
    }

    /// <summary>One helper thread: waits for a slab number, computes it, signals done.</summary>
    private sealed class Worker
    {
        private readonly ManualResetEventSlim go = new(false, spinCount: 2000);
        private readonly ManualResetEventSlim done = new(false, spinCount: 2000);
        private int part, parts;
        private Exception? failure;

        public Worker(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"FromScratch GEMM helper {index + 1}" };
            thread.Start();
        }

        public void Start(int part, int parts)
        {
            (this.part, this.parts, failure) = (part, parts, null);
            done.Reset();
            go.Set();
        }

        public Exception? WaitDone()
        {
            done.Wait();
            return failure;
        }

        private void Loop()
        {
            while (true)
            {
                go.Wait();
                go.Reset();
                try
                {
                    current.Run(part, parts);
                }
                catch (Exception e)
                {
                    failure = e;
                }
                done.Set();
            }
        }
    }
}
