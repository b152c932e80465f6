using System.Runtime.CompilerServices;
namespace FromScratch.Kernels;

/// <summary>Work that can be cut into independent slabs, for <see cref="GemmWorkers"/>: slab <c>part</c> of <c>parts</c>.</summary>
internal abstract class SlabWork
{
    /// <summary>Computes slab <paramref name="part"/> of <paramref name="parts"/>; slabs never overlap.</summary>
    public abstract void Run(int part, int parts);

    /// <summary>Part <paramref name="part"/> of <paramref name="parts"/> of 0…length−1, cut at multiples of <paramref name="tile"/>.</summary>
    public static (int Start, int End) Range(int length, int tile, int part, int parts)
    {
        int tiles = (length + tile - 1) / tile;
        int start = (int)((long)tiles * part / parts) * tile;
        int end = (int)((long)tiles * (part + 1) / parts) * tile;
        return (Math.Min(start, length), Math.Min(end, length));
    }
}

/// <summary>
/// The helper threads that take a share of a big matrix product (and of the training step's other big, memory-bound
/// passes: the batch's copy, the SGD update; see <see cref="TryRun(SlabWork, int)"/>): one per extra core, started on
/// first use and kept for the life of the process. Handing over work reuses the same fields and events every time,
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
    private static readonly Product product = new();
    private static SlabWork? current;
    private static int slabs;
    private static long ticket = Closed;
    private static int busy;            // helpers between "about to claim" and "done with the claimed slab"
    private static long generation;
    private static Exception? failure;

    /// <summary>Runs <paramref name="job"/> split over the calling thread and the helpers; false if it was not split.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryRun(in GemmJob job)
    {
        if (!Monitor.TryEnter(Gate))
            return false;
        if (current is not null) // asked from inside a slab of this thread's own work: it runs there, unsplit
        {
            Monitor.Exit(Gate);
            return false;
        }
        try
        {
            GemmBlocked.BuffersFor(job); // the caller's own buffers, even if it gets no slab this time
            product.Job = job;           // under the gate: one product at a time uses this one holder
            return TryRun(product, job.MaxParts);
        }
        finally
        {
            product.Job = default;
            Monitor.Exit(Gate);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in at most <paramref name="maxParts"/> slabs, split over the calling thread and
    /// the helpers; false if it was not split (one core, one slab, or the helpers busy with another caller's work):
    /// then the caller runs it alone.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryRun(SlabWork work, int maxParts)
    {
        int cores = Math.Min(Environment.ProcessorCount, 16);
        int parts = Math.Min(SlabsPerCore * cores, maxParts);
        if (cores < 2 || parts < 2 || !Monitor.TryEnter(Gate))
            return false;
        if (current is not null) // (the gate is reentrant: a slab that asks for the helpers again computes its work itself)
        {
            Monitor.Exit(Gate);
            return false;
        }
        Exception? helperFailure;
        try
        {
            workers ??= StartWorkers(cores - 1);
            SlabsHandedOut += parts;                            // under the gate: one piece of work at a time
            current = work;
            slabs = parts;
            failure = null;
            generation++;
            Interlocked.Exchange(ref ticket, generation << 32); // publish: slab 0 of this generation is next
            foreach (var worker in workers)
                worker.Wake();
            RunSlabs(work, parts);                              // the calling thread claims slabs too
        }
        finally
        {
            // Close first, then wait: a helper that claims after this gets nothing, one that claimed before is counted
            // in busy, so when busy is 0 no helper still reads this work (and current may be reused).
            Interlocked.Exchange(ref ticket, Closed);
            SpinWait spin = default;
            while (Volatile.Read(ref busy) != 0)
                spin.SpinOnce(sleep1Threshold: -1);
            helperFailure = failure;
            current = null;
            Monitor.Exit(Gate);
        }
        if (helperFailure is not null)
            throw new InvalidOperationException("A helper thread failed while computing its share (of a matrix product, a batch copy or an update).", helperFailure);
        return true;
    }

    /// <summary>Claims and computes slabs until none is left of the job the ticket belongs to.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunSlabs(SlabWork work, int parts)
    {
        while (true)
        {
            long claimed = Interlocked.Increment(ref ticket) - 1;
            int slab = (int)(claimed & 0xFFFF_FFFF);
            if (slab >= parts)
                return;
            work.Run(slab, parts);
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
                // A valid claim means the work was published before the ticket was, so current and slabs are its.
                int parts = Volatile.Read(ref slabs);
                if (slab >= parts)
                    return;
                current!.Run(slab, parts);
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

    /// <summary>The product being computed, as slab work (one holder, used under the gate).</summary>
    private sealed class Product : SlabWork
    {
        public GemmJob Job;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Run(int part, int parts) => Job.Run(part, parts);
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
