using System.Runtime.CompilerServices;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

[assembly: InternalsVisibleTo("FromScratch.Tests")]

namespace FromScratch.Kernels;

/// <summary>
/// A rectangular window onto column-major storage, without copying: element (i, j) lives at
/// <c>Data[Offset + i + j·Stride]</c>. This is how MathNet stores a dense matrix (column after column),
/// so a view of a whole <see cref="Matrix{T}"/> is its own array, and a view of columns
/// <c>first … first+count−1</c> (a mini-batch, one column per sample) is a contiguous piece of it.
/// </summary>
internal readonly struct DenseView
{
    /// <summary>The storage array (shared with the matrix the view came from, never a copy).</summary>
    public double[] Data { get; }

    /// <summary>Index in <see cref="Data"/> of element (0, 0).</summary>
    public int Offset { get; }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns.</summary>
    public int Columns { get; }

    /// <summary>Distance in <see cref="Data"/> from one column to the next (the "leading dimension", ≥ <see cref="Rows"/>).</summary>
    public int Stride { get; }

    /// <summary>A view of <paramref name="rows"/>×<paramref name="columns"/> elements of <paramref name="data"/>; checks that they all lie inside the array.</summary>
    public DenseView(double[] data, int offset, int rows, int columns, int stride)
    {
        ArgumentNullException.ThrowIfNull(data);
        Guard.NotNegative(offset, nameof(offset));
        Guard.NotNegative(rows, nameof(rows));
        Guard.NotNegative(columns, nameof(columns));
        if (stride < Math.Max(rows, 1))
            throw new ArgumentOutOfRangeException(nameof(stride), stride, $"stride must be at least the number of rows ({rows}), but was {stride}.");
        long end = rows == 0 || columns == 0 ? offset : offset + (long)(columns - 1) * stride + rows;
        if (end > data.Length)
            throw new ArgumentException($"A {rows}×{columns} view at offset {offset} with stride {stride} needs {end} elements, but the array has {data.Length}.", nameof(data));
        (Data, Offset, Rows, Columns, Stride) = (data, offset, rows, columns, stride);
    }

    /// <summary>Element (i, j), read through the view (for readable reference code and tests; no bounds check beyond the array's).</summary>
    public double this[int i, int j]
    {
        get => Data[Offset + i + j * Stride];
        set => Data[Offset + i + j * Stride] = value;
    }

    /// <summary>The shape written the way the lessons write it: "rows×columns".</summary>
    public string Shape => $"{Rows}×{Columns}";

    /// <summary>A view of a whole dense matrix, sharing its storage.</summary>
    public static DenseView Of(Matrix<double> matrix) =>
        new(ColumnMajor.Storage(matrix, nameof(matrix)), 0, matrix.RowCount, matrix.ColumnCount, Math.Max(matrix.RowCount, 1));

    /// <summary>
    /// A view of columns <paramref name="first"/> … <paramref name="first"/>+<paramref name="count"/>−1 of a dense matrix,
    /// sharing its storage: with one column per sample this is a mini-batch of samples, taken without copying.
    /// </summary>
    public static DenseView OfColumns(Matrix<double> matrix, int first, int count)
    {
        double[] data = ColumnMajor.Storage(matrix, nameof(matrix));
        if (first < 0 || count < 0 || first + count > matrix.ColumnCount)
            throw new ArgumentOutOfRangeException(nameof(first), first,
                $"columns {first}…{first + count - 1} are not inside a {Guard.Shape(matrix)} matrix.");
        return new(data, first * matrix.RowCount, matrix.RowCount, count, Math.Max(matrix.RowCount, 1));
    }

    /// <inheritdoc/>
    public override string ToString() => $"DenseView {Shape}";
}

/// <summary>Access to the column-major array behind a MathNet dense matrix, without copying it.</summary>
internal static class ColumnMajor
{
    /// <summary>
    /// The array MathNet keeps a dense matrix in (element (i, j) at index i + j·rows). It is the matrix's own
    /// storage (<see cref="DenseMatrix.Values"/>), not a copy: writing to it changes the matrix.
    /// Throws for sparse or diagonal matrices, whose storage is not one array.
    /// </summary>
    public static double[] Storage(Matrix<double> matrix, string name = "matrix")
    {
        ArgumentNullException.ThrowIfNull(matrix, name);
        if (matrix is DenseMatrix dense)
            return dense.Values;
        throw new ArgumentException(
            $"{name} ({Guard.Shape(matrix)}) is a {matrix.GetType().Name}; the fast kernels need a dense matrix (Matrix<double>.Build.Dense…).", name);
    }
}
