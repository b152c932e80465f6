using MathNet.Numerics.LinearAlgebra;

// Lessons 4–9: zero-mean (and unit-variance) inputs, fitted on the training data only.
namespace FromScratch;

/// <summary>What a <see cref="Standardizer"/> does to each feature.</summary>
public enum StandardizationMode
{
    /// <summary>x − μ: subtract the training mean (the lesson's "zero-mean inputs").</summary>
    ZeroMean,
    /// <summary>(x − μ) / σ: zero mean and unit standard deviation.</summary>
    Standardize,
}

/// <summary>
/// Input normalization with statistics learned from the TRAINING data only. <see cref="Fit"/> measures, for each
/// feature (row of X, one column per sample), the mean μ and the population standard deviation
/// σ = √((1/m)·Σ (x − μ)²). <see cref="Transform"/> then applies those same μ and σ to any data — training, test or
/// a single person at inference — never the new batch's own statistics.
/// </summary>
public sealed class Standardizer
{
    private Vector<double>? mean;
    private Vector<double>? std;

    /// <summary>A standardizer in the given mode; call <see cref="Fit"/> before <see cref="Transform"/>.</summary>
    public Standardizer(StandardizationMode mode = StandardizationMode.Standardize) => Mode = mode;

    /// <summary>Zero-mean only, or full standardization.</summary>
    public StandardizationMode Mode { get; }

    /// <summary>True after <see cref="Fit"/>.</summary>
    public bool IsFitted => mean is not null;

    /// <summary>μ of every feature, from the training data.</summary>
    public Vector<double> Mean => mean ?? throw NotFitted();

    /// <summary>
    /// σ of every feature, from the training data (population formula, divides by m; lesson 4 writes it s, since σ is
    /// the sigmoid there). Measured in both modes, so a <see cref="StandardizationMode.ZeroMean"/> standardizer also
    /// reports 0 for a constant feature (or a single sample) instead of refusing it.
    /// </summary>
    public Vector<double> StandardDeviation => std ?? throw NotFitted();

    /// <summary>Measures μ and σ of every row of the training data <paramref name="x"/> (n_features × m). Returns this.</summary>
    public Standardizer Fit(Matrix<double> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.ColumnCount == 0) throw new ArgumentException("Cannot fit a standardizer on 0 samples.", nameof(x));
        int m = x.ColumnCount;
        var μ = x.RowSums() / m;
        var σ = Vector<double>.Build.Dense(x.RowCount, i =>
        {
            double sum = 0;
            for (int j = 0; j < m; j++) sum += (x[i, j] - μ[i]) * (x[i, j] - μ[i]);
            return Math.Sqrt(sum / m);
        });
        for (int i = 0; i < x.RowCount; i++)
        {
            if (!double.IsFinite(μ[i]) || !double.IsFinite(σ[i]))
                throw new ArgumentException($"Feature {i} (row {i}) contains NaN or ±∞; clean the data before fitting.", nameof(x));
            if (Mode == StandardizationMode.Standardize && σ[i] == 0)
                throw new ArgumentException($"Feature {i} (row {i}) is constant ({μ[i]:R}) in the training data, so its standard deviation is 0 and dividing by it is undefined. Drop it or use ZeroMean.", nameof(x));
        }
        mean = μ;
        std = σ;
        return this;
    }

    /// <summary>(x − μ) or (x − μ)/σ for every column of <paramref name="x"/>, with the TRAINING μ and σ.</summary>
    public Matrix<double> Transform(Matrix<double> x)
    {
        CheckNewData(x, nameof(x));
        var μ = Mean;
        var σ = StandardDeviation;
        return Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount, (i, j) =>
            Mode == StandardizationMode.ZeroMean ? x[i, j] - μ[i] : (x[i, j] - μ[i]) / σ[i]);
    }

    /// <summary>Undoes <see cref="Transform"/>: x = x'·σ + μ (or x' + μ).</summary>
    public Matrix<double> InverseTransform(Matrix<double> transformed)
    {
        CheckNewData(transformed, nameof(transformed));
        var μ = Mean;
        var σ = StandardDeviation;
        return Matrix<double>.Build.Dense(transformed.RowCount, transformed.ColumnCount, (i, j) =>
            Mode == StandardizationMode.ZeroMean ? transformed[i, j] + μ[i] : transformed[i, j] * σ[i] + μ[i]);
    }

    /// <summary>Data to transform must have one row per fitted feature and only finite numbers (a NaN would pass on silently).</summary>
    private void CheckNewData(Matrix<double> x, string name)
    {
        ArgumentNullException.ThrowIfNull(x, name);
        int features = Mean.Count;
        if (x.RowCount != features)
            throw new ArgumentException($"X is {Guard.Shape(x)} but the standardizer was fitted on {features} features (rows).", name);
        for (int j = 0; j < x.ColumnCount; j++)
            for (int i = 0; i < features; i++)
                if (!double.IsFinite(x[i, j]))
                    throw new ArgumentException($"X has {Check.Format(x[i, j])} at feature {i} (row {i}), sample {j} (column {j}); clean the data before transforming it.", name);
    }

    /// <summary><see cref="Fit"/> on <paramref name="x"/>, then <see cref="Transform"/> it.</summary>
    public Matrix<double> FitTransform(Matrix<double> x) => Fit(x).Transform(x);

    private static InvalidOperationException NotFitted() =>
        new("The standardizer has not been fitted: call Fit on the training data first.");
}
