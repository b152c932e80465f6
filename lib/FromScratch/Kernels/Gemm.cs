using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using MathNet.Numerics.LinearAlgebra;

namespace FromScratch.Kernels;

/// <summary>
/// The fast matrix product C ← α·op(A)·op(B) + β·C on MathNet's own column-major storage, written into
/// a C that already exists (nothing is allocated once each thread has warmed up its packing buffers).
/// Same contract and results as <see cref="ReferenceGemm"/> up to rounding (about 1e-15 relative).
/// </summary>
/// <remarks>
/// How it is fast (the classic Goto/BLIS recipe):
/// <list type="number">
/// <item>Cache blocking: op(B) is cut into KC×NC blocks and op(A) into MC×KC blocks small enough to
/// stay in the L2 and L3 caches while they are reused.</item>
/// <item>Packing: each block is copied once into a contiguous buffer in exactly the order the inner
/// kernel reads it (strips of MR rows of op(A), NR columns of op(B)), which also takes care of the
/// transposes: after packing, Identity and Transpose look the same.</item>
/// <item>Micro-kernel: an MR×NR tile of C is held in vector registers and updated with fused multiply-adds for
/// every p. With AVX-512 the tile is 16×8 (16 registers of 8 doubles: 2 per column), reading 16 + 8 packed numbers
/// per 128 multiply-adds; with AVX2 it is 8×6 (12 registers of 4 doubles), reading 8 + 6 per 48.</item>
/// <item>Threading: a product of at least <see cref="ParallelThresholdFlops"/> floating-point operations
/// is cut into one column (or row) slab of C per core, which the calling thread and the helper threads claim
/// as they come; smaller ones stay on the calling thread, where waking another core would cost more than it saves.</item>
/// </list>
/// </remarks>
internal static class Gemm
{
    /// <summary>The largest micro-tile of any kernel (16×8, AVX-512): the size of the scratch tile for edges.</summary>
    internal const int MaxTile = 16 * 8;
    /// <summary>Depth of a packed block (the shared dimension k is cut into pieces of this size).</summary>
    internal const int KC = 256;
    /// <summary>Rows of op(A) per packed block (a multiple of every kernel's MR, 8 and 16; MC·KC doubles ≈ 192 KiB fit in L2).</summary>
    internal const int MC = 96;
    /// <summary>Columns of op(B) per packed block (a multiple of every kernel's NR, 6 and 8).</summary>
    internal const int NC = 2016;

    /// <summary>
    /// Products with at least this many floating-point operations (2·m·n·k) are split over the cores
    /// when <see cref="Threading.Auto"/> is asked for. Chosen with <c>FromScratch.Bench --sweep</c> on the 2-core
    /// course machines (bench/README.md): on the AMD EPYC Zen 3 (AVX2) with the other core idle, splitting gains 1.4–1.9×
    /// from about 0.5 MFLOP and 1.9–2.1× at 12.8–51 MFLOP; on the Intel Xeon with AVX-512, whose single core is twice as
    /// fast, 1.4–1.7× from 1.8 MFLOP and 1.6–1.8× at 12.8–51 MFLOP, while some 0.5–2 MFLOP shapes gain nothing. With the
    /// other core busy (other programs) a helper rarely gets scheduled in time, finds no slab left, and a split product
    /// costs 1.0–1.1× a single-threaded one. So from 1 MFLOP
    /// on: the big products of 784-128-10 (Z¹ = W¹·X, dW¹ = (1/m)·dZ¹·Xᵀ, W¹·X over the set for the epoch loss) use both
    /// cores, and every product of 64-32-10 (at most 0.13 MFLOP) stays on one thread.
    /// </summary>
    public static long ParallelThresholdFlops { get; set; } = 1_000_000;

    /// <summary>The micro-kernel this machine runs, e.g. "AVX-512 16×8 (Vector512)" or "AVX2+FMA 8×6 (Vector256)".</summary>
    public static string KernelName => DefaultKernel switch
    {
        Kernel.Avx512 => "AVX-512 16×8 (Vector512)",
        Kernel.Fma => "AVX2+FMA 8×6 (Vector256)",
        Kernel.Vector => "Vector256 multiply+add 8×6",
        _ => "scalar 8×6",
    };

    /// <summary>C ← α·op(A)·op(B) + β·C on dense matrices; C must already have the shape m×n of the product.</summary>
    /// <exception cref="ArgumentException">The shapes do not fit; the message names all three.</exception>
    public static void Multiply(double alpha, Matrix<double> a, Op opA, Matrix<double> b, Op opB, double beta, Matrix<double> c,
        Threading threading = Threading.Auto) =>
        Multiply(alpha, DenseView.Of(a), opA, DenseView.Of(b), opB, beta, DenseView.Of(c), threading);

    /// <summary>C ← α·op(A)·op(B) + β·C on views of column-major storage (e.g. a mini-batch of columns, see <see cref="DenseView.OfColumns"/>).</summary>
    /// <exception cref="ArgumentException">The shapes do not fit; the message names all three.</exception>
    public static void Multiply(double alpha, DenseView a, Op opA, DenseView b, Op opB, double beta, DenseView c,
        Threading threading = Threading.Auto) =>
        Multiply(alpha, a, opA, b, opB, beta, c, threading, DefaultKernel);

    /// <summary>Which micro-kernel to run (tests force each one to check it against the reference).</summary>
    internal enum Kernel { Scalar, Vector, Fma, Avx512 }

    /// <summary>
    /// The best micro-kernel the hardware supports. AVX-512 only where .NET reports 512-bit vectors as accelerated
    /// (it does not on CPUs that slow their clock for them, and not when DOTNET_PreferredVectorBitWidth=256 is set).
    /// </summary>
    internal static readonly Kernel DefaultKernel =
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? Kernel.Avx512
        : Vector256.IsHardwareAccelerated ? (Fma.IsSupported ? Kernel.Fma : Kernel.Vector)
        : Kernel.Scalar;

    /// <summary>Whether this CPU can run <paramref name="kernel"/> at all.</summary>
    internal static bool IsSupported(Kernel kernel) => kernel switch
    {
        Kernel.Avx512 => Avx512F.IsSupported,
        Kernel.Fma => Fma.IsSupported,
        _ => true,
    };

    /// <summary>The micro-tile of <paramref name="kernel"/>: MR rows of op(A) by NR columns of op(B).</summary>
    internal static (int MR, int NR) Tile(Kernel kernel) => kernel == Kernel.Avx512 ? (16, 8) : (8, 6);

    internal static void Multiply(double alpha, DenseView a, Op opA, DenseView b, Op opB, double beta, DenseView c,
        Threading threading, Kernel kernel)
    {
        GemmShapes.Check(a, opA, b, opB, c, out int m, out int n, out int k);
        if (m == 0 || n == 0)
            return;
        var job = new GemmJob(alpha, a, opA, b, opB, beta, c, m, n, k, kernel);

        long flops = 2L * m * n * k;
        bool wantThreads = threading == Threading.AllCores
            || (threading == Threading.Auto && flops >= ParallelThresholdFlops);
        if (wantThreads && GemmWorkers.TryRun(job))
            return;
        job.Run(0, 1);
    }
}

/// <summary>One product, and how to compute slab <c>part</c> of <c>parts</c> of it.</summary>
internal readonly struct GemmJob(double alpha, DenseView a, Op opA, DenseView b, Op opB, double beta, DenseView c, int m, int n, int k, Gemm.Kernel kernel)
{
    public readonly double Alpha = alpha, Beta = beta;
    public readonly DenseView A = a, B = b, C = c;
    public readonly Op OpA = opA, OpB = opB;
    public readonly int M = m, N = n, K = k;
    public readonly Gemm.Kernel Kernel = kernel;
    /// <summary>The kernel's micro-tile: MR rows by NR columns.</summary>
    public readonly int MR = Gemm.Tile(kernel).MR, NR = Gemm.Tile(kernel).NR;

    /// <summary>How many slabs the product can usefully be cut into (each at least one micro-tile wide).</summary>
    public int MaxParts => N >= M ? (N + NR - 1) / NR : (M + MR - 1) / MR;

    /// <summary>
    /// Computes slab <paramref name="part"/> of <paramref name="parts"/>: a range of C's columns when C is wide,
    /// of its rows when it is tall. Slabs never overlap, so threads can run them at the same time.
    /// </summary>
    public void Run(int part, int parts)
    {
        if (N >= M)
        {
            (int j0, int j1) = Slab(N, NR, part, parts);
            if (j1 > j0)
                GemmBlocked.Run(this, 0, M, j0, j1);
        }
        else
        {
            (int i0, int i1) = Slab(M, MR, part, parts);
            if (i1 > i0)
                GemmBlocked.Run(this, i0, i1, 0, N);
        }
    }

    /// <summary>Part <paramref name="part"/> of <paramref name="parts"/> of 0…length−1, cut at multiples of <paramref name="tile"/>.</summary>
    private static (int Start, int End) Slab(int length, int tile, int part, int parts)
    {
        int tiles = (length + tile - 1) / tile;
        int start = (int)((long)tiles * part / parts) * tile;
        int end = (int)((long)tiles * (part + 1) / parts) * tile;
        return (Math.Min(start, length), Math.Min(end, length));
    }
}

/// <summary>The blocked algorithm for one slab C[i0:i1, j0:j1] on the calling thread.</summary>
/// <remarks>
/// The loops are compiled fully optimized on their first call (<see cref="MethodImplOptions.AggressiveOptimization"/>):
/// the first products of a notebook's training cell should not run as unoptimized first-tier code.
/// </remarks>
internal static unsafe class GemmBlocked
{
    // Packing buffers, one pair per thread, grown on first use and then reused: no allocation after warm-up.
    [ThreadStatic] private static double[]? packedA;
    [ThreadStatic] private static double[]? packedB;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in GemmJob job, int i0, int i1, int j0, int j1)
    {
        const int KC = Gemm.KC, MC = Gemm.MC, NC = Gemm.NC;
        int MR = job.MR, NR = job.NR;
        ScaleC(job.C, job.Beta, i0, i1, j0, j1);
        if (job.Alpha == 0 || job.K == 0)
            return;

        int k = job.K;
        var (bufA, bufB) = BuffersFor(job);

        fixed (double* aBase = job.A.Data, bBase = job.B.Data, cBase = job.C.Data, paRaw = bufA, pbRaw = bufB)
        {
            double* a = aBase + job.A.Offset, b = bBase + job.B.Offset, c = cBase + job.C.Offset;
            double* pa = AlignToCacheLine(paRaw), pb = AlignToCacheLine(pbRaw);
            int lda = job.A.Stride, ldb = job.B.Stride, ldc = job.C.Stride;
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
                    PackB(b, ldb, job.OpB, pc, kc, jc, nc, NR, pb);
                    for (int ic = i0; ic < i1; ic += MC)
                    {
                        int mc = Math.Min(MC, i1 - ic);
                        PackA(a, lda, job.OpA, ic, mc, pc, kc, MR, pa);
                        for (int jr = 0; jr < nc; jr += NR)
                        {
                            int nr = Math.Min(NR, nc - jr);
                            for (int ir = 0; ir < mc; ir += MR)
                            {
                                int mr = Math.Min(MR, mc - ir);
                                double* cTile = c + (ic + ir) + (long)(jc + jr) * ldc;
                                double* aPanel = pa + ir * kc;
                                double* bPanel = pb + jr * kc;
                                if (mr == MR && nr == NR)
                                    MicroKernel(job.Kernel, aPanel, bPanel, kc, cTile, ldc, job.Alpha);
                                else
                                    EdgeTile(job.Kernel, aPanel, bPanel, kc, cTile, ldc, job.Alpha, mr, nr, MR);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// This thread's packing buffers, grown if <paramref name="job"/> needs more. Sized for the whole product, not one
    /// slab: whichever slab a thread computes next time (helpers claim them as they come), its buffers already fit, so
    /// nothing is allocated after the first product of each size. A threaded product calls it on the calling thread
    /// before the helpers start, so that thread is ready even when the helpers happened to take every slab.
    /// </summary>
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScaleC(DenseView c, double beta, int i0, int i1, int j0, int j1)
    {
        if (beta == 1)
            return;
        for (int j = j0; j < j1; j++)
        {
            Span<double> column = c.Data.AsSpan(c.Offset + i0 + j * c.Stride, i1 - i0);
            if (beta == 0)
                column.Clear();
            else
                System.Numerics.Tensors.TensorPrimitives.Multiply(column, beta, column);
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
        }
        for (int t = 0; t < width; t++)
        {
            double* column = src + (long)t * ld;
            for (int p = t < t0 ? p4 : 0; p < kc; p++) // the columns done above lack only their last kc mod 4 rows
                strip[p * width + t] = t < count ? column[p] : 0;
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

    /// <summary>A tile at the bottom or right edge of C: compute the full MR×NR tile into a scratch tile, add only its valid part.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void EdgeTile(Gemm.Kernel kernel, double* aPanel, double* bPanel, int kc, double* cTile, int ldc, double alpha, int mr, int nr, int MR)
    {
        double* scratch = stackalloc double[Gemm.MaxTile];
        new Span<double>(scratch, Gemm.MaxTile).Clear();
        MicroKernel(kernel, aPanel, bPanel, kc, scratch, MR, 1.0);
        for (int j = 0; j < nr; j++)
            for (int i = 0; i < mr; i++)
                cTile[i + (long)j * ldc] += alpha * scratch[i + j * MR];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MicroKernel(Gemm.Kernel kernel, double* a, double* b, int kc, double* c, int ldc, double alpha)
    {
        if (kernel == Gemm.Kernel.Avx512)
            MicroKernelAvx512(a, b, kc, c, ldc, alpha);
        else if (kernel == Gemm.Kernel.Fma)
            MicroKernelFma(a, b, kc, c, ldc, alpha);
        else if (kernel == Gemm.Kernel.Vector)
            MicroKernelVector(a, b, kc, c, ldc, alpha);
        else
            MicroKernelScalar(a, b, kc, c, ldc, alpha);
    }

    /// <summary>
    /// C[0:16, 0:8] += α·(packed A strip)·(packed B strip) with AVX-512. The 16×8 tile lives in 16 registers
    /// c{row half}{column} of 8 doubles: for every p, two loads of A (rows 0–7 and 8–15), eight broadcasts of B,
    /// sixteen fused multiply-adds (128 multiply-adds per 24 numbers read).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MicroKernelAvx512(double* a, double* b, int kc, double* c, long ldc, double alpha)
    {
        if (!Avx512F.IsSupported)
            throw new PlatformNotSupportedException("The AVX-512 micro-kernel needs AVX-512F instructions.");
        Vector512<double> c00 = default, c10 = default, c01 = default, c11 = default, c02 = default, c12 = default, c03 = default, c13 = default;
        Vector512<double> c04 = default, c14 = default, c05 = default, c15 = default, c06 = default, c16 = default, c07 = default, c17 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<double> a0 = Vector512.Load(a), a1 = Vector512.Load(a + 8);
            Vector512<double> bj = Vector512.Create(b[0]);
            c00 = Avx512F.FusedMultiplyAdd(a0, bj, c00); c10 = Avx512F.FusedMultiplyAdd(a1, bj, c10);
            bj = Vector512.Create(b[1]);
            c01 = Avx512F.FusedMultiplyAdd(a0, bj, c01); c11 = Avx512F.FusedMultiplyAdd(a1, bj, c11);
            bj = Vector512.Create(b[2]);
            c02 = Avx512F.FusedMultiplyAdd(a0, bj, c02); c12 = Avx512F.FusedMultiplyAdd(a1, bj, c12);
            bj = Vector512.Create(b[3]);
            c03 = Avx512F.FusedMultiplyAdd(a0, bj, c03); c13 = Avx512F.FusedMultiplyAdd(a1, bj, c13);
            bj = Vector512.Create(b[4]);
            c04 = Avx512F.FusedMultiplyAdd(a0, bj, c04); c14 = Avx512F.FusedMultiplyAdd(a1, bj, c14);
            bj = Vector512.Create(b[5]);
            c05 = Avx512F.FusedMultiplyAdd(a0, bj, c05); c15 = Avx512F.FusedMultiplyAdd(a1, bj, c15);
            bj = Vector512.Create(b[6]);
            c06 = Avx512F.FusedMultiplyAdd(a0, bj, c06); c16 = Avx512F.FusedMultiplyAdd(a1, bj, c16);
            bj = Vector512.Create(b[7]);
            c07 = Avx512F.FusedMultiplyAdd(a0, bj, c07); c17 = Avx512F.FusedMultiplyAdd(a1, bj, c17);
            a += 16;
            b += 8;
        }
        Vector512<double> α = Vector512.Create(alpha);
        AddScaledAvx512(c, c00, c10, α); AddScaledAvx512(c + ldc, c01, c11, α);
        AddScaledAvx512(c + 2 * ldc, c02, c12, α); AddScaledAvx512(c + 3 * ldc, c03, c13, α);
        AddScaledAvx512(c + 4 * ldc, c04, c14, α); AddScaledAvx512(c + 5 * ldc, c05, c15, α);
        AddScaledAvx512(c + 6 * ldc, c06, c16, α); AddScaledAvx512(c + 7 * ldc, c07, c17, α);
    }

    /// <summary>One column of the 16×8 tile: C[0:16, j] += α·(top, bottom).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddScaledAvx512(double* column, Vector512<double> top, Vector512<double> bottom, Vector512<double> α)
    {
        Vector512.Store(Avx512F.FusedMultiplyAdd(top, α, Vector512.Load(column)), column);
        Vector512.Store(Avx512F.FusedMultiplyAdd(bottom, α, Vector512.Load(column + 8)), column + 8);
    }

    /// <summary>
    /// C[0:8, 0:6] += α·(packed A strip)·(packed B strip). The 8×6 tile lives in 12 registers c{row half}{column}:
    /// for every p, two loads of A (rows 0–3 and 4–7), six broadcasts of B, twelve fused multiply-adds.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MicroKernelFma(double* a, double* b, int kc, double* c, long ldc, double alpha)
    {
        if (!Fma.IsSupported)
            throw new PlatformNotSupportedException("The FMA micro-kernel needs FMA3 instructions.");
        Vector256<double> c00 = default, c10 = default, c01 = default, c11 = default, c02 = default, c12 = default;
        Vector256<double> c03 = default, c13 = default, c04 = default, c14 = default, c05 = default, c15 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<double> a0 = Vector256.Load(a), a1 = Vector256.Load(a + 4);
            Vector256<double> bj = Vector256.Create(b[0]);
            c00 = Fma.MultiplyAdd(a0, bj, c00); c10 = Fma.MultiplyAdd(a1, bj, c10);
            bj = Vector256.Create(b[1]);
            c01 = Fma.MultiplyAdd(a0, bj, c01); c11 = Fma.MultiplyAdd(a1, bj, c11);
            bj = Vector256.Create(b[2]);
            c02 = Fma.MultiplyAdd(a0, bj, c02); c12 = Fma.MultiplyAdd(a1, bj, c12);
            bj = Vector256.Create(b[3]);
            c03 = Fma.MultiplyAdd(a0, bj, c03); c13 = Fma.MultiplyAdd(a1, bj, c13);
            bj = Vector256.Create(b[4]);
            c04 = Fma.MultiplyAdd(a0, bj, c04); c14 = Fma.MultiplyAdd(a1, bj, c14);
            bj = Vector256.Create(b[5]);
            c05 = Fma.MultiplyAdd(a0, bj, c05); c15 = Fma.MultiplyAdd(a1, bj, c15);
            a += 8;
            b += 6;
        }
        Vector256<double> α = Vector256.Create(alpha);
        AddScaledFma(c, c00, c10, α); AddScaledFma(c + ldc, c01, c11, α); AddScaledFma(c + 2 * ldc, c02, c12, α);
        AddScaledFma(c + 3 * ldc, c03, c13, α); AddScaledFma(c + 4 * ldc, c04, c14, α); AddScaledFma(c + 5 * ldc, c05, c15, α);
    }

    /// <summary>One column of the tile: C[0:8, j] += α·(top, bottom).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddScaledFma(double* column, Vector256<double> top, Vector256<double> bottom, Vector256<double> α)
    {
        Vector256.Store(Fma.MultiplyAdd(top, α, Vector256.Load(column)), column);
        Vector256.Store(Fma.MultiplyAdd(bottom, α, Vector256.Load(column + 4)), column + 4);
    }

    /// <summary>The same 8×6 tile with separate multiply and add (for CPUs with AVX but no FMA).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MicroKernelVector(double* a, double* b, int kc, double* c, long ldc, double alpha)
    {
        Vector256<double> c00 = default, c10 = default, c01 = default, c11 = default, c02 = default, c12 = default;
        Vector256<double> c03 = default, c13 = default, c04 = default, c14 = default, c05 = default, c15 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<double> a0 = Vector256.Load(a), a1 = Vector256.Load(a + 4);
            Vector256<double> bj = Vector256.Create(b[0]);
            c00 += a0 * bj; c10 += a1 * bj;
            bj = Vector256.Create(b[1]);
            c01 += a0 * bj; c11 += a1 * bj;
            bj = Vector256.Create(b[2]);
            c02 += a0 * bj; c12 += a1 * bj;
            bj = Vector256.Create(b[3]);
            c03 += a0 * bj; c13 += a1 * bj;
            bj = Vector256.Create(b[4]);
            c04 += a0 * bj; c14 += a1 * bj;
            bj = Vector256.Create(b[5]);
            c05 += a0 * bj; c15 += a1 * bj;
            a += 8;
            b += 6;
        }
        Vector256<double> α = Vector256.Create(alpha);
        AddScaled(c, c00, c10, α); AddScaled(c + ldc, c01, c11, α); AddScaled(c + 2 * ldc, c02, c12, α);
        AddScaled(c + 3 * ldc, c03, c13, α); AddScaled(c + 4 * ldc, c04, c14, α); AddScaled(c + 5 * ldc, c05, c15, α);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddScaled(double* column, Vector256<double> top, Vector256<double> bottom, Vector256<double> α)
    {
        Vector256.Store(Vector256.Load(column) + top * α, column);
        Vector256.Store(Vector256.Load(column + 4) + bottom * α, column + 4);
    }

    /// <summary>The same 8×6 tile one number at a time (for CPUs without 256-bit vectors).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MicroKernelScalar(double* a, double* b, int kc, double* c, long ldc, double alpha)
    {
        const int MR = 8, NR = 6;
        double* tile = stackalloc double[MR * NR];
        new Span<double>(tile, MR * NR).Clear();
        for (int p = 0; p < kc; p++)
        {
            for (int j = 0; j < NR; j++)
            {
                double bpj = b[j];
                for (int i = 0; i < MR; i++)
                    tile[i + j * MR] += a[i] * bpj;
            }
            a += MR;
            b += NR;
        }
        for (int j = 0; j < NR; j++)
            for (int i = 0; i < MR; i++)
                c[i + j * ldc] += alpha * tile[i + j * MR];
    }
}
