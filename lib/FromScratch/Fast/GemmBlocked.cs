using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using MathNet.Numerics.LinearAlgebra;

namespace FromScratch.Kernels;

/// <summary>The blocked algorithm for one slab C[i0:i1, j0:j1] on the calling thread.</summary>
/// <remarks>
/// The loops are compiled fully optimized on their first call (<see cref="MethodImplOptions.AggressiveOptimization"/>):
/// the first products of a notebook's training cell should not run as unoptimized first-tier code.
/// </remarks>
internal static unsafe partial class GemmBlocked
{
    // Packing buffers, one pair per thread, grown on first use and then reused: no allocation after warm-up.
    [ThreadStatic] private static double[]? packedA;
    [ThreadStatic] private static double[]? packedB;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in GemmJob job, int i0, int i1, int j0, int j1)
    {
        const int KC = Gemm.KC, MC = Gemm.MC, NC = Gemm.NC;
        int MR = job.MR, NR = job.NR;
        if (job.Alpha == 0 || job.K == 0)
        {
            ScaleC(job.C, job.Beta, i0, i1, j0, j1);
            return;
        }
        // β = 0: the first piece of k writes its tiles of C without reading them (old NaNs do not leak into the
        // result, and C is not cleared in a pass of its own first); any other β scales C before the first piece.
        bool writeFirst = job.Beta == 0;
        if (!writeFirst)
            ScaleC(job.C, job.Beta, i0, i1, j0, j1);

        int k = job.K;
        var (bufA, bufB) = BuffersFor(job);
        // An operand already stored the way the micro-kernel reads it is not packed (ReadsAInPlace, and where the kernel
        // does that, Gemm.InPlaceByDefault): the kernel steps through it with its own stride instead of MR or NR.
        bool inPlaceA = job.InPlace && ReadsAInPlace(job.OpA, i1 - i0, MR), inPlaceB = job.InPlace && ReadsBInPlace(job.OpB, j1 - j0, NR);
        bool bColumns = job.InPlace && ReadsColumnsOfBInPlace(job.Kernel, job.OpB, j1 - j0, NR);

        fixed (double* aBase = job.A.Data, bBase = job.B.Data, cBase = job.C.Data, paRaw = bufA, pbRaw = bufB)
        {
            double* a = aBase + job.A.Offset, b = bBase + job.B.Offset, c = cBase + job.C.Offset;
            double* pa = AlignToCacheLine(paRaw), pb = AlignToCacheLine(pbRaw);
            int lda = job.A.Stride, ldb = job.B.Stride, ldc = job.C.Stride;
            int aStep = inPlaceA ? lda : MR, bStep = inPlaceB || bColumns ? ldb : NR; // (bColumns: from one column of the strip to the next)
            // k is cut into equal pieces of at most KC (784 = 4 × 196, not 256 + 256 + 256 + 16): a thin last piece
            // would pay the C tile's load and store for few multiply-adds.
            int kcStep = RoundUp((k + (k + KC - 1) / KC - 1) / ((k + KC - 1) / KC), 4);
            kcStep = Math.Min(kcStep, KC);
            for (int jc = j0; jc < j1; jc += NC)
            {
                int nc = Math.Min(NC, j1 - jc);
                for (int pc = 0; pc < k; pc += kcStep)
                {
                    int kc = Math.Min(kcStep, k - pc);
                    bool write = writeFirst && pc == 0;
                    if (!inPlaceB && !bColumns)
                        PackB(b, ldb, job.OpB, pc, kc, jc, nc, NR, pb);
                    for (int ic = i0; ic < i1; ic += MC)
                    {
                        int mc = Math.Min(MC, i1 - ic);
                        if (!inPlaceA)
                            PackA(a, lda, job.OpA, ic, mc, pc, kc, MR, pa);
                        for (int jr = 0; jr < nc; jr += NR)
                        {
                            int nr = Math.Min(NR, nc - jr);
                            double* bPanel = inPlaceB ? b + (jc + jr) + (long)pc * ldb
                                : bColumns ? b + pc + (long)(jc + jr) * ldb : pb + jr * kc;
                            for (int ir = 0; ir < mc; ir += MR)
                            {
                                int mr = Math.Min(MR, mc - ir);
                                double* cTile = c + (ic + ir) + (long)(jc + jr) * ldc;
                                double* aPanel = inPlaceA ? a + (ic + ir) + (long)pc * lda : pa + ir * kc;
                                if (mr == MR && nr == NR)
                                    MicroKernel(job.Kernel, aPanel, aStep, bPanel, bStep, kc, cTile, ldc, job.Alpha, write, bColumns);
                                else
                                    EdgeTile(job.Kernel, aPanel, aStep, bPanel, bStep, kc, cTile, ldc, job.Alpha, write,
                                        mr, nr, MR, bColumns);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Whether the kernel can read op(A) where it is stored instead of from a packed copy. For each p it reads MR
    /// neighbours op(A)[i…i+MR−1, p] (and NR neighbours op(B)[p, j…j+NR−1]). They are neighbours in one stored
    /// column when op(A) = A (column p of A), and when op(B) = Bᵀ (column p of B): the strip is there already, one
    /// column stride per p instead of MR (or NR), and packing it would only copy it. The slab must be whole strips
    /// (<paramref name="rows"/> a multiple of MR): a packed strip is padded with zeros, a stored one would be read
    /// past its last row. In a 784-128-10 step that is W¹ in Z¹ = W¹·X, and dZ¹ and X in dW¹ = (1/m)·dZ¹·Xᵀ
    /// (used by the AVX-512 kernel only: <see cref="Gemm.InPlaceByDefault"/>).
    /// </summary>
    internal static bool ReadsAInPlace(Op opA, int rows, int MR) => opA == Op.Identity && rows % MR == 0;

    /// <summary>The same for op(B) (<see cref="ReadsAInPlace"/>): op(B)'s row p, NR numbers, is column p of B when op(B) = Bᵀ.</summary>
    internal static bool ReadsBInPlace(Op opB, int columns, int NR) => opB == Op.Transpose && columns % NR == 0;

    /// <summary>
    /// Whether op(B) = B is read where it is stored, by the AVX-512 kernel only (<see cref="MicroKernelAvx512ColumnsOfB"/>):
    /// a strip's NR columns are then NR stored columns of B, each read down its p. This is X in Z¹ = W¹·X, which was
    /// transposed into strips for every product: 12% of the time of the pass over the set for the epoch loss.
    /// Whole strips only, as for <see cref="ReadsBInPlace"/>.
    /// </summary>
    internal static bool ReadsColumnsOfBInPlace(Gemm.Kernel kernel, Op opB, int columns, int NR) =>
        kernel == Gemm.Kernel.Avx512 && opB == Op.Identity && columns % NR == 0;

    /// <summary>
    /// This thread's packing buffers, grown if <paramref name="job"/> needs more. Sized for the whole product, not one
    /// slab: whichever slab a thread computes next time (helpers claim them as they come), its buffers already fit, so
    /// nothing is allocated after the first product of each size. A threaded product calls it on the calling thread
    /// before the helpers start, so that thread is ready even when the helpers happened to take every slab.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (double[] A, double[] B) BuffersFor(in GemmJob job)
    {
        int kcMax = Math.Min(Gemm.KC, job.K);
        int mcMax = Math.Min(Gemm.MC, RoundUp(job.M, job.MR)), ncMax = Math.Min(Gemm.NC, RoundUp(job.N, job.NR));
        return (Buffer(ref packedA, mcMax * kcMax), Buffer(ref packedB, ncMax * kcMax));
    }

    /// <summary>
    /// Gives the calling thread packing buffers big enough for any product (MC×KC and NC×KC numbers, about 4 MiB):
    /// the helper threads call it when they start, so they never allocate later, whenever they first take a slab.
    /// </summary>
    public static void ReserveLargestBuffers()
    {
        Buffer(ref packedA, Gemm.MC * Gemm.KC);
        Buffer(ref packedB, Gemm.NC * Gemm.KC);
    }

    private static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;

    /// <summary>
    /// A packing buffer of at least <paramref name="length"/> numbers from a 64-byte boundary on (see
    /// <see cref="AlignToCacheLine"/>). Pinned, so that boundary stays where it is: an array the GC may move starts
    /// wherever it lands, and when the packed strips start off a boundary their 64-byte loads straddle two cache lines
    /// (with the strips 8 bytes off, (64×784)·(784×128) took about 10% longer on the AVX-512 course machine).
    /// </summary>
    private static double[] Buffer(ref double[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length + CacheLineDoubles)
            buffer = GC.AllocateUninitializedArray<double>(Math.Max(length, Gemm.MC * Gemm.KC) + CacheLineDoubles, pinned: true);
        return buffer;
    }

    /// <summary>Numbers in a 64-byte cache line (the size of one AVX-512 load).</summary>
    private const int CacheLineDoubles = 8;

    /// <summary>The first address at or after <paramref name="p"/> on a 64-byte boundary.</summary>
    private static double* AlignToCacheLine(double* p) => (double*)(((nuint)p + 63) & ~(nuint)63);

    /// <summary>C ← β·C on the slab (β = 0 clears it without reading: old NaNs do not leak into the result).</summary>
    /// <remarks>Only where no multiply-add follows (α = 0 or k = 0) or β ≠ 0: with β = 0 the kernels write C themselves.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScaleC(DenseView c, double beta, int i0, int i1, int j0, int j1)
    {
        if (beta == 1)
            return;
        for (int j = j0; j < j1; j++)
        {
            Span<double> column = c.Data.AsSpan(c.Offset + i0 + j * c.Stride, i1 - i0);
            if (beta == 0)
                SpanArithmetic.Clear(column);
            else
                SpanArithmetic.Multiply(column, beta, column);
        }
    }

    /// <summary>
    /// Packs op(A)[ic:ic+mc, pc:pc+kc] into strips of MR rows: strip s holds, for p = 0…kc−1, the MR numbers
    /// op(A)[ic+s·MR+r, pc+p] one after the other. Rows past mc are filled with zeros.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA(double* a, int lda, Op op, int ic, int mc, int pc, int kc, int MR, double* dest)
    {
        for (int ir = 0; ir < mc; ir += MR)
        {
            int mr = Math.Min(MR, mc - ir);
            if (op == Op.Identity) // op(A)[i, p] = A[i + p·lda]: for each p, MR neighbours in one column of A
                PackAlongColumns(a + (ic + ir) + (long)pc * lda, lda, mr, kc, dest + ir * kc, MR);
            else                   // op(A)[i, p] = A[p + i·lda]: row i of op(A) is column i of A, contiguous in p
                PackAcrossColumns(a + pc + (long)(ic + ir) * lda, lda, mr, kc, dest + ir * kc, MR);
        }
    }

    /// <summary>
    /// Packs op(B)[pc:pc+kc, jc:jc+nc] into strips of NR columns: strip s holds, for p = 0…kc−1, the NR numbers
    /// op(B)[pc+p, jc+s·NR+t] one after the other. Columns past nc are filled with zeros.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB(double* b, int ldb, Op op, int pc, int kc, int jc, int nc, int NR, double* dest)
    {
        for (int jr = 0; jr < nc; jr += NR)
        {
            int nr = Math.Min(NR, nc - jr);
            if (op == Op.Identity) // op(B)[p, j] = B[p + j·ldb]: column j of B is contiguous in p
                PackAcrossColumns(b + pc + (long)(jc + jr) * ldb, ldb, nr, kc, dest + jr * kc, NR);
            else                   // op(B)[p, j] = B[j + p·ldb]: for each p, NR neighbours in one column of B
                PackAlongColumns(b + (jc + jr) + (long)pc * ldb, ldb, nr, kc, dest + jr * kc, NR);
        }
    }

    /// <summary>
    /// strip[p·width + t] = src[t + p·ld] for t &lt; count (zeros up to width), p = 0…kc−1: each packed row is
    /// <paramref name="count"/> neighbours of one stored column, copied four at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackAlongColumns(double* src, int ld, int count, int kc, double* strip, int width)
    {
        for (int p = 0; p < kc; p++)
        {
            double* from = src + (long)p * ld, to = strip + p * width;
            int t = 0;
            for (; t + 4 <= count; t += 4)
                Vector256.Store(Vector256.Load(from + t), to + t);
            for (; t < count; t++)
                to[t] = from[t];
            for (; t < width; t++)
                to[t] = 0;
        }
    }

    /// <summary>
    /// strip[p·width + t] = src[p + t·ld] for t &lt; count (zeros up to width), p = 0…kc−1: packed row p takes the
    /// p-th number of <paramref name="count"/> stored columns, a transpose. Four columns by four rows at a time
    /// in registers (where AVX is), so reads and writes both go four numbers at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackAcrossColumns(double* src, int ld, int count, int kc, double* strip, int width)
    {
        int t0 = 0, p4 = 0;
        if (Avx.IsSupported)
        {
            p4 = kc & ~3;
            for (; t0 + 4 <= count; t0 += 4)
                Transpose4Columns(src + (long)t0 * ld, ld, p4, strip + t0, width);
            if (t0 + 2 <= count) // the 8×6 kernels' NR = 6 = 4 + 2
            {
                Transpose2Columns(src + (long)t0 * ld, ld, p4, strip + t0, width);
                t0 += 2;
            }
        }
        for (int t = 0; t < width; t++)
        {
            double* column = src + (long)t * ld;
            for (int p = t < t0 ? p4 : 0; p < kc; p++) // the columns done above lack only their last kc mod 4 rows
                strip[p * width + t] = t < count ? column[p] : 0;
        }
    }

    /// <summary>
    /// Two columns (from <paramref name="src"/>, <paramref name="ld"/> apart), rows 0…<paramref name="rows"/>−1
    /// (a multiple of 4), written row by row: row p's two numbers go to <paramref name="dest"/> + p·<paramref name="step"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose2Columns(double* src, int ld, int rows, double* dest, int step)
    {
        double* s0 = src, s1 = src + ld;
        for (int p = 0; p < rows; p += 4)
        {
            Vector256<double> r0 = Avx.LoadVector256(s0 + p), r1 = Avx.LoadVector256(s1 + p);  // rᵢ = column i, rows p…p+3
            Vector256<double> lo = Avx.UnpackLow(r0, r1), hi = Avx.UnpackHigh(r0, r1);         // (r0[0] r1[0] r0[2] r1[2]), (… [1] … [3])
            double* d = dest + (long)p * step;
            Sse2.Store(d, lo.GetLower());              // row p:   r0[0] r1[0]
            Sse2.Store(d + step, hi.GetLower());       // row p+1
            Sse2.Store(d + 2 * step, lo.GetUpper());   // row p+2
            Sse2.Store(d + 3 * step, hi.GetUpper());   // row p+3
        }
    }

    /// <summary>
    /// Four columns (from <paramref name="src"/>, <paramref name="ld"/> apart), rows 0…<paramref name="rows"/>−1
    /// (a multiple of 4), written row by row: row p's four numbers go to <paramref name="dest"/> + p·<paramref name="step"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4Columns(double* src, int ld, int rows, double* dest, int step)
    {
        double* s0 = src, s1 = src + ld, s2 = src + 2L * ld, s3 = src + 3L * ld;
        for (int p = 0; p < rows; p += 4)
        {
            Vector256<double> r0 = Avx.LoadVector256(s0 + p), r1 = Avx.LoadVector256(s1 + p);  // rᵢ = column i, rows p…p+3
            Vector256<double> r2 = Avx.LoadVector256(s2 + p), r3 = Avx.LoadVector256(s3 + p);
            Vector256<double> lo01 = Avx.UnpackLow(r0, r1), hi01 = Avx.UnpackHigh(r0, r1);     // (r0[0] r1[0] r0[2] r1[2]), (… [1] … [3])
            Vector256<double> lo23 = Avx.UnpackLow(r2, r3), hi23 = Avx.UnpackHigh(r2, r3);
            double* d = dest + (long)p * step;
            Avx.Store(d, Avx.Permute2x128(lo01, lo23, 0x20));            // row p:   r0[0] r1[0] r2[0] r3[0]
            Avx.Store(d + step, Avx.Permute2x128(hi01, hi23, 0x20));     // row p+1
            Avx.Store(d + 2 * step, Avx.Permute2x128(lo01, lo23, 0x31)); // row p+2
            Avx.Store(d + 3 * step, Avx.Permute2x128(hi01, hi23, 0x31)); // row p+3
        }
    }
}

