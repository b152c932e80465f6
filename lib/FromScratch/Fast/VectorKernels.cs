using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MathNet.Numerics.LinearAlgebra;
using SimdVector = System.Numerics.Vector<double>; // several numbers at once (not MathNet's Vector<double>)

namespace FromScratch.Kernels;

/// <summary>
/// The small in-place operations of a training step, vectorised (TensorPrimitives and Vector256) and working
/// directly on MathNet's storage: nothing is allocated. Same results as <see cref="ReferenceVectorKernels"/>, bit for bit.
/// </summary>
internal static class VectorKernels
{
    /// <summary>Z ← Z + b·1ᵀ: add the bias column b (n×1) to every column (every sample) of Z (n×m).</summary>
    public static void AddBiasToColumns(Matrix<double> z, Matrix<double> b)
    {
        VectorKernelShapes.CheckBias(z, nameof(z), b, nameof(b));
        double[] zData = ColumnMajor.Storage(z, nameof(z));
        ReadOnlySpan<double> bias = ColumnMajor.Storage(b, nameof(b));
        int n = z.RowCount;
        for (int j = 0; j < z.ColumnCount; j++)
        {
            Span<double> column = zData.AsSpan(j * n, n);
            TensorPrimitives.Add(column, bias, column);
        }
    }

    /// <summary>db ← scale·Σⱼ dZ[:, j], the row sums of dZ (n×m) into db (n×1); with scale = 1/m this is db = (1/m)·Σ dZ.</summary>
    public static void RowSums(Matrix<double> dZ, double scale, Matrix<double> db)
    {
        VectorKernelShapes.CheckBias(dZ, nameof(dZ), db, nameof(db));
        double[] dZData = ColumnMajor.Storage(dZ, nameof(dZ));
        Span<double> sums = ColumnMajor.Storage(db, nameof(db));
        int n = dZ.RowCount;
        // Add whole columns one after another: each row's sum is built in the same order j = 0, 1, … as the reference.
        sums.Clear();
        for (int j = 0; j < dZ.ColumnCount; j++)
            TensorPrimitives.Add(sums, dZData.AsSpan(j * n, n), sums);
        TensorPrimitives.Multiply(sums, scale, sums);
    }

    /// <summary>Y ← Y + α·X ("axpy"); the SGD update W ← W − η·dW is Axpy(−η, dW, W).</summary>
    public static void Axpy(double alpha, Matrix<double> x, Matrix<double> y)
    {
        Guard.SameShape(x, nameof(x), y, nameof(y));
        ReadOnlySpan<double> xData = ColumnMajor.Storage(x, nameof(x));
        Span<double> yData = ColumnMajor.Storage(y, nameof(y));
        // A plain vector loop rather than TensorPrimitives.MultiplyAdd: for spans past a few hundred KiB (W¹ of
        // 784-128-10 is 784 KiB) that one writes with non-temporal stores, which push W out of the cache just before
        // the next step reads it: 5× slower on the course machine (bench/README.md). x·α is rounded, then the sum,
        // like the reference: not a fused multiply-add.
        var xs = MemoryMarshal.Cast<double, SimdVector>(xData); // 4 numbers at a time on AVX2 and AVX-512 CPUs
        var ys = MemoryMarshal.Cast<double, SimdVector>(yData);
        var α = new SimdVector(alpha);
        for (int i = 0; i < ys.Length; i++)
            ys[i] += xs[i] * α;
        for (int i = ys.Length * SimdVector.Count; i < yData.Length; i++)
            yData[i] += xData[i] * alpha;
    }

    /// <summary>X ← X ⊙ Y, elementwise product in place (e.g. dZ = dA ⊙ σ′(Z) with dA stored in dZ).</summary>
    public static void MultiplyElementwise(Matrix<double> x, Matrix<double> y)
    {
        Guard.SameShape(x, nameof(x), y, nameof(y));
        Span<double> xData = ColumnMajor.Storage(x, nameof(x));
        TensorPrimitives.Multiply(xData, ColumnMajor.Storage(y, nameof(y)), xData);
    }

    /// <summary>
    /// One Adam step for parameter θ with gradient g, in place on θ and on the moving averages v (of g) and s (of g²):
    /// v ← β1·v + (1−β1)·g;  s ← β2·s + (1−β2)·g²;  v̂ = v/(1−β1ᵗ);  ŝ = s/(1−β2ᵗ);  θ ← θ − η·v̂/(√ŝ + ε).
    /// <paramref name="t"/> counts steps from 1 (the bias correction).
    /// </summary>
    public static void AdamStep(Matrix<double> theta, Matrix<double> g, Matrix<double> v, Matrix<double> s,
        double eta, double beta1, double beta2, double epsilon, int t)
    {
        AdamParameters.Check(theta, g, v, s, eta, beta1, beta2, epsilon, t, out double correction1, out double correction2);
        Span<double> θ = ColumnMajor.Storage(theta, nameof(theta));
        ReadOnlySpan<double> grad = ColumnMajor.Storage(g, nameof(g));
        Span<double> vData = ColumnMajor.Storage(v, nameof(v));
        Span<double> sData = ColumnMajor.Storage(s, nameof(s));

        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var β1 = Vector256.Create(beta1); var oneMinusβ1 = Vector256.Create(1 - beta1);
            var β2 = Vector256.Create(beta2); var oneMinusβ2 = Vector256.Create(1 - beta2);
            var c1 = Vector256.Create(correction1); var c2 = Vector256.Create(correction2);
            var η = Vector256.Create(eta); var ε = Vector256.Create(epsilon);
            for (; i <= θ.Length - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                var gi = Vector256.Create(grad.Slice(i, 4));
                var vi = β1 * Vector256.Create(vData.Slice(i, 4)) + oneMinusβ1 * gi;
                var si = β2 * Vector256.Create(sData.Slice(i, 4)) + oneMinusβ2 * (gi * gi);
                vi.CopyTo(vData.Slice(i, 4));
                si.CopyTo(sData.Slice(i, 4));
                var vHat = vi / c1;
                var sHat = si / c2;
                (Vector256.Create(θ.Slice(i, 4)) - η * vHat / (Vector256.Sqrt(sHat) + ε)).CopyTo(θ.Slice(i, 4));
            }
        }
        for (; i < θ.Length; i++)
        {
            double gi = grad[i];
            double vi = beta1 * vData[i] + (1 - beta1) * gi;
            double si = beta2 * sData[i] + (1 - beta2) * (gi * gi);
            vData[i] = vi;
            sData[i] = si;
            θ[i] -= eta * (vi / correction1) / (Math.Sqrt(si / correction2) + epsilon);
        }
    }
}
