using MathNet.Numerics.LinearAlgebra;

// Lessons 1 and 4 (the squared error), 9 (binary cross-entropy), 10 (softmax cross-entropy and dZ = Ŷ − Y).
// The Trainer's in-place twins of Gradient (no new matrix per step) are in Fast/Loss.InPlace.cs.
namespace FromScratch;

/// <summary>
/// A loss E(Ŷ, Y): one number saying how wrong the predictions Ŷ are for the labels Y
/// (both n_outputs × m, one column per sample).
/// <para>
/// Where the 1/m lives (one convention for the whole library, as in Andrew Ng's notes):
/// <see cref="Gradient"/> returns dA^[L] = m·∂E/∂Ŷ, i.e. for a mean loss E = (1/m)·Σᵢ L⁽ⁱ⁾ the
/// per-sample derivative ∂L⁽ⁱ⁾/∂ŷ⁽ⁱ⁾ in column i, WITHOUT the 1/m. The 1/m is applied exactly once,
/// in <see cref="Dense.Backward"/>: dW = (1/m)·dZ·A_prevᵀ, db = (1/m)·Σ dZ. So dW and db are the true
/// gradients ∂E/∂W and ∂E/∂b of the loss reported by <see cref="Value"/>.
/// </para>
/// </summary>
public abstract partial class Loss
{
    /// <summary>The loss's name as the lessons write it.</summary>
    public abstract string Name { get; }

    /// <summary>E(Ŷ, Y), the number the lessons plot.</summary>
    public abstract double Value(Matrix<double> ŷ, Matrix<double> y);

    /// <summary>dA^[L] = m·∂E/∂Ŷ (per-sample derivative, no 1/m; see the class remarks).</summary>
    public abstract Matrix<double> Gradient(Matrix<double> ŷ, Matrix<double> y);

    /// <summary>
    /// For an output activation and loss that belong together (softmax with softmax cross-entropy,
    /// sigmoid with binary cross-entropy) the gradient with respect to the output layer's Z simplifies to
    /// dZ = Ŷ − Y (per sample). Returns that dZ, or null when this pair has no such shortcut.
    /// </summary>
    public virtual Matrix<double>? CombinedOutputGradient(Activation outputActivation, Matrix<double> ŷ, Matrix<double> y) => null;

    /// <summary>Σ over every entry of (y − ŷ)², column after column (no temporary matrix).</summary>
    private protected static double SumOfSquaredDifferences(Matrix<double> ŷ, Matrix<double> y)
    {
        double sum = 0;
        for (int j = 0; j < y.ColumnCount; j++)
            for (int k = 0; k < y.RowCount; k++)
            {
                double d = y[k, j] - ŷ[k, j];
                sum += d * d;
            }
        return sum;
    }

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>Mean squared error E = (1/m)·Σᵢ Σₖ (y_k⁽ⁱ⁾ − ŷ_k⁽ⁱ⁾)²: the squared error summed over outputs, averaged over the m samples.</summary>
    public static Loss MeanSquaredError { get; } = new MeanSquaredErrorLoss();

    /// <summary>Sum of squares E = Σᵢ Σₖ (y_k⁽ⁱ⁾ − ŷ_k⁽ⁱ⁾)², no averaging (the intro lesson's loss).</summary>
    public static Loss SumOfSquares { get; } = new SumOfSquaresLoss();

    /// <summary>
    /// Binary cross-entropy E = −(1/m)·Σ [y·log ŷ + (1 − y)·log(1 − ŷ)], with ŷ clamped to
    /// [ε, 1 − ε] (ε = 1e-15) so log never sees 0. Labels are 0 or 1 (one row, or several independent rows).
    /// </summary>
    public static Loss BinaryCrossEntropy { get; } = new BinaryCrossEntropyLoss();

    /// <summary>
    /// Softmax (categorical) cross-entropy E = −(1/m)·Σᵢ Σₖ y_k⁽ⁱ⁾·log ŷ_k⁽ⁱ⁾ for one-hot columns Y,
    /// with ŷ clamped to ≥ ε (ε = 1e-15). After a softmax output layer the gradient is dZ = Ŷ − Y; that shortcut
    /// needs every column of Y to sum to 1, and a column that does not is an error naming the sample.
    /// </summary>
    public static Loss SoftmaxCrossEntropy { get; } = new SoftmaxCrossEntropyLoss();

    /// <summary>The clamp ε used by the cross-entropy losses.</summary>
    public const double Epsilon = 1e-15;

    /// <summary>Checks that predictions and labels have the same shape and at least one sample.</summary>
    protected static void CheckShapes(Matrix<double> ŷ, Matrix<double> y)
    {
        Guard.SameShape(ŷ, "predictions Ŷ", y, "labels Y");
        if (ŷ.ColumnCount == 0) throw new ArgumentException("Ŷ and Y have no samples (0 columns).");
    }
}

internal sealed partial class MeanSquaredErrorLoss : Loss
{
    public override string Name => "mean squared error";

    public override double Value(Matrix<double> ŷ, Matrix<double> y)
    {
        CheckShapes(ŷ, y);
        return SumOfSquaredDifferences(ŷ, y) / y.ColumnCount;
    }

    // L⁽ⁱ⁾ = Σₖ (y_k − ŷ_k)²  ⇒  ∂L⁽ⁱ⁾/∂ŷ = 2·(ŷ − y)
    public override Matrix<double> Gradient(Matrix<double> ŷ, Matrix<double> y)
    {
        CheckShapes(ŷ, y);
        return 2.0 * (ŷ - y);
    }
}

internal sealed partial class SumOfSquaresLoss : Loss
{
    public override string Name => "sum of squares";

    public override double Value(Matrix<double> ŷ, Matrix<double> y)
    {
        CheckShapes(ŷ, y);
        return SumOfSquaredDifferences(ŷ, y);
    }

    // E = Σ (y − ŷ)² ⇒ ∂E/∂ŷ = 2·(ŷ − y); the library convention returns m·∂E/∂Ŷ.
    public override Matrix<double> Gradient(Matrix<double> ŷ, Matrix<double> y)
    {
        CheckShapes(ŷ, y);
        return (2.0 * y.ColumnCount) * (ŷ - y);
    }
}

internal sealed partial class BinaryCrossEntropyLoss : Loss
{
    public override string Name => "binary cross-entropy";

    private static double Clamp(double p) => Math.Clamp(p, Epsilon, 1 - Epsilon);

    public override double Value(Matrix<double> ŷ, Matrix<double> y)
    {
        CheckShapes(ŷ, y);
        double sum = 0;
        for (int j = 0; j < y.ColumnCount; j++)
            for (int k = 0; k < y.RowCount; k++)
            {
                double p = Clamp(ŷ[k, j]);
                sum += y[k, j] * Math.Log(p) + (1 - y[k, j]) * Math.Log(1 - p);
            }
        return -sum / y.ColumnCount;
    }

    // ∂L/∂ŷ = −y/ŷ + (1 − y)/(1 − ŷ) = (ŷ − y) / (ŷ(1 − ŷ))
    public override Matrix<double> Gradient(Matrix<double> ŷ, Matrix<double> y)
    {
        CheckShapes(ŷ, y);
        return Matrix<double>.Build.Dense(y.RowCount, y.ColumnCount, (k, j) =>
        {
            double p = Clamp(ŷ[k, j]);
            return (p - y[k, j]) / (p * (1 - p));
        });
    }

    // σ'(z) = ŷ(1 − ŷ) cancels the denominator: dZ = Ŷ − Y.
    public override Matrix<double>? CombinedOutputGradient(Activation outputActivation, Matrix<double> ŷ, Matrix<double> y)
    {
        if (outputActivation != Activation.Sigmoid) return null;
        CheckShapes(ŷ, y);
        return ŷ - y;
    }
}

internal sealed partial class SoftmaxCrossEntropyLoss : Loss
{
    public override string Name => "softmax cross-entropy";

    public override double Value(Matrix<double> ŷ, Matrix<double> y)
    {
        CheckShapes(ŷ, y);
        double sum = 0;
        for (int j = 0; j < y.ColumnCount; j++)
            for (int k = 0; k < y.RowCount; k++)
                if (y[k, j] != 0) sum += y[k, j] * Math.Log(Math.Max(ŷ[k, j], Epsilon));
        return -sum / y.ColumnCount;
    }

    // ∂L/∂ŷ_k = −y_k / ŷ_k
    public override Matrix<double> Gradient(Matrix<double> ŷ, Matrix<double> y)
    {
        CheckShapes(ŷ, y);
        return Matrix<double>.Build.Dense(y.RowCount, y.ColumnCount, (k, j) => -y[k, j] / Math.Max(ŷ[k, j], Epsilon));
    }

    // With ŷ = softmax(z): dz_i = ŷ_i·Σₖ y_k − y_i, which is dZ = Ŷ − Y because every label column sums to 1.
    public override Matrix<double>? CombinedOutputGradient(Activation outputActivation, Matrix<double> ŷ, Matrix<double> y)
    {
        if (outputActivation != Activation.Softmax) return null;
        CheckShapes(ŷ, y);
        CheckColumnsSumToOne(y);
        return ŷ - y;
    }

    /// <summary>The shortcut dZ = Ŷ − Y needs Σₖ y_k = 1 in every column (one-hot or probabilities); otherwise it would be a wrong gradient.</summary>
    private static void CheckColumnsSumToOne(Matrix<double> y)
    {
        for (int j = 0; j < y.ColumnCount; j++)
        {
            double sum = 0;
            for (int k = 0; k < y.RowCount; k++) sum += y[k, j];
            if (!(Math.Abs(sum - 1) <= 1e-9))
                throw new ArgumentException(
                    $"Softmax cross-entropy after a softmax output uses dZ = Ŷ − Y, which needs every label column to sum to 1 (one-hot, see OneHot.Encode), " +
                    $"but sample {j} (column {j} of Y) sums to {sum.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)}.");
        }
    }
}
