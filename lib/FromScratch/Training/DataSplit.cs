using MathNet.Numerics.LinearAlgebra;

// Lessons 4, 6–12: seeded shuffle and train/test split; one-hot labels.
namespace FromScratch;

/// <summary>A data set split in two: training columns and test columns (one column per sample).</summary>
/// <param name="XTrain">Training features, n_features × m_train.</param>
/// <param name="YTrain">Training labels, n_outputs × m_train.</param>
/// <param name="XTest">Test features, n_features × m_test.</param>
/// <param name="YTest">Test labels, n_outputs × m_test.</param>
public sealed record TrainTestSplit(Matrix<double> XTrain, Matrix<double> YTrain, Matrix<double> XTest, Matrix<double> YTest);

/// <summary>Shuffling and splitting data sets whose samples are columns; X and Y always move together.</summary>
public static class DataSplit
{
    /// <summary>X and Y with their columns in the same random order, drawn from Random(<paramref name="seed"/>).</summary>
    public static (Matrix<double> X, Matrix<double> Y) Shuffle(Matrix<double> x, Matrix<double> y, int seed)
    {
        CheckSameSamples(x, y);
        var order = RandomNumbers.Permutation(RandomNumbers.Create(seed), x.ColumnCount);
        return (Columns(x, order), Columns(y, order));
    }

    /// <summary>
    /// Shuffles (seeded) and splits off round(<paramref name="testFraction"/>·m) columns as the test set;
    /// both parts keep at least one sample.
    /// </summary>
    public static TrainTestSplit TrainTest(Matrix<double> x, Matrix<double> y, double testFraction, int seed)
    {
        CheckSameSamples(x, y);
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, $"testFraction must be in (0, 1), but was {testFraction:R}.");
        int m = x.ColumnCount;
        int testCount = (int)Math.Round(testFraction * m);
        if (testCount < 1 || testCount > m - 1)
            throw new ArgumentException($"testFraction {testFraction:R} of {m} samples leaves {testCount} test and {m - testCount} training samples; both need at least 1.");
        var order = RandomNumbers.Permutation(RandomNumbers.Create(seed), m);
        var train = order[..(m - testCount)];
        var test = order[(m - testCount)..];
        return new TrainTestSplit(Columns(x, train), Columns(y, train), Columns(x, test), Columns(y, test));
    }

    /// <summary>The columns of <paramref name="m"/> at <paramref name="indices"/>, in that order.</summary>
    public static Matrix<double> Columns(Matrix<double> m, IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(m);
        ArgumentNullException.ThrowIfNull(indices);
        var result = Matrix<double>.Build.Dense(m.RowCount, indices.Count);
        for (int j = 0; j < indices.Count; j++)
        {
            if (indices[j] < 0 || indices[j] >= m.ColumnCount)
                throw new ArgumentOutOfRangeException(nameof(indices), indices[j], $"Column {indices[j]} does not exist in a {Guard.Shape(m)} matrix.");
            result.SetColumn(j, m.Column(indices[j]));
        }
        return result;
    }

    internal static void CheckSameSamples(Matrix<double> x, Matrix<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.ColumnCount != y.ColumnCount)
            throw new ArgumentException($"X is {Guard.Shape(x)} but Y is {Guard.Shape(y)}: they must have the same number of columns (one per sample).");
        if (x.ColumnCount == 0) throw new ArgumentException("X and Y have no samples (0 columns).");
    }
}

/// <summary>One-hot encoding of class labels as columns.</summary>
public static class OneHot
{
    /// <summary>A <paramref name="classCount"/> × m matrix with a 1 in row labels[j] of column j and 0 elsewhere.</summary>
    public static Matrix<double> Encode(IReadOnlyList<int> labels, int classCount)
    {
        ArgumentNullException.ThrowIfNull(labels);
        Guard.AtLeastOne(classCount, nameof(classCount));
        var y = Matrix<double>.Build.Dense(classCount, labels.Count);
        for (int j = 0; j < labels.Count; j++)
        {
            if (labels[j] < 0 || labels[j] >= classCount)
                throw new ArgumentOutOfRangeException(nameof(labels), labels[j], $"Label {labels[j]} of sample {j} is outside 0 … {classCount - 1}.");
            y[labels[j], j] = 1;
        }
        return y;
    }

    /// <summary>The class of every column: the row of its largest entry.</summary>
    public static int[] Decode(Matrix<double> y)
    {
        ArgumentNullException.ThrowIfNull(y);
        var labels = new int[y.ColumnCount];
        for (int j = 0; j < y.ColumnCount; j++) labels[j] = y.Column(j).MaximumIndex();
        return labels;
    }
}
