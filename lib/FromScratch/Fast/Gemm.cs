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
/// transposes: after packing, Identity and Transpose look the same. With AVX-512, an operand already stored in that
/// order (op(A) = A, op(B) = Bᵀ, in whole strips) is read where it is, one column stride per step: in a training
/// step that is W in Z = W·A_prev and both operands of dW = (1/m)·dZ·A_prevᵀ.</item>
/// <item>Micro-kernel: an MR×NR tile of C is held in vector registers and updated with fused multiply-adds for
/// every p. With AVX-512 the tile is 16×8 (16 registers of 8 doubles: 2 per column), reading 16 + 8 packed numbers
/// per 128 multiply-adds; with AVX2 it is 8×6 (12 registers of 4 doubles), reading 8 + 6 per 48. With β = 0 the
/// first piece of k writes its tile without reading C, so C needs no clearing pass first.</item>
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
        Kernel.Vector128 => Vector128Fma ? "Vector128+FMA 8×6 (128-bit, e.g. ARM64 NEON)" : "Vector128 multiply+add 8×6 (128-bit)",
        _ => "scalar 8×6",
    };

    /// <summary>C ← α·op(A)·op(B) + β·C on dense matrices; C must already have the shape m×n of the product.</summary>
    /// <exception cref="ArgumentException">The shapes do not fit; the message names all three.</exception>
    public static void Multiply(double alpha, Matrix<double> a, Op opA, Matrix<double> b, Op opB, double beta, Matrix<double> c,
        Threading threading = Threading.Auto) =>
        Multiply(alpha, DenseView.Of(a), opA, DenseView.Of(b), opB, beta, DenseView.Of(c), threading);

    /// <summary>C ← α·op(A)·op(B) + β·C on views of column-major storage (e.g. a mini-batch of columns, see <see cref="DenseView.OfColumns"/>).</summary>
    /// <exception cref="ArgumentException">The shapes do not fit; the message names all three.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(double alpha, DenseView a, Op opA, DenseView b, Op opB, double beta, DenseView c,
        Threading threading = Threading.Auto) =>
        Multiply(alpha, a, opA, b, opB, beta, c, threading, DefaultKernel);

    /// <summary>Which micro-kernel to run (tests force each one to check it against the reference).</summary>
    internal enum Kernel { Scalar, Vector, Fma, Avx512, Vector128 }

    /// <summary>Whether the 128-bit kernel fuses its multiply-adds (FMLA on ARM64, FMA3 on x64); else multiply, then add.</summary>
    internal static bool Vector128Fma => System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.IsSupported || Fma.IsSupported;

    /// <summary>
    /// The best micro-kernel the hardware supports. AVX-512 only where .NET reports 512-bit vectors as accelerated
    /// (it does not on CPUs that slow their clock for them, and not when DOTNET_PreferredVectorBitWidth=256 is set).
    /// Where 256-bit vectors are not accelerated but 128-bit ones are (every ARM64 CPU, Apple silicon included:
    /// NEON is 128 bits wide), the 128-bit kernel; the scalar one only where no vectors are accelerated at all.
    /// </summary>
    internal static readonly Kernel DefaultKernel =
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? Kernel.Avx512
        : Vector256.IsHardwareAccelerated ? (Fma.IsSupported ? Kernel.Fma : Kernel.Vector)
        : Vector128.IsHardwareAccelerated ? Kernel.Vector128
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

    /// <summary>
    /// Whether <paramref name="kernel"/> reads an operand that is already in its order where it is stored, instead of
    /// packing it (<see cref="GemmBlocked.ReadsAInPlace"/>). Only the AVX-512 kernel: on the Zen 4 course machine that
    /// made Z¹ = W¹·X and dW¹ of 784-128-10 10–14% faster, while the 8-row kernels, whose strip is one cache line a
    /// step, gained nothing (AVX2+FMA) or lost 30–40% (AVX without FMA) in the same test (bench/README.md). The
    /// AVX-512 kernel also reads op(B) = B column by column (<see cref="GemmBlocked.ReadsColumnsOfBInPlace"/>).
    /// </summary>
    internal static bool InPlaceByDefault(Kernel kernel) => kernel == Kernel.Avx512;

    /// <summary>The product with a chosen kernel; <paramref name="inPlace"/> (tests) overrides <see cref="InPlaceByDefault"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Multiply(double alpha, DenseView a, Op opA, DenseView b, Op opB, double beta, DenseView c,
        Threading threading, Kernel kernel, bool? inPlace = null)
    {
        GemmShapes.Check(a, opA, b, opB, c, out int m, out int n, out int k);
        if (m == 0 || n == 0)
            return;
        var job = new GemmJob(alpha, a, opA, b, opB, beta, c, m, n, k, kernel, inPlace ?? InPlaceByDefault(kernel));

        long flops = 2L * m * n * k;
        bool wantThreads = threading == Threading.AllCores
            || (threading == Threading.Auto && flops >= ParallelThresholdFlops);
        if (wantThreads && GemmWorkers.TryRun(job))
            return;
        job.Run(0, 1);
    }
}

/// <summary>One product, and how to compute slab <c>part</c> of <c>parts</c> of it.</summary>
internal readonly struct GemmJob(double alpha, DenseView a, Op opA, DenseView b, Op opB, double beta, DenseView c, int m, int n, int k,
    Gemm.Kernel kernel, bool inPlace)
{
    public readonly double Alpha = alpha, Beta = beta;
    public readonly DenseView A = a, B = b, C = c;
    public readonly Op OpA = opA, OpB = opB;
    public readonly int M = m, N = n, K = k;
    public readonly Gemm.Kernel Kernel = kernel;
    /// <summary>Whether operands already in the kernel's order are read where they are stored (<see cref="Gemm.InPlaceByDefault"/>).</summary>
    public readonly bool InPlace = inPlace;
    /// <summary>The kernel's micro-tile: MR rows by NR columns.</summary>
    public readonly int MR = Gemm.Tile(kernel).MR, NR = Gemm.Tile(kernel).NR;

    /// <summary>How many slabs the product can usefully be cut into (each at least one micro-tile wide).</summary>
    public int MaxParts => N >= M ? (N + NR - 1) / NR : (M + MR - 1) / MR;

    /// <summary>
    /// Computes slab <paramref name="part"/> of <paramref name="parts"/>: a range of C's columns when C is wide,
    /// of its rows when it is tall. Slabs never overlap, so threads can run them at the same time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(int part, int parts)
    {
        if (N >= M)
        {
            (int j0, int j1) = SlabWork.Range(N, NR, part, parts);
            if (j1 > j0)
                GemmBlocked.Run(this, 0, M, j0, j1);
        }
        else
        {
            (int i0, int i1) = SlabWork.Range(M, MR, part, parts);
            if (i1 > i0)
                GemmBlocked.Run(this, i0, i1, 0, N);
        }
    }
}
