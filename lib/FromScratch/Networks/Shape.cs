using MathNet.Numerics.LinearAlgebra;

// Lessons 8, 11, 12: shapes written rows×columns.
namespace FromScratch;

/// <summary>
/// Shapes written the way lessons 11 and 12 write them, rows×columns: <c>Shape.Of(X)</c> is "64×1797" for the
/// digits (64 pixels, one column per sample). Print the shapes of a layer's W, b, Z and A to see the convention.
/// </summary>
public static class Shape
{
    /// <summary>"rows×columns" of <paramref name="m"/>, e.g. "4×3" for W of a layer with 3 inputs and 4 units.</summary>
    public static string Of(Matrix<double> m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return Guard.Shape(m);
    }
}
