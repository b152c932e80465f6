using System.Runtime.CompilerServices;
namespace FromScratch.Kernels;

/// <summary>
/// The helper threads that take a share of a big matrix product: one per extra core, started on first use
/// and kept for the life of the process. Handing over work reuses the same fields and events every time,
/// so a threaded product allocates nothing (unlike Parallel.For, which allocates on every call).
/// </summary>
/// <remarks>
/// The product is cut into a few slabs (more slabs than threads) that the threads <em>claim</em> one at a time
/// from a shared counter, the calling thread included. So the calling thread starts at once and never waits
/// for a helper to wake up: on an idle machine the helpers take their share and the product runs on every core;
/// on a machine whose other cores are busy (other programs), a helper that is not scheduled in time simply finds
/// no slab left, and the product costs about what it costs on one thread.
/// <para>
/// The counter <c>ticket</c> holds the job's generation (high 32 bits) and the next slab (low 32 bits), so a
/// helper that wakes late can never claim a slab of a product that is already finished: between jobs the
/// ticket is "closed" (its slab number is far past any job's slab count). One product at a time uses the helpers;
/// a second caller arriving meanwhile simply runs on its own thread.
/// </para>
/// </remarks>
internal static class GemmWorkers
{
    private const long Closed = int.MaxValue / 2;   // a slab number no job reaches, even after many late claims

    /// <summary>Slabs per core: more than one lets a helper that wakes late still take a share; each slab repacks the shared operand.</summary>
    internal static int SlabsPerCore { get; set; } = 1;

    /// <summary>
    /// Slabs handed out by threaded products, and how many of them the helpers computed, since the process started.
    /// The benchmark reports the share: about half on a quiet 2-core machine, near zero when the other core is busy.
    /// </summary>
    internal static long SlabsHandedOut, SlabsByHelpers;

    private static readonly object Gate = new();
    private static Worker[]? workers;
    private static GemmJob current;
    private static int slabs;
    private static long ticket = Closed;
    private static int busy;            // helpers between "about to claim" and "done with the claimed slab"
    private static long generation;
    private static Exception? failure;

    /// <summary>Runs <paramref name="job"/> split over the calling thread and the helpers; false if it was not split.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryRun(in GemmJob job)
    {
        int cores = Math.Min(Environment.ProcessorCount, 16);
        int parts = Math.Min(SlabsPerCore * cores, job.MaxParts);
        if (cores < 2 || parts < 2 || !Monitor.TryEnter(Gate))
            return false;
        Exception? helperFailure;
        try
        {
            workers ??= StartWorkers(cores - 1);
            SlabsHandedOut += parts;                            // under the gate: one product at a time
            GemmBlocked.BuffersFor(job);                        // the caller's own buffers, even if it gets no slab this time
            current = job;
            slabs = parts;
            failure = null;
            generation++;
            Interlocked.Exchange(ref ticket, generation << 32); // publish: slab 0 of this generation is next
            foreach (var worker in workers)
                worker.Wake();
            RunSlabs(job, parts);                               // the calling thread claims slabs too
        }
        finally
        {
            // Close first, then wait: a helper that claims after this gets nothing, one that claimed before is counted
            // in busy, so when busy is 0 no helper still reads this job (and current may be reused).
            Interlocked.Exchange(ref ticket, Closed);
            SpinWait spin = default;
            while (Volatile.Read(ref busy) != 0)
                spin.SpinOnce(sleep1Threshold: -1);
            helperFailure = failure;
            current = default;
            Monitor.Exit(Gate);
        }
        if (helperFailure is not null)
            throw new InvalidOperationException("A helper thread failed while multiplying matrices.", helperFailure);
        return true;
    }

    /// <summary>Claims and computes slabs until none is left of the job the ticket belongs to.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunSlabs(in GemmJob job, int parts)
    {
        while (true)
        {
            long claimed = Interlocked.Increment(ref ticket) - 1;
            int slab = (int)(claimed & 0xFFFF_FFFF);
            if (slab >= parts)
                return;
            job.Run(slab, parts);
        }
    }

    /// <summary>A helper's share: claims slabs of whatever job is published (none when it is closed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void HelpCurrentJob()
    {
        Interlocked.Increment(ref busy);
        try
        {
            while (true)
            {
                long claimed = Interlocked.Increment(ref ticket) - 1;
                int slab = (int)(claimed & 0xFFFF_FFFF);
                // A valid claim means the job was published before the ticket was, so current and slabs are that job's.
                int parts = Volatile.Read(ref slabs);
                if (slab >= parts)
                    return;
                current.Run(slab, parts);
                Interlocked.Increment(ref SlabsByHelpers);
            }
        }
        catch (Exception e)
        {
            failure ??= e;
        }
        finally
        {
            Interlocked.Decrement(ref busy);
        }
    }

    private static Worker[] StartWorkers(int count)
    {
        var result = new Worker[count];
        for (int w = 0; w < count; w++)
            result[w] = new Worker(w);
        return result;
    }

    /// <summary>One helper thread: sleeps until woken, then helps with the published product.</summary>
    private sealed class Worker
    {
        private readonly ManualResetEventSlim go = new(false, spinCount: 2047);

        public Worker(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"FromScratch GEMM helper {index + 1}" };
            thread.Start();
        }

        public void Wake() => go.Set();

        private void Loop()
        {
            GemmBlocked.ReserveLargestBuffers();
            while (true)
            {
                go.Wait();
                go.Reset();          // before claiming: a Wake after this point is seen by the next Wait
                HelpCurrentJob();
            }
        }
    }
}
