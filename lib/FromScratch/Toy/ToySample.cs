using MathNet.Numerics.LinearAlgebra;

// Lessons 1–5: one person (x1 = weight, x2 = height, y = 1 for female) and the toy network's named parameters.
namespace FromScratch;

/// <summary>One labelled person of the running example: features x1 (weight), x2 (height) and label y (female = 1).</summary>
/// <param name="X1">First input, e.g. weight.</param>
/// <param name="X2">Second input, e.g. height.</param>
/// <param name="Y">The label y (1 = female, 0 = male).</param>
public readonly record struct ToySample(double X1, double X2, double Y)
{
    /// <summary>The samples as matrices with one column per sample: X is 2 × m, Y is 1 × m.</summary>
    public static (Matrix<double> X, Matrix<double> Y) ToMatrices(IReadOnlyList<ToySample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var x = Matrix<double>.Build.Dense(2, samples.Count, (r, j) => r == 0 ? samples[j].X1 : samples[j].X2);
        var y = Matrix<double>.Build.Dense(1, samples.Count, (_, j) => samples[j].Y);
        return (x, y);
    }

    /// <summary>Samples from X (2 × m) and Y (1 × m), e.g. after a <see cref="Standardizer"/> transformed X.</summary>
    public static ToySample[] FromMatrices(Matrix<double> x, Matrix<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.RowCount != 2 || y.RowCount != 1 || x.ColumnCount != y.ColumnCount)
            throw new ArgumentException($"X must be 2×m and Y 1×m with the same m, but X is {Guard.Shape(x)} and Y is {Guard.Shape(y)}.");
        return Enumerable.Range(0, x.ColumnCount).Select(j => new ToySample(x[0, j], x[1, j], y[0, j])).ToArray();
    }
}

/// <summary>One named parameter of the <see cref="ToyNetwork"/> ("w31", "b5", ...), readable and writable.</summary>
/// <param name="Name">The lesson's name, e.g. "w31".</param>
/// <param name="Get">Reads the parameter's current value.</param>
/// <param name="Set">Writes a new value.</param>
public sealed record ToyParameter(string Name, Func<double> Get, Action<double> Set);

/// <summary>How <see cref="ToyNetwork.Train(IReadOnlyList{ToySample}, double, int, ToyUpdateMode, double?, string)"/> uses the samples.</summary>
internal enum ToyUpdateMode
{
    /// <summary>
    /// One update per sample, in the given order and never shuffled (the source lessons call it stochastic; lesson 6's
    /// stochastic gradient descent also reshuffles the samples every epoch).
    /// </summary>
    PerSample,
    /// <summary>Batch gradient descent: one update per epoch with the gradient of the mean loss over all samples.</summary>
    FullBatch,
}
