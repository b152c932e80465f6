using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MathNet.Numerics.LinearAlgebra;
using SimdVector = System.Numerics.Vector<double>; // several numbers at once (not MathNet's Vector<double>)

namespace FromScratch.Kernels;

/// <summary>
/// The small in-place operations of a training step, vectorised (Vector&lt;double&gt;, which is 128 bits wide on ARM64; <see cref="SpanArithmetic"/>) and working
/// directly on MathNet's storage: nothing is allocated. Same results as <see cref="ReferenceVectorKernels"/>, bit for bit.
/// </summary>
internal static class VectorKernels
{
    /// <summary>Z ← Z + b·1ᵀ: add the bias column b (n×1) to every column (every sample) of Z (n×m).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddBiasToColumns(Matrix<double> z, Matrix<double> b)
    {
        VectorKernelShapes.CheckBias(z, nameof(z), b, nameof(b));
        double[] zData = ColumnMajor.Storage(z, nameof(z));
        ReadOnlySpan<double> bias = ColumnMajor.Storage(b, nameof(b));
        int n = z.RowCount;
        for (int j = 0; j < z.ColumnCount; j++)
        {
            Span<double> column = zData.AsSpan(j * n, n);
            SpanArithmetic.Add(column, bias, column);
        }
    }

    /// <summary>db ← scale·Σⱼ dZ[:, j], the row sums of dZ (n×m) into db (n×1); with scale = 1/m this is db = (1/m)·Σ dZ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RowSums(Matrix<double> dZ, double scale, Matrix<double> db)
    {
        VectorKernelShapes.CheckBias(dZ, nameof(dZ), db, nameof(db));
        double[] dZData = ColumnMajor.Storage(dZ, nameof(dZ));
        Span<double> sums = ColumnMajor.Storage(db, nameof(db));
        int n = dZ.RowCount;
        // Add whole columns one after another: each row's sum is built in the same order j = 0, 1, … as the reference.
        SpanArithmetic.Clear(sums);
        for (int j = 0; j < dZ.ColumnCount; j++)
            SpanArithmetic.Add(sums, dZData.AsSpan(j * n, n), sums);
        SpanArithmetic.Multiply(sums, scale, sums);
    }

    /// <summary>
    /// Updates of at least this many numbers (256 KiB: W¹ of 784-128-10, 100,352) and copies of that size (its batch
    /// of 64, 50,176) are split over both cores (<see cref="GemmWorkers"/>): they are memory-bound, and after a
    /// threaded product half of the numbers sit in the other core's cache. Inside a 784-128-10 step on the 2-core
    /// course machine, the SGD update took 0.065–0.09 ms on one core (0.02 ms on its own, caches warm) and the batch
    /// copy from all over X 0.08–0.10 ms (bench/README.md).
    /// </summary>
    internal const int ParallelLength = 1 << 15;

    /// <summary>Y ← Y + α·X ("axpy"); the SGD update W ← W − η·dW is Axpy(−η, dW, W).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Axpy(double alpha, Matrix<double> x, Matrix<double> y)
    {
        Guard.SameShape(x, nameof(x), y, nameof(y));
        double[] xData = ColumnMajor.Storage(x, nameof(x)), yData = ColumnMajor.Storage(y, nameof(y));
        if (yData.Length >= ParallelLength && AxpySlabs.TryRun(alpha, xData, yData))
            return;
        AxpySpan(alpha, xData, yData);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AxpySpan(double alpha, ReadOnlySpan<double> xData, Span<double> yData)
    {
        // A plain vector loop rather than TensorPrimitives.MultiplyAdd: for spans past a few hundred KiB (W¹ of
        // 784-128-10 is 784 KiB) that one writes with non-temporal stores, which push W out of the cache just before
        // the next step reads it: 5× slower on the course machine (bench/README.md). x·α is rounded, then the sum,
        // like the reference: not a fused multiply-add (so the vector body and the scalar tail give the same bits,
        // and so does any split into slabs).
        var xs = MemoryMarshal.Cast<double, SimdVector>(xData); // 4 numbers at a time on AVX2 and AVX-512 CPUs
        var ys = MemoryMarshal.Cast<double, SimdVector>(yData);
        var α = new SimdVector(alpha);
        for (int i = 0; i < ys.Length; i++)
            ys[i] += xs[i] * α;
        for (int i = ys.Length * SimdVector.Count; i < yData.Length; i++)
            yData[i] += xData[i] * alpha;
    }

    /// <summary>An axpy cut into slabs of whole cache lines, for the helper threads (one holder per calling thread).</summary>
    private sealed class AxpySlabs : SlabWork
    {
        [ThreadStatic] private static AxpySlabs? mine;
        private double alpha;
        private double[] x = [], y = [];

        public static bool TryRun(double alpha, double[] x, double[] y)
        {
            var work = mine ??= new AxpySlabs();
            (work.alpha, work.x, work.y) = (alpha, x, y);
            try
            {
                return GemmWorkers.TryRun(work, y.Length / CacheLine);
            }
            finally
            {
                (work.x, work.y) = ([], []);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Run(int part, int parts)
        {
            var (start, end) = Range(y.Length, CacheLine, part, parts);
            AxpySpan(alpha, x.AsSpan(start, end - start), y.AsSpan(start, end - start));
        }

        private const int CacheLine = 8; // numbers per 64-byte line: the slabs never share one
    }

    /// <summary>X ← X ⊙ Y, elementwise product in place (e.g. dZ = dA ⊙ σ′(Z) with dA stored in dZ).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyElementwise(Matrix<double> x, Matrix<double> y)
    {
        Guard.SameShape(x, nameof(x), y, nameof(y));
        Span<double> xData = ColumnMajor.Storage(x, nameof(x));
        SpanArithmetic.Multiply(xData, ColumnMajor.Storage(y, nameof(y)), xData);
    }

    /// <summary>
    /// One Adam step for parameter θ with gradient g, in place on θ and on the moving averages v (of g) and s (of g²):
    /// v ← β1·v + (1−β1)·g;  s ← β2·s + (1−β2)·g²;  v̂ = v/(1−β1ᵗ);  ŝ = s/(1−β2ᵗ);  θ ← θ − η·v̂/(√ŝ + ε).
    /// <paramref name="t"/> counts steps from 1 (the bias correction).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AdamStep(Matrix<double> theta, Matrix<double> g, Matrix<double> v, Matrix<double> s,
        double eta, double beta1, double beta2, double epsilon, int t)
    {
        AdamParameters.Check(theta, g, v, s, eta, beta1, beta2, epsilon, t, out double correction1, out double correction2);
        Span<double> θ = ColumnMajor.Storage(theta, nameof(theta));
        ReadOnlySpan<double> grad = ColumnMajor.Storage(g, nameof(g));
        Span<double> vData = ColumnMajor.Storage(v, nameof(v));
        Span<double> sData = ColumnMajor.Storage(s, nameof(s));

        // Vector<double>: 4 numbers at a time on AVX2 and AVX-512 CPUs, 2 on ARM64 (NEON); the same operations in the
        // same order as the scalar loop below, each one correctly rounded, so the results are equal bit for bit.
        int i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            var β1 = new SimdVector(beta1); var oneMinusβ1 = new SimdVector(1 - beta1);
            var β2 = new SimdVector(beta2); var oneMinusβ2 = new SimdVector(1 - beta2);
            var c1 = new SimdVector(correction1); var c2 = new SimdVector(correction2);
            var η = new SimdVector(eta); var ε = new SimdVector(epsilon);
            int width = SimdVector.Count;
            for (; i <= θ.Length - width; i += width)
            {
                var gi = new SimdVector(grad.Slice(i, width));
                var vi = β1 * new SimdVector(vData.Slice(i, width)) + oneMinusβ1 * gi;
                var si = β2 * new SimdVector(sData.Slice(i, width)) + oneMinusβ2 * gi * gi; // ((1 − β2)·g)·g, as Adam.StepOf
                vi.CopyTo(vData.Slice(i, width));
                si.CopyTo(sData.Slice(i, width));
                var vHat = vi / c1;
                var sHat = si / c2;
                (new SimdVector(θ.Slice(i, width)) - η * vHat / (System.Numerics.Vector.SquareRoot(sHat) + ε)).CopyTo(θ.Slice(i, width));
            }
        }
        for (; i < θ.Length; i++)
        {
            double gi = grad[i];
            double vi = beta1 * vData[i] + (1 - beta1) * gi;
            double si = beta2 * sData[i] + (1 - beta2) * gi * gi;
            vData[i] = vi;
            sData[i] = si;
            θ[i] -= eta * (vi / correction1) / (Math.Sqrt(si / correction2) + epsilon);
        }
    }
}
