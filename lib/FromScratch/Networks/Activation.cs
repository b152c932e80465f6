using MathNet.Numerics.LinearAlgebra;

// Lessons 3–4 (the sigmoid σ and its slope σ′), 9 (ReLU, the hard sigmoid), 9 (g and g′ of a layer), 10 (softmax).
// The Trainer's in-place twins of Forward and Backward (no new matrix per step) are in Fast/Activation.InPlace.cs.
namespace FromScratch;

/// <summary>
/// An activation function g applied to a layer's pre-activation Z to give its output A = g(Z).
/// Matrices hold ONE COLUMN PER SAMPLE, so Z and A are n_l × m.
/// <see cref="Backward"/> turns the gradient dA = ∂E/∂A into dZ = ∂E/∂Z.
/// </summary>
public abstract partial class Activation
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

    /// <summary>
    /// Lesson 9's hard sigmoid hard(x; p, q, h) = h·min(1, max(0, (x − p)/(q − p))): 0 up to x = p, a straight ramp to
    /// height h at x = q, then h (h may be negative). Throws unless p &lt; q, both finite.
    /// </summary>
    public static double HardSigmoidOf(double x, double p, double q, double h)
    {
        if (!(double.IsFinite(p) && double.IsFinite(q) && p < q))
            throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"A hard sigmoid ramps from x = p up to x = q, so it needs finite p < q, but p = {p:R} and q = {q:R}."));
        return h * Math.Clamp((x - p) / (q - p), 0.0, 1.0);
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
internal abstract partial class ElementwiseActivation : Activation
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
}

internal sealed class IdentityActivation : ElementwiseActivation
{
    public override string Name => "identity";
    public override double Apply(double z) => z;
    public override double Derivative(double z) => 1.0;
}

internal sealed partial class SigmoidActivation : ElementwiseActivation
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

internal sealed partial class LeakyReLUActivation(double α, string name) : ElementwiseActivation
{
    public override string Name => name;
    public override double Apply(double z) => z > 0 ? z : α * z;
    public override double Derivative(double z) => z > 0 ? 1.0 : α;

    /// <summary>The slope α for z ≤ 0 (0 for ReLU).</summary>
    internal double Alpha => α;
}

internal sealed partial class SoftmaxActivation : Activation
{
    public override string Name => "softmax";

    // Column j holds one sample's scores z; its output is a_k = e^(z_k − max z) / Σ_i e^(z_i − max z).
    public override Matrix<double> Forward(Matrix<double> z)
    {
        var a = Matrix<double>.Build.Dense(z.RowCount, z.ColumnCount);
        for (int j = 0; j < z.ColumnCount; j++)
        {
            double max = double.NegativeInfinity;
            for (int k = 0; k < z.RowCount; k++) max = Math.Max(max, z[k, j]);
            double sum = 0;
            for (int k = 0; k < z.RowCount; k++)
            {
                a[k, j] = Math.Exp(z[k, j] - max); // e^(z_k − max z) ≤ 1: never overflows
                sum += a[k, j];
            }
            for (int k = 0; k < z.RowCount; k++) a[k, j] /= sum;
        }
        return a;
    }

    // For one column: ∂a_k/∂z_i = a_k(δ_ki − a_i), so dz_i = a_i·(da_i − Σ_k da_k·a_k).
    public override Matrix<double> Backward(Matrix<double> z, Matrix<double> a, Matrix<double> dA)
    {
        Guard.SameShape(dA, nameof(dA), a, nameof(a));
        var dZ = Matrix<double>.Build.Dense(a.RowCount, a.ColumnCount);
        for (int j = 0; j < a.ColumnCount; j++)
        {
            double dot = 0;
            for (int k = 0; k < a.RowCount; k++) dot += dA[k, j] * a[k, j]; // Σ_k da_k·a_k
            for (int i = 0; i < a.RowCount; i++) dZ[i, j] = a[i, j] * (dA[i, j] - dot);
        }
        return dZ;
    }
}
