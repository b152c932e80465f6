using System.Runtime.CompilerServices;

namespace FromScratch.Kernels;

/// <summary>Which operand the slabs of a threaded product all read whole, and so pack once, together.</summary>
internal enum SharedOperand
{
    /// <summary>Every slab packs what it reads itself.</summary>
    None,
    /// <summary>C is cut into column slabs and has at most <see cref="Gemm.MC"/> rows: every slab reads all of op(A).</summary>
    A,
    /// <summary>C is cut into row slabs and has at most <see cref="Gemm.NC"/> columns: every slab reads all of op(B).</summary>
    B,
}

/// <summary>
/// Packing the operand that every slab of a threaded product reads whole only once, shared by the threads: in
/// (64×784)·(784×128), cut into two column slabs, both slabs need all of the 64×784 op(A), which each thread packed
/// for itself before. Now the threads pack its pieces (one per depth block of <see cref="KcStep"/>) together, then
/// compute their slabs from the shared copy; <see cref="GemmWorkers"/> hands out the pieces.
/// </summary>
internal static unsafe partial class GemmBlocked
{
    /// <summary>
    /// Shared copies larger than this many numbers (2 MiB; e.g. 96 rows × 2,730 deep) are not made: each slab then packs
    /// its own blocks. The buffer has this size from the first threaded product on, so later ones never allocate.
    /// </summary>
    internal const int MaxSharedLength = 1 << 18;

    /// <summary>False: every slab packs its own blocks, as before the shared copy (the benchmark compares the two).</summary>
    internal static bool ShareOperands { get; set; } = true;

    /// <summary>Which operand the slabs of <paramref name="job"/> can share (see <see cref="SharedOperand"/>).</summary>
    internal static SharedOperand SharedFor(in GemmJob job)
    {
        if (!ShareOperands || job.K == 0 || job.Alpha == 0)
            return SharedOperand.None;
        var operand = job.N >= job.M // the way GemmJob.Run cuts C
            ? (job.M <= Gemm.MC ? SharedOperand.A : SharedOperand.None)
            : (job.N <= Gemm.NC ? SharedOperand.B : SharedOperand.None);
        return operand != SharedOperand.None && SharedPieces(job) * (long)SharedPieceLength(job, operand) <= MaxSharedLength
            ? operand : SharedOperand.None;
    }

    /// <summary>How many pieces the shared copy has: one per depth block.</summary>
    internal static int SharedPieces(in GemmJob job) => (job.K + KcStep(job.K) - 1) / KcStep(job.K);

    /// <summary>Numbers in one piece of the shared copy (all rows of op(A), or all columns of op(B), by one depth block).</summary>
    internal static int SharedPieceLength(in GemmJob job) => SharedPieceLength(job, job.Shared);

    private static int SharedPieceLength(in GemmJob job, SharedOperand operand) =>
        (operand == SharedOperand.A ? RoundUp(job.M, job.MR) : RoundUp(job.N, job.NR)) * KcStep(job.K);

    /// <summary>Packs piece <paramref name="piece"/> of <paramref name="job"/>'s shared operand into its place in the shared copy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void PackSharedPiece(in GemmJob job, int piece)
    {
        int kcStep = KcStep(job.K), pc = piece * kcStep, kc = Math.Min(kcStep, job.K - pc);
        double* dest = (double*)job.SharedPacked + (long)piece * SharedPieceLength(job);
        if (job.Shared == SharedOperand.A)
        {
            fixed (double* aBase = job.A.Data)
                PackA(aBase + job.A.Offset, job.A.Stride, job.OpA, 0, job.M, pc, kc, job.MR, dest);
        }
        else
        {
            fixed (double* bBase = job.B.Data)
                PackB(bBase + job.B.Offset, job.B.Stride, job.OpB, pc, kc, 0, job.N, job.NR, dest);
        }
    }

    /// <summary>
    /// The shared copy's buffer, <see cref="MaxSharedLength"/> numbers from a 64-byte boundary on, allocated by the first
    /// threaded product (under <see cref="GemmWorkers"/>' gate: one threaded product at a time) and then reused; pinned,
    /// like the per-thread buffers.
    /// </summary>
    internal static nint SharedBuffer()
    {
        sharedPacked ??= GC.AllocateUninitializedArray<double>(MaxSharedLength + CacheLineDoubles, pinned: true);
        fixed (double* p = sharedPacked)
            return (nint)AlignToCacheLine(p);
    }

    private static double[]? sharedPacked;
}
