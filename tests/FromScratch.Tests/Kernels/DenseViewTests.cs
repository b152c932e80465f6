using FromScratch.Kernels;
using MathNet.Numerics.LinearAlgebra;

namespace FromScratch.Tests.Kernels;

public class DenseViewTests
{
    [Fact]
    public void Storage_is_the_matrix_itself_not_a_copy()
    {
        var m = Matrix<double>.Build.Dense(3, 4);
        double[] data = ColumnMajor.Storage(m);
        data[1 + 2 * 3] = 7.5;                 // element (1, 2) in column-major order
        Assert.Equal(7.5, m[1, 2]);
        m[2, 3] = -1;
        Assert.Equal(-1, data[2 + 3 * 3]);
        Assert.Same(data, ColumnMajor.Storage(m));
    }

    [Fact]
    public void View_of_columns_reads_the_same_elements_as_the_matrix()
    {
        var m = Matrix<double>.Build.Dense(3, 5, (i, j) => 10 * i + j);
        var view = DenseView.OfColumns(m, 2, 3);
        Assert.Equal("3×3", view.Shape);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                Assert.Equal(m[i, j + 2], view[i, j]);
    }

    [Fact]
    public void Columns_outside_the_matrix_are_refused()
    {
        var m = Matrix<double>.Build.Dense(3, 5);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => DenseView.OfColumns(m, 4, 2));
        Assert.Contains("3×5", e.Message);
        Assert.Contains("4…5", e.Message);
    }

    [Fact]
    public void A_view_larger_than_its_array_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new DenseView(new double[10], 2, 3, 3, 3));
        Assert.Contains("needs 11", e.Message);
        Assert.Contains("has 10", e.Message);
    }
}
