using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FromScratch.Kernels;

internal static unsafe partial class GemmBlocked
{
    /// <summary>
    /// C[0:8, 0:6] += α·(A strip)·(B strip) with 128-bit vectors of 2 doubles: the kernel of CPUs whose
    /// widest accelerated vectors are 128 bits (ARM64's NEON, Apple silicon included). The 8×6 tile lives in 24
    /// registers c{quarter}{column} (NEON has 32); for every p, four loads of A (rows 0–1, 2–3, 4–5, 6–7), six
    /// broadcasts of B, twenty-four multiply-adds, fused where the CPU can (<see cref="Gemm.Vector128Fma"/>).
    /// Same tile and packing as the AVX2 kernel. On x64 (16 vector registers) it spills and is only there to be tested.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MicroKernelVector128(double* a, long aStep, double* b, long bStep, int kc, double* c, long ldc,
        double alpha, bool write)
    {
        Vector128<double> c00 = default, c10 = default, c20 = default, c30 = default;
        Vector128<double> c01 = default, c11 = default, c21 = default, c31 = default;
        Vector128<double> c02 = default, c12 = default, c22 = default, c32 = default;
        Vector128<double> c03 = default, c13 = default, c23 = default, c33 = default;
        Vector128<double> c04 = default, c14 = default, c24 = default, c34 = default;
        Vector128<double> c05 = default, c15 = default, c25 = default, c35 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector128<double> a0 = Vector128.Load(a), a1 = Vector128.Load(a + 2);
            Vector128<double> a2 = Vector128.Load(a + 4), a3 = Vector128.Load(a + 6);
            Vector128<double> bj = Vector128.Create(b[0]);
            c00 = MulAdd(a0, bj, c00); c10 = MulAdd(a1, bj, c10); c20 = MulAdd(a2, bj, c20); c30 = MulAdd(a3, bj, c30);
            bj = Vector128.Create(b[1]);
            c01 = MulAdd(a0, bj, c01); c11 = MulAdd(a1, bj, c11); c21 = MulAdd(a2, bj, c21); c31 = MulAdd(a3, bj, c31);
            bj = Vector128.Create(b[2]);
            c02 = MulAdd(a0, bj, c02); c12 = MulAdd(a1, bj, c12); c22 = MulAdd(a2, bj, c22); c32 = MulAdd(a3, bj, c32);
            bj = Vector128.Create(b[3]);
            c03 = MulAdd(a0, bj, c03); c13 = MulAdd(a1, bj, c13); c23 = MulAdd(a2, bj, c23); c33 = MulAdd(a3, bj, c33);
            bj = Vector128.Create(b[4]);
            c04 = MulAdd(a0, bj, c04); c14 = MulAdd(a1, bj, c14); c24 = MulAdd(a2, bj, c24); c34 = MulAdd(a3, bj, c34);
            bj = Vector128.Create(b[5]);
            c05 = MulAdd(a0, bj, c05); c15 = MulAdd(a1, bj, c15); c25 = MulAdd(a2, bj, c25); c35 = MulAdd(a3, bj, c35);
            a += aStep;
            b += bStep;
        }
        Vector128<double> α = Vector128.Create(alpha);
        AddScaled128(c, c00, c10, c20, c30, α, write);
        AddScaled128(c + ldc, c01, c11, c21, c31, α, write);
        AddScaled128(c + 2 * ldc, c02, c12, c22, c32, α, write);
        AddScaled128(c + 3 * ldc, c03, c13, c23, c33, α, write);
        AddScaled128(c + 4 * ldc, c04, c14, c24, c34, α, write);
        AddScaled128(c + 5 * ldc, c05, c15, c25, c35, α, write);
    }

    /// <summary>a·b + c, with one rounding where the CPU fuses it (a JIT-time constant: no branch is left in the loop).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> MulAdd(Vector128<double> a, Vector128<double> b, Vector128<double> c) =>
        Gemm.Vector128Fma ? Vector128.FusedMultiplyAdd(a, b, c) : a * b + c;

    /// <summary>One column of the tile: C[0:8, j] ← (write ? 0 : C[0:8, j]) + α·(q0, q1, q2, q3), two rows per quarter.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddScaled128(double* column, Vector128<double> q0, Vector128<double> q1, Vector128<double> q2,
        Vector128<double> q3, Vector128<double> α, bool write)
    {
        Vector128.Store(MulAdd(q0, α, write ? Vector128<double>.Zero : Vector128.Load(column)), column);
        Vector128.Store(MulAdd(q1, α, write ? Vector128<double>.Zero : Vector128.Load(column + 2)), column + 2);
        Vector128.Store(MulAdd(q2, α, write ? Vector128<double>.Zero : Vector128.Load(column + 4)), column + 4);
        Vector128.Store(MulAdd(q3, α, write ? Vector128<double>.Zero : Vector128.Load(column + 6)), column + 6);
    }
}
