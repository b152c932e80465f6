using System.Runtime.InteropServices;
using FromScratch.Kernels;
using MathNet.Numerics.LinearAlgebra;
using Simd = System.Numerics.Vector;                // operations on several numbers at once (4 doubles on AVX2 and AVX-512 CPUs)
using SimdVector = System.Numerics.Vector<double>; // the numbers themselves (not MathNet's Vector<double>)

namespace FromScratch;

/// <summary>
/// An activation function g applied to a layer's pre-activation Z to give its output A = g(Z).
/// Matrices hold ONE COLUMN PER SAMPLE, so Z and A are n_l × m.
/// <see cref="Backward"/> turns the gradient dA = ∂E/∂A into dZ = ∂E/∂Z.
/// </summary>
public abstract class Activation
{
    /// <summary>The function's name as the lessons write it ("sigmoid", "ReLU", ...).</summary>
    public abstract string Name { get; }

    /// <summary>A = g(Z), computed for every entry (or, for softmax, for every column).</summary>
    public abstract Matrix<double> Forward(Matrix<double> z);

    /// <summary>
    /// dZ = ∂E/∂Z from dA = ∂E/∂A, given the cached Z and A = g(Z) of the forward pass.
    /// For an element-wise g this is dZ = dA ⊙ g'(Z).
    /// </summary>
    public abstract Matrix<double> Backward(Matrix<double> z, Matrix<double> a, Matrix<double> dA);

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

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>g(z) = z: no activation (a linear neuron).</summary>
    public static Activation Identity { get; } = new IdentityActivation();

    /// <summary>σ(z) = 1 / (1 + e^(−z)), computed without overflow for any z (see <see cref="SigmoidOf"/>).</summary>
    public static Activation Sigmoid { get; } = new SigmoidActivation();

    /// <summary>tanh(z), with derivative 1 − tanh²(z).</summary>
    public static Activation Tanh { get; } = new TanhActivation();

    /// <summary>ReLU(z) = max(0, z), with derivative 1 for z &gt; 0 and 0 otherwise.</summary>
    public static Activation ReLU { get; } = new LeakyReLUActivation(0.0, "ReLU");

    /// <summary>Leaky ReLU: z for z &gt; 0, α·z otherwise (derivative 1 or α).</summary>
    public static Activation LeakyReLU(double α = 0.01)
    {
        Guard.InUnitInterval(α, nameof(α));
        return new LeakyReLUActivation(α, $"leaky ReLU (α = {α:R})");
    }

    /// <summary>
    /// Softmax of each column: a_k = e^(z_k − max z) / Σ_j e^(z_j − max z). Subtracting the column's
    /// maximum (the log-sum-exp shift) changes nothing mathematically but keeps e^(·) ≤ 1, so it never overflows.
    /// </summary>
    public static Activation Softmax { get; } = new SoftmaxActivation();

    /// <summary>
    /// The sigmoid σ(x) = 1 / (1 + e^(−x)) of one number, stable for large |x|:
    /// for x ≥ 0 it computes 1 / (1 + e^(−x)); for x &lt; 0 the equal form e^x / (1 + e^x),
    /// so e^(·) is only ever taken of a non-positive number and cannot overflow (σ(±1000) = 1 or 0).
    /// </summary>
    public static double SigmoidOf(double x)
    {
        if (x >= 0) return 1.0 / (1.0 + Math.Exp(-x));
        double e = Math.Exp(x);
        return e / (1.0 + e);
    }

    /// <summary>σ'(x) = σ(x)·(1 − σ(x)).</summary>
    public static double SigmoidDerivativeOf(double x)
    {
        double s = SigmoidOf(x);
        return s * (1 - s);
    }
}

/// <summary>
/// An activation applied entry by entry: A = g(Z) and dZ = dA ⊙ g'(Z).
/// <see cref="Derivative(Matrix{double})"/> exposes g'(Z) so a lesson can show vanishing gradients.
/// </summary>
public abstract class ElementwiseActivation : Activation
{
    /// <summary>g(z) for one number.</summary>
    public abstract double Apply(double z);

    /// <summary>g'(z) for one number.</summary>
    public abstract double Derivative(double z);

    /// <summary>g'(Z) for every entry of Z (e.g. σ'(Z), which is ≈ 0 where the sigmoid saturates).</summary>
    public Matrix<double> Derivative(Matrix<double> z) => z.Map(Derivative);

    /// <inheritdoc/>
    public override Matrix<double> Forward(Matrix<double> z) => z.Map(Apply);

    /// <inheritdoc/>
    public override Matrix<double> Backward(Matrix<double> z, Matrix<double> a, Matrix<double> dA)
    {
        Guard.SameShape(dA, nameof(dA), z, nameof(z));
        return dA.PointwiseMultiply(Derivative(z)); // dZ = dA ⊙ g'(Z)
    }

    internal override void ForwardInto(Matrix<double> z, Matrix<double> a)
    {
        Guard.SameShape(a, nameof(a), z, nameof(z));
        ReadOnlySpan<double> zs = ColumnMajor.Storage(z, nameof(z));
        Span<double> As = ColumnMajor.Storage(a, nameof(a));
        for (int i = 0; i < zs.Length; i++) As[i] = Apply(zs[i]); // A = g(Z)
    }

    internal override void BackwardInPlace(Matrix<double> z, Matrix<double> a, Matrix<double> dAThenDZ)
    {
        Guard.SameShape(dAThenDZ, "dA", z, nameof(z));
        ReadOnlySpan<double> zs = ColumnMajor.Storage(z, nameof(z));
        Span<double> d = ColumnMajor.Storage(dAThenDZ, "dA");
        for (int i = 0; i < d.Length; i++) d[i] *= Derivative(zs[i]); // dZ = dA ⊙ g'(Z)
    }
}

internal sealed class IdentityActivation : ElementwiseActivation
{
    public override string Name => "identity";
    public override double Apply(double z) => z;
    public override double Derivative(double z) => 1.0;
}

internal sealed class SigmoidActivation : ElementwiseActivation
{
    public override string Name => "sigmoid";
    public override double Apply(double z) => SigmoidOf(z);
    public override double Derivative(double z) => SigmoidDerivativeOf(z);

    // σ'(Z) = A ⊙ (1 − A), reusing the cached A.
    public override Matrix<double> Backward(Matrix<double> z, Matrix<double> a, Matrix<double> dA)
    {
        Guard.SameShape(dA, nameof(dA), a, nameof(a));
        return dA.PointwiseMultiply(a.Map(s => s * (1 - s)));
    }

    internal override void BackwardInPlace(Matrix<double> z, Matrix<double> a, Matrix<double> dAThenDZ)
    {
        Guard.SameShape(dAThenDZ, "dA", a, nameof(a));
        ReadOnlySpan<double> As = ColumnMajor.Storage(a, nameof(a));
        Span<double> d = ColumnMajor.Storage(dAThenDZ, "dA");
        for (int i = 0; i < d.Length; i++) d[i] *= As[i] * (1 - As[i]); // dZ = dA ⊙ A ⊙ (1 − A)
    }
}

internal sealed class TanhActivation : ElementwiseActivation
{
    public override string Name => "tanh";
    public override double Apply(double z) => Math.Tanh(z);
    public override double Derivative(double z)
    {
        double t = Math.Tanh(z);
        return 1 - t * t;
    }
}

internal sealed class LeakyReLUActivation(double α, string name) : ElementwiseActivation
{
    public override string Name => name;
    public override double Apply(double z) => z > 0 ? z : α * z;
    public override double Derivative(double z) => z > 0 ? 1.0 : α;

    // The same arithmetic as the entry-by-entry base class, without a virtual call per entry (ReLU is the hot path of
    // the deep lessons): A = Z where Z > 0, else αZ; dZ = dA ⊙ (1 where Z > 0, else α).
    internal override void ForwardInto(Matrix<double> z, Matrix<double> a)
    {
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

    internal override void BackwardInPlace(Matrix<double> z, Matrix<double> a, Matrix<double> dAThenDZ)
    {
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

internal sealed class SoftmaxActivation : Activation
{
    public override string Name => "softmax";

    public override Matrix<double> Forward(Matrix<double> z)
    {
        var a = Matrix<double>.Build.Dense(z.RowCount, z.ColumnCount);
        ForwardInto(z, a);
        return a;
    }

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

    // For one column: ∂a_k/∂z_i = a_k(δ_ki − a_i), so dz_i = a_i·(da_i − Σ_k da_k·a_k).
    public override Matrix<double> Backward(Matrix<double> z, Matrix<double> a, Matrix<double> dA)
    {
        var dZ = dA.Clone();
        BackwardInPlace(z, a, dZ);
        return dZ;
    }

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
