using MathNet.Numerics.LinearAlgebra;

namespace FromScratch;

/// <summary>
/// Argument checks that fail early with a message a learner can act on:
/// every message names the parameter and the value (or both shapes) that were wrong.
/// </summary>
internal static class Guard
{
    /// <summary>Throws unless <paramref name="value"/> is a finite number greater than zero (e.g. a learning rate η).</summary>
    public static void Positive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number > 0, but was {Format(value)}.");
    }

    /// <summary>Throws unless <paramref name="value"/> ≥ 1 (e.g. a batch size).</summary>
    public static void AtLeastOne(int value, string name)
    {
        if (value < 1)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1, but was {value}.");
    }

    /// <summary>Throws if <paramref name="value"/> is negative (e.g. a number of epochs).</summary>
    public static void NotNegative(int value, string name)
    {
        if (value < 0)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must not be negative, but was {value}.");
    }

    /// <summary>Throws unless 0 ≤ <paramref name="value"/> &lt; 1 (e.g. a decay rate β of a moving average).</summary>
    public static void InUnitInterval(double value, string name)
    {
        if (!(value >= 0 && value < 1))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1), but was {Format(value)}.");
    }

    /// <summary>Throws unless the two matrices have exactly the same shape; the message names both.</summary>
    public static void SameShape(Matrix<double> a, string aName, Matrix<double> b, string bName)
    {
        if (a.RowCount != b.RowCount || a.ColumnCount != b.ColumnCount)
            throw new ArgumentException($"{aName} is {Shape(a)} but {bName} is {Shape(b)}; they must have the same shape.");
    }

    /// <summary>A shape written the way the lessons write it: "rows×columns".</summary>
    public static string Shape(Matrix<double> m) => $"{m.RowCount}×{m.ColumnCount}";

    private static string Format(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
