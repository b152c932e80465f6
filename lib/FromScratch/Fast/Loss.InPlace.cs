using FromScratch.Kernels;
using MathNet.Numerics.LinearAlgebra;

// The fast path of the losses (Networks/Loss.cs has the math): the same gradients, written into matrices that
// already exist, so a training step of the Trainer allocates nothing.
namespace FromScratch;

public abstract partial class Loss
{
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
    private protected static void PredictionMinusLabels(Matrix<double> ŷ, Matrix<double> y, Matrix<double> dZ)
    {
        CheckShapes(ŷ, y);
        Guard.SameShape(dZ, nameof(dZ), y, "labels Y");
        System.Numerics.Tensors.TensorPrimitives.Subtract(ColumnMajor.Storage(ŷ, nameof(ŷ)), ColumnMajor.Storage(y, nameof(y)), ColumnMajor.Storage(dZ, nameof(dZ)));
    }

    /// <summary>dA ← c·(Ŷ − Y) into an existing matrix.</summary>
    private protected static void ScaledDifference(double c, Matrix<double> ŷ, Matrix<double> y, Matrix<double> dA)
    {
        CheckShapes(ŷ, y);
        Guard.SameShape(dA, nameof(dA), y, "labels Y");
        for (int j = 0; j < y.ColumnCount; j++)
            for (int k = 0; k < y.RowCount; k++)
                dA[k, j] = c * (ŷ[k, j] - y[k, j]);
    }
}

internal sealed partial class MeanSquaredErrorLoss
{
    internal override void GradientInto(Matrix<double> ŷ, Matrix<double> y, Matrix<double> dA) => ScaledDifference(2.0, ŷ, y, dA);
}

internal sealed partial class SumOfSquaresLoss
{
    internal override void GradientInto(Matrix<double> ŷ, Matrix<double> y, Matrix<double> dA) => ScaledDifference(2.0 * y.ColumnCount, ŷ, y, dA);
}

internal sealed partial class BinaryCrossEntropyLoss
{
    internal override bool CombinedOutputGradientInto(Activation outputActivation, Matrix<double> ŷ, Matrix<double> y, Matrix<double> dZ)
    {
        if (outputActivation != Activation.Sigmoid) return false;
        PredictionMinusLabels(ŷ, y, dZ);
        return true;
    }
}

internal sealed partial class SoftmaxCrossEntropyLoss
{
    internal override bool CombinedOutputGradientInto(Activation outputActivation, Matrix<double> ŷ, Matrix<double> y, Matrix<double> dZ)
    {
        if (outputActivation != Activation.Softmax) return false;
        CheckColumnsSumToOne(y);
        PredictionMinusLabels(ŷ, y, dZ);
        return true;
    }
}
