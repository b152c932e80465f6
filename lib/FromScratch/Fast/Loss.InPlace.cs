using System.Runtime.CompilerServices;
using FromScratch.Kernels;
using MathNet.Numerics.LinearAlgebra;

// The fast path of the losses (Networks/Loss.cs has the math): the same gradients, written into matrices that
// already exist, so a training step of the Trainer allocates nothing.
namespace FromScratch;

public abstract partial class Loss
{
    /// <summary>
    /// <see cref="Value"/> on the fast path: the same sum in the same order, read straight from the storage and
    /// compiled optimized from its first call (the lesson's version indexes ŷ[k, j], which runs as slow unoptimized
    /// code for the first second of a process). Equal bit for bit (tests); a loss of a learner's own keeps its Value.
    /// </summary>
    internal virtual double ValueOnStorage(Matrix<double> ŷ, Matrix<double> y) => Value(ŷ, y);

    /// <summary>
    /// <see cref="Gradient"/> written into the existing matrix <paramref name="dA"/> (same shape as Ŷ), for the
    /// training loop's preallocated buffers; the built-in losses allocate nothing.
    /// </summary>
    internal virtual void GradientInto(Matrix<double> ŷ, Matrix<double> y, Matrix<double> dA) => Gradient(ŷ, y).CopyTo(dA);

    /// <summary>
    /// <see cref="CombinedOutputGradient"/> written into <paramref name="dZ"/>: true when this pair has the shortcut
    /// dZ = Ŷ − Y (and dZ now holds it), false otherwise (dZ untouched). The built-in losses allocate nothing.
    /// </summary>
    internal virtual bool CombinedOutputGradientInto(Activation outputActivation, Matrix<double> ŷ, Matrix<double> y, Matrix<double> dZ)
    {
        var combined = CombinedOutputGradient(outputActivation, ŷ, y);
        if (combined is null) return false;
        combined.CopyTo(dZ);
        return true;
    }

    /// <summary>dZ ← Ŷ − Y into an existing matrix (the shortcut of the paired losses).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private protected static void PredictionMinusLabels(Matrix<double> ŷ, Matrix<double> y, Matrix<double> dZ)
    {
        CheckShapes(ŷ, y);
        Guard.SameShape(dZ, nameof(dZ), y, "labels Y");
        SpanArithmetic.Subtract(ColumnMajor.Storage(ŷ, nameof(ŷ)), ColumnMajor.Storage(y, nameof(y)), ColumnMajor.Storage(dZ, nameof(dZ)));
    }

    /// <summary>dA ← c·(Ŷ − Y) into an existing matrix.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private protected static void ScaledDifference(double c, Matrix<double> ŷ, Matrix<double> y, Matrix<double> dA)
    {
        CheckShapes(ŷ, y);
        Guard.SameShape(dA, nameof(dA), y, "labels Y");
        ReadOnlySpan<double> ŷs = ColumnMajor.Storage(ŷ, nameof(ŷ)), ys = ColumnMajor.Storage(y, nameof(y));
        Span<double> d = ColumnMajor.Storage(dA, nameof(dA));
        for (int i = 0; i < d.Length; i++) d[i] = c * (ŷs[i] - ys[i]);
    }

    /// <summary>Σ (y − ŷ)² over every entry, column after column (the order of SumOfSquaredDifferences).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private protected static double SumOfSquaredDifferencesOnStorage(Matrix<double> ŷ, Matrix<double> y)
    {
        CheckShapes(ŷ, y);
        ReadOnlySpan<double> ŷs = ColumnMajor.Storage(ŷ, nameof(ŷ)), ys = ColumnMajor.Storage(y, nameof(y));
        double sum = 0;
        for (int i = 0; i < ys.Length; i++)
        {
            double d = ys[i] - ŷs[i];
            sum += d * d;
        }
        return sum;
    }
}

internal sealed partial class MeanSquaredErrorLoss
{
    internal override double ValueOnStorage(Matrix<double> ŷ, Matrix<double> y) => SumOfSquaredDifferencesOnStorage(ŷ, y) / y.ColumnCount;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override void GradientInto(Matrix<double> ŷ, Matrix<double> y, Matrix<double> dA) => ScaledDifference(2.0, ŷ, y, dA);
}

internal sealed partial class SumOfSquaresLoss
{
    internal override double ValueOnStorage(Matrix<double> ŷ, Matrix<double> y) => SumOfSquaredDifferencesOnStorage(ŷ, y);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override void GradientInto(Matrix<double> ŷ, Matrix<double> y, Matrix<double> dA) => ScaledDifference(2.0 * y.ColumnCount, ŷ, y, dA);
}

internal sealed partial class BinaryCrossEntropyLoss
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override double ValueOnStorage(Matrix<double> ŷ, Matrix<double> y)
    {
        CheckShapes(ŷ, y);
        ReadOnlySpan<double> ŷs = ColumnMajor.Storage(ŷ, nameof(ŷ)), ys = ColumnMajor.Storage(y, nameof(y));
        double sum = 0;
        for (int i = 0; i < ys.Length; i++)
        {
            double p = Clamp(ŷs[i]);
            sum += ys[i] * Math.Log(p) + (1 - ys[i]) * Math.Log(1 - p);
        }
        return -sum / y.ColumnCount;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override bool CombinedOutputGradientInto(Activation outputActivation, Matrix<double> ŷ, Matrix<double> y, Matrix<double> dZ)
    {
        if (outputActivation != Activation.Sigmoid) return false;
        PredictionMinusLabels(ŷ, y, dZ);
        return true;
    }
}

internal sealed partial class SoftmaxCrossEntropyLoss
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override double ValueOnStorage(Matrix<double> ŷ, Matrix<double> y)
    {
        CheckShapes(ŷ, y);
        ReadOnlySpan<double> ŷs = ColumnMajor.Storage(ŷ, nameof(ŷ)), ys = ColumnMajor.Storage(y, nameof(y));
        double sum = 0;
        for (int i = 0; i < ys.Length; i++)
            if (ys[i] != 0) sum += ys[i] * Math.Log(Math.Max(ŷs[i], Epsilon));
        return -sum / y.ColumnCount;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override bool CombinedOutputGradientInto(Activation outputActivation, Matrix<double> ŷ, Matrix<double> y, Matrix<double> dZ)
    {
        if (outputActivation != Activation.Softmax) return false;
        if (!ColumnsSumToOne(y)) CheckColumnsSumToOne(y); // the lesson's check throws, naming the column
        PredictionMinusLabels(ŷ, y, dZ);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool ColumnsSumToOne(Matrix<double> y)
    {
        ReadOnlySpan<double> ys = ColumnMajor.Storage(y, nameof(y));
        int rows = y.RowCount;
        for (int j = 0; j < y.ColumnCount; j++)
        {
            double sum = 0;
            for (int k = 0; k < rows; k++) sum += ys[j * rows + k];
            if (!(Math.Abs(sum - 1) <= 1e-9)) return false;
        }
        return true;
    }
}
