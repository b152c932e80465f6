using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FromScratch.Kernels;
using MathNet.Numerics.LinearAlgebra;
using Simd = System.Numerics.Vector;                // operations on several numbers at once (4 doubles on AVX2 and AVX-512 CPUs)
using SimdVector = System.Numerics.Vector<double>; // the numbers themselves (not MathNet's Vector<double>)

// The fast path of the activations (Networks/Activation.cs has the math): the same A = g(Z) and dZ = dA ⊙ g′(Z),
// written into matrices that already exist, so a training step of the Trainer allocates nothing.
namespace FromScratch;

public abstract partial class Activation
{
    /// <summary>
    /// A = g(Z) written into the existing matrix <paramref name="a"/> (same shape as Z), for the training loop's
    /// preallocated buffers. Same numbers as <see cref="Forward"/>; the built-in activations allocate nothing.
    /// </summary>
    internal virtual void ForwardInto(Matrix<double> z, Matrix<double> a) => Forward(z).CopyTo(a);

    /// <summary>
    /// dZ = ∂E/∂Z from dA = ∂E/∂A, in place: <paramref name="dAThenDZ"/> holds dA on entry and dZ on return.
    /// Same numbers as <see cref="Backward"/>; the built-in activations allocate nothing.
    /// </summary>
    internal virtual void BackwardInPlace(Matrix<double> z, Matrix<double> a, Matrix<double> dAThenDZ) =>
        Backward(z, a, dAThenDZ).CopyTo(dAThenDZ);
}

internal abstract partial class ElementwiseActivation
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override void ForwardInto(Matrix<double> z, Matrix<double> a)
    {
        Guard.SameShape(a, nameof(a), z, nameof(z));
        ReadOnlySpan<double> zs = ColumnMajor.Storage(z, nameof(z));
        Span<double> As = ColumnMajor.Storage(a, nameof(a));
        for (int i = 0; i < zs.Length; i++) As[i] = Apply(zs[i]); // A = g(Z)
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override void BackwardInPlace(Matrix<double> z, Matrix<double> a, Matrix<double> dAThenDZ)
    {
        Guard.SameShape(dAThenDZ, "dA", z, nameof(z));
        ReadOnlySpan<double> zs = ColumnMajor.Storage(z, nameof(z));
        Span<double> d = ColumnMajor.Storage(dAThenDZ, "dA");
        for (int i = 0; i < d.Length; i++) d[i] *= Derivative(zs[i]); // dZ = dA ⊙ g'(Z)
    }
}

internal sealed partial class SigmoidActivation
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override void BackwardInPlace(Matrix<double> z, Matrix<double> a, Matrix<double> dAThenDZ)
    {
        Guard.SameShape(dAThenDZ, "dA", a, nameof(a));
        ReadOnlySpan<double> As = ColumnMajor.Storage(a, nameof(a));
        Span<double> d = ColumnMajor.Storage(dAThenDZ, "dA");
        for (int i = 0; i < d.Length; i++) d[i] *= As[i] * (1 - As[i]); // dZ = dA ⊙ A ⊙ (1 − A)
    }
}

internal sealed partial class LeakyReLUActivation
{
    // The same arithmetic as the entry-by-entry base class, without a virtual call per entry (ReLU is the hot path of
    // the deep lessons): A = Z where Z > 0, else αZ; dZ = dA ⊙ (1 where Z > 0, else α).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override void ForwardInto(Matrix<double> z, Matrix<double> a)
    {
        double α = Alpha;
        Guard.SameShape(a, nameof(a), z, nameof(z));
        ReadOnlySpan<double> zs = ColumnMajor.Storage(z, nameof(z));
        Span<double> As = ColumnMajor.Storage(a, nameof(a));
        // Several entries at a time, choosing without a branch (the signs of Z are too random to predict):
        // where Z > 0 take Z, elsewhere αZ.
        var zv = MemoryMarshal.Cast<double, SimdVector>(zs);
        var av = MemoryMarshal.Cast<double, SimdVector>(As);
        for (int i = 0; i < zv.Length; i++)
            av[i] = Simd.ConditionalSelect(Simd.GreaterThan(zv[i], SimdVector.Zero), zv[i], zv[i] * α);
        for (int i = zv.Length * SimdVector.Count; i < zs.Length; i++)
            As[i] = zs[i] > 0 ? zs[i] : α * zs[i];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override void BackwardInPlace(Matrix<double> z, Matrix<double> a, Matrix<double> dAThenDZ)
    {
        double α = Alpha;
        Guard.SameShape(dAThenDZ, "dA", z, nameof(z));
        ReadOnlySpan<double> zs = ColumnMajor.Storage(z, nameof(z));
        Span<double> d = ColumnMajor.Storage(dAThenDZ, "dA");
        var zv = MemoryMarshal.Cast<double, SimdVector>(zs);
        var dv = MemoryMarshal.Cast<double, SimdVector>(d);
        var one = SimdVector.One;
        var slope = new SimdVector(α);
        for (int i = 0; i < zv.Length; i++)
            dv[i] *= Simd.ConditionalSelect(Simd.GreaterThan(zv[i], SimdVector.Zero), one, slope);
        for (int i = zv.Length * SimdVector.Count; i < d.Length; i++)
            d[i] *= zs[i] > 0 ? 1.0 : α;
    }
}

internal sealed partial class SoftmaxActivation
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override void ForwardInto(Matrix<double> z, Matrix<double> a)
    {
        Guard.SameShape(a, nameof(a), z, nameof(z));
        ReadOnlySpan<double> zAll = ColumnMajor.Storage(z, nameof(z));
        Span<double> aAll = ColumnMajor.Storage(a, nameof(a));
        int n = z.RowCount;
        for (int j = 0; j < z.ColumnCount; j++)
        {
            var zj = zAll.Slice(j * n, n); // column j: one sample's scores
            var aj = aAll.Slice(j * n, n);
            double max = double.NegativeInfinity;
            for (int k = 0; k < n; k++) max = Math.Max(max, zj[k]);
            double sum = 0;
            for (int k = 0; k < n; k++)
            {
                double e = Math.Exp(zj[k] - max); // e^(z_k − max z) ≤ 1
                aj[k] = e;
                sum += e;
            }
            for (int k = 0; k < n; k++) aj[k] /= sum;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override void BackwardInPlace(Matrix<double> z, Matrix<double> a, Matrix<double> dAThenDZ)
    {
        Guard.SameShape(dAThenDZ, "dA", a, nameof(a));
        var d = dAThenDZ;
        for (int j = 0; j < a.ColumnCount; j++)
        {
            double dot = 0;
            for (int k = 0; k < a.RowCount; k++) dot += d[k, j] * a[k, j]; // Σ_k da_k·a_k, before column j is overwritten
            for (int i = 0; i < a.RowCount; i++) d[i, j] = a[i, j] * (d[i, j] - dot);
        }
    }
}
