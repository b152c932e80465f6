using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using MathNet.Numerics.LinearAlgebra;

namespace FromScratch.Kernels;

/// <summary>The micro-kernels of <see cref="GemmBlocked"/>: one MR×NR tile of C updated in registers, per instruction set.</summary>
internal static unsafe partial class GemmBlocked
{
    /// <summary>
    /// A tile at the bottom or right edge of C: compute the full MR×NR tile into a scratch tile, then only its valid
    /// part into C (added, or with <paramref name="write"/> written as 0 + α·tile, as after clearing C).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void EdgeTile(Gemm.Kernel kernel, double* a, long aStep, double* b, long bStep, int kc,
        double* cTile, int ldc, double alpha, bool write, int mr, int nr, int MR, bool bColumns)
    {
        double* scratch = stackalloc double[Gemm.MaxTile];
        MicroKernel(kernel, a, aStep, b, bStep, kc, scratch, MR, 1.0, write: true, bColumns);
        for (int j = 0; j < nr; j++)
            for (int i = 0; i < mr; i++)
            {
                double* cij = cTile + i + (long)j * ldc;
                *cij = (write ? 0.0 : *cij) + alpha * scratch[i + j * MR];
            }
    }

    /// <summary>
    /// C[0:MR, 0:NR] ← (write ? 0 : C) + α·A·B for an MR×kc strip of A and a kc×NR strip of B: the numbers of A's
    /// column p (MR of them) start at a + p·aStep, those of B's row p (NR) at b + p·bStep. For packed strips the steps
    /// are MR and NR; for an operand read in place (<see cref="ReadsAInPlace"/>, <see cref="ReadsBInPlace"/>), its column stride.
    /// With <paramref name="bColumns"/> (op(B) = B read in place, <see cref="ReadsColumnsOfBInPlace"/>) the strip's NR
    /// columns are stored columns of B, <paramref name="bStep"/> apart, and row p is entry p of each.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MicroKernel(Gemm.Kernel kernel, double* a, long aStep, double* b, long bStep, int kc,
        double* c, long ldc, double alpha, bool write, bool bColumns = false)
    {
        if (bColumns)
            MicroKernelAvx512ColumnsOfB(a, aStep, b, bStep, kc, c, ldc, alpha, write);
        else if (kernel == Gemm.Kernel.Avx512)
            MicroKernelAvx512(a, aStep, b, bStep, kc, c, ldc, alpha, write);
        else if (kernel == Gemm.Kernel.Fma)
            MicroKernelFma(a, aStep, b, bStep, kc, c, ldc, alpha, write);
        else if (kernel == Gemm.Kernel.Vector)
            MicroKernelVector(a, aStep, b, bStep, kc, c, ldc, alpha, write);
        else if (kernel == Gemm.Kernel.Vector128)
            MicroKernelVector128(a, aStep, b, bStep, kc, c, ldc, alpha, write);
        else
            MicroKernelScalar(a, aStep, b, bStep, kc, c, ldc, alpha, write);
    }

    /// <summary>
    /// C[0:16, 0:8] += α·(A strip)·(B strip) with AVX-512 (see <see cref="MicroKernel"/> for the arguments). The 16×8 tile lives in 16 registers
    /// c{row half}{column} of 8 doubles: for every p, two loads of A (rows 0–7 and 8–15), eight broadcasts of B,
    /// sixteen fused multiply-adds (128 multiply-adds per 24 numbers read).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MicroKernelAvx512(double* a, long aStep, double* b, long bStep, int kc, double* c, long ldc, double alpha, bool write)
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
            a += aStep;
            b += bStep;
        }
        Vector512<double> α = Vector512.Create(alpha);
        AddScaledAvx512(c, c00, c10, α, write); AddScaledAvx512(c + ldc, c01, c11, α, write);
        AddScaledAvx512(c + 2 * ldc, c02, c12, α, write); AddScaledAvx512(c + 3 * ldc, c03, c13, α, write);
        AddScaledAvx512(c + 4 * ldc, c04, c14, α, write); AddScaledAvx512(c + 5 * ldc, c05, c15, α, write);
        AddScaledAvx512(c + 6 * ldc, c06, c16, α, write); AddScaledAvx512(c + 7 * ldc, c07, c17, α, write);
    }

    /// <summary>
    /// <see cref="MicroKernelAvx512"/> with op(B) = B read where it is stored: the strip's eight columns are columns of
    /// B, <paramref name="ldb"/> apart, and its row p is entry p of each (so B is not packed). The same multiply-adds in
    /// the same order as on a packed strip: the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MicroKernelAvx512ColumnsOfB(double* a, long aStep, double* b, long ldb, int kc, double* c, long ldc, double alpha, bool write)
    {
        if (!Avx512F.IsSupported)
            throw new PlatformNotSupportedException("The AVX-512 micro-kernel needs AVX-512F instructions.");
        Vector512<double> c00 = default, c10 = default, c01 = default, c11 = default, c02 = default, c12 = default, c03 = default, c13 = default;
        Vector512<double> c04 = default, c14 = default, c05 = default, c15 = default, c06 = default, c16 = default, c07 = default, c17 = default;
        double* b0 = b, b1 = b + ldb, b2 = b + 2 * ldb, b3 = b + 3 * ldb, b4 = b + 4 * ldb, b5 = b + 5 * ldb, b6 = b + 6 * ldb, b7 = b + 7 * ldb;
        for (int p = 0; p < kc; p++)
        {
            Vector512<double> a0 = Vector512.Load(a), a1 = Vector512.Load(a + 8);
            Vector512<double> bj = Vector512.Create(b0[p]);
            c00 = Avx512F.FusedMultiplyAdd(a0, bj, c00); c10 = Avx512F.FusedMultiplyAdd(a1, bj, c10);
            bj = Vector512.Create(b1[p]);
            c01 = Avx512F.FusedMultiplyAdd(a0, bj, c01); c11 = Avx512F.FusedMultiplyAdd(a1, bj, c11);
            bj = Vector512.Create(b2[p]);
            c02 = Avx512F.FusedMultiplyAdd(a0, bj, c02); c12 = Avx512F.FusedMultiplyAdd(a1, bj, c12);
            bj = Vector512.Create(b3[p]);
            c03 = Avx512F.FusedMultiplyAdd(a0, bj, c03); c13 = Avx512F.FusedMultiplyAdd(a1, bj, c13);
            bj = Vector512.Create(b4[p]);
            c04 = Avx512F.FusedMultiplyAdd(a0, bj, c04); c14 = Avx512F.FusedMultiplyAdd(a1, bj, c14);
            bj = Vector512.Create(b5[p]);
            c05 = Avx512F.FusedMultiplyAdd(a0, bj, c05); c15 = Avx512F.FusedMultiplyAdd(a1, bj, c15);
            bj = Vector512.Create(b6[p]);
            c06 = Avx512F.FusedMultiplyAdd(a0, bj, c06); c16 = Avx512F.FusedMultiplyAdd(a1, bj, c16);
            bj = Vector512.Create(b7[p]);
            c07 = Avx512F.FusedMultiplyAdd(a0, bj, c07); c17 = Avx512F.FusedMultiplyAdd(a1, bj, c17);
            a += aStep;
        }
        Vector512<double> α = Vector512.Create(alpha);
        AddScaledAvx512(c, c00, c10, α, write); AddScaledAvx512(c + ldc, c01, c11, α, write);
        AddScaledAvx512(c + 2 * ldc, c02, c12, α, write); AddScaledAvx512(c + 3 * ldc, c03, c13, α, write);
        AddScaledAvx512(c + 4 * ldc, c04, c14, α, write); AddScaledAvx512(c + 5 * ldc, c05, c15, α, write);
        AddScaledAvx512(c + 6 * ldc, c06, c16, α, write); AddScaledAvx512(c + 7 * ldc, c07, c17, α, write);
    }

    /// <summary>One column of the 16×8 tile: C[0:16, j] ← (write ? 0 : C[0:16, j]) + α·(top, bottom), fused.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddScaledAvx512(double* column, Vector512<double> top, Vector512<double> bottom, Vector512<double> α, bool write)
    {
        Vector512<double> oldTop = write ? Vector512<double>.Zero : Vector512.Load(column);
        Vector512<double> oldBottom = write ? Vector512<double>.Zero : Vector512.Load(column + 8);
        Vector512.Store(Avx512F.FusedMultiplyAdd(top, α, oldTop), column);
        Vector512.Store(Avx512F.FusedMultiplyAdd(bottom, α, oldBottom), column + 8);
    }

    /// <summary>
    /// C[0:8, 0:6] += α·(A strip)·(B strip) with AVX2 and FMA. The 8×6 tile lives in 12 registers c{row half}{column}:
    /// for every p, two loads of A (rows 0–3 and 4–7), six broadcasts of B, twelve fused multiply-adds.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MicroKernelFma(double* a, long aStep, double* b, long bStep, int kc, double* c, long ldc, double alpha, bool write)
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
            a += aStep;
            b += bStep;
        }
        Vector256<double> α = Vector256.Create(alpha);
        AddScaledFma(c, c00, c10, α, write); AddScaledFma(c + ldc, c01, c11, α, write);
        AddScaledFma(c + 2 * ldc, c02, c12, α, write); AddScaledFma(c + 3 * ldc, c03, c13, α, write);
        AddScaledFma(c + 4 * ldc, c04, c14, α, write); AddScaledFma(c + 5 * ldc, c05, c15, α, write);
    }

    /// <summary>One column of the tile: C[0:8, j] ← (write ? 0 : C[0:8, j]) + α·(top, bottom), fused.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddScaledFma(double* column, Vector256<double> top, Vector256<double> bottom, Vector256<double> α, bool write)
    {
        Vector256<double> oldTop = write ? Vector256<double>.Zero : Vector256.Load(column);
        Vector256<double> oldBottom = write ? Vector256<double>.Zero : Vector256.Load(column + 4);
        Vector256.Store(Fma.MultiplyAdd(top, α, oldTop), column);
        Vector256.Store(Fma.MultiplyAdd(bottom, α, oldBottom), column + 4);
    }

    /// <summary>The same 8×6 tile with separate multiply and add (for CPUs with AVX but no FMA).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MicroKernelVector(double* a, long aStep, double* b, long bStep, int kc, double* c, long ldc, double alpha, bool write)
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
            a += aStep;
            b += bStep;
        }
        Vector256<double> α = Vector256.Create(alpha);
        AddScaled(c, c00, c10, α, write); AddScaled(c + ldc, c01, c11, α, write); AddScaled(c + 2 * ldc, c02, c12, α, write);
        AddScaled(c + 3 * ldc, c03, c13, α, write); AddScaled(c + 4 * ldc, c04, c14, α, write); AddScaled(c + 5 * ldc, c05, c15, α, write);
    }

    /// <summary>One column of the tile: C[0:8, j] ← (write ? 0 : C[0:8, j]) + α·(top, bottom).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddScaled(double* column, Vector256<double> top, Vector256<double> bottom, Vector256<double> α, bool write)
    {
        Vector256<double> oldTop = write ? Vector256<double>.Zero : Vector256.Load(column);
        Vector256<double> oldBottom = write ? Vector256<double>.Zero : Vector256.Load(column + 4);
        Vector256.Store(oldTop + top * α, column);
        Vector256.Store(oldBottom + bottom * α, column + 4);
    }

    /// <summary>The same 8×6 tile one number at a time (for CPUs without 256-bit vectors).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MicroKernelScalar(double* a, long aStep, double* b, long bStep, int kc, double* c, long ldc, double alpha, bool write)
    {
        const int MR = 8, NR = 6;
        double* tile = stackalloc double[MR * NR];
        SpanArithmetic.Clear(new Span<double>(tile, MR * NR));
        for (int p = 0; p < kc; p++)
        {
            for (int j = 0; j < NR; j++)
            {
                double bpj = b[j];
                for (int i = 0; i < MR; i++)
                    tile[i + j * MR] += a[i] * bpj;
            }
            a += aStep;
            b += bStep;
        }
        for (int j = 0; j < NR; j++)
            for (int i = 0; i < MR; i++)
                c[i + j * ldc] = (write ? 0.0 : c[i + j * ldc]) + alpha * tile[i + j * MR];
    }
}
