using MathNet.Numerics.LinearAlgebra;

namespace FromScratch.Tests;

/// <summary>Small helpers to write matrices in tests the way they are printed.</summary>
internal static class TestMatrices
{
    public static Matrix<double> M(double[,] values) => Matrix<double>.Build.DenseOfArray(values);

    /// <summary>A rows × columns matrix of seeded normal numbers with the given scale.</summary>
    public static Matrix<double> RandomMatrix(int rows, int columns, int seed, double scale = 1.0)
    {
        var random = new Random(seed);
        return Matrix<double>.Build.Dense(rows, columns, (_, _) => RandomNumbers.Normal(random, 0, scale));
    }

    /// <summary>One-hot labels for m samples with random classes.</summary>
    public static Matrix<double> RandomOneHot(int classes, int m, int seed)
    {
        var random = new Random(seed);
        return OneHot.Encode(Enumerable.Range(0, m).Select(_ => random.Next(classes)).ToArray(), classes);
    }

    /// <summary>Random 0/1 labels.</summary>
    public static Matrix<double> RandomBinary(int rows, int m, int seed)
    {
        var random = new Random(seed);
        return Matrix<double>.Build.Dense(rows, m, (_, _) => random.Next(2));
    }

    public static bool BitIdentical(Matrix<double> a, Matrix<double> b) =>
        a.RowCount == b.RowCount && a.ColumnCount == b.ColumnCount &&
        a.Enumerate().Zip(b.Enumerate()).All(p => BitConverter.DoubleToInt64Bits(p.First) == BitConverter.DoubleToInt64Bits(p.Second));
}
