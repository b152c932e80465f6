using FromScratch.Kernels;
using MathNet.Numerics.LinearAlgebra;

namespace FromScratch.Tests.Kernels;

[Collection("Allocation")]
public class VectorKernelTests
{
    private static Matrix<double> Random(int rows, int columns, Random rng) =>
        Matrix<double>.Build.Dense(rows, columns, (_, _) => 2 * rng.NextDouble() - 1);

    /// <summary>Shapes with element counts below, at and above multiples of the vector widths 4 and 8.</summary>
    public static TheoryData<int, int> Shapes => new() { { 1, 1 }, { 2, 2 }, { 3, 1 }, { 5, 3 }, { 4, 8 }, { 17, 9 }, { 32, 32 }, { 128, 64 }, { 10, 64 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Bias_add_equals_reference_bit_for_bit(int n, int m)
    {
        var rng = new Random(n * 100 + m);
        var z = Random(n, m, rng);
        var b = Random(n, 1, rng);
        var expected = z.Clone();
        ReferenceVectorKernels.AddBiasToColumns(expected, b);
        var before = z.Clone();
        VectorKernels.AddBiasToColumns(z, b);
        Assert.Equal(expected.ToColumnMajorArray(), z.ToColumnMajorArray());
        Assert.Equal(before[n - 1, m - 1] + b[n - 1, 0], z[n - 1, m - 1]); // and the reference does what it says
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Row_sums_equal_reference_bit_for_bit(int n, int m)
    {
        var rng = new Random(n * 100 + m + 1);
        var dZ = Random(n, m, rng);
        var expected = Matrix<double>.Build.Dense(n, 1, double.NaN);
        var actual = Matrix<double>.Build.Dense(n, 1, double.NaN);
        ReferenceVectorKernels.RowSums(dZ, 1.0 / m, expected);
        VectorKernels.RowSums(dZ, 1.0 / m, actual);
        Assert.Equal(expected.ToColumnMajorArray(), actual.ToColumnMajorArray());
        Assert.Equal(dZ.Row(0).Sum() / m, actual[0, 0], 1e-14);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Axpy_and_elementwise_product_equal_reference_bit_for_bit(int n, int m)
    {
        var rng = new Random(n * 100 + m + 2);
        var x = Random(n, m, rng);
        var y = Random(n, m, rng);
        var expected = y.Clone();
        var actual = y.Clone();
        ReferenceVectorKernels.Axpy(-0.3, x, expected);
        VectorKernels.Axpy(-0.3, x, actual);
        Assert.Equal(expected.ToColumnMajorArray(), actual.ToColumnMajorArray());
        Assert.Equal(y[0, 0] - 0.3 * x[0, 0], actual[0, 0]);

        ReferenceVectorKernels.MultiplyElementwise(expected, x);
        VectorKernels.MultiplyElementwise(actual, x);
        Assert.Equal(expected.ToColumnMajorArray(), actual.ToColumnMajorArray());
    }

    [Theory]
    [InlineData(128, 784)] // W¹ of 784-128-10: 100,352 numbers
    [InlineData(257, 255)] // 65,535: slabs of whole cache lines and a ragged end
    public void An_axpy_split_over_the_cores_equals_the_reference_bit_for_bit(int n, int m)
    {
        Assert.True(n * m >= VectorKernels.ParallelLength);
        var rng = new Random(n + m);
        var x = Random(n, m, rng);
        var y = Random(n, m, rng);
        var expected = y.Clone();
        ReferenceVectorKernels.Axpy(-0.3, x, expected);
        for (int attempt = 0; attempt < 20; attempt++) // a product of another test may hold the helpers for a while
        {
            var actual = y.Clone();
            long handedOut = GemmWorkers.SlabsHandedOut;
            VectorKernels.Axpy(-0.3, x, actual);
            Assert.Equal(expected.ToColumnMajorArray(), actual.ToColumnMajorArray());
            if (Environment.ProcessorCount < 2 || GemmWorkers.SlabsHandedOut > handedOut)
                return;
        }
        Assert.Fail("the axpy was never split over the cores");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Adam_step_equals_reference_bit_for_bit(int n, int m)
    {
        var rng = new Random(n * 100 + m + 3);
        var theta = Random(n, m, rng);
        var (θRef, vRef, sRef) = (theta.Clone(), Matrix<double>.Build.Dense(n, m), Matrix<double>.Build.Dense(n, m));
        var (θFast, vFast, sFast) = (theta.Clone(), Matrix<double>.Build.Dense(n, m), Matrix<double>.Build.Dense(n, m));
        for (int t = 1; t <= 5; t++)
        {
            var g = Random(n, m, rng);
            ReferenceVectorKernels.AdamStep(θRef, g, vRef, sRef, 0.01, 0.9, 0.999, 1e-8, t);
            VectorKernels.AdamStep(θFast, g, vFast, sFast, 0.01, 0.9, 0.999, 1e-8, t);
        }
        Assert.Equal(θRef.ToColumnMajorArray(), θFast.ToColumnMajorArray());
        Assert.Equal(vRef.ToColumnMajorArray(), vFast.ToColumnMajorArray());
        Assert.Equal(sRef.ToColumnMajorArray(), sFast.ToColumnMajorArray());
    }

    [Fact]
    public void First_Adam_step_moves_each_parameter_by_eta_against_its_gradient()
    {
        // With t = 1 the bias corrections undo (1−β): v̂ = g, ŝ = g², so θ ← θ − η·g/(|g| + ε) ≈ θ − η·sign(g).
        var theta = Matrix<double>.Build.Dense(2, 1, 1.0);
        var g = Matrix<double>.Build.DenseOfArray(new[,] { { 0.5 }, { -2.0 } });
        VectorKernels.AdamStep(theta, g, Matrix<double>.Build.Dense(2, 1), Matrix<double>.Build.Dense(2, 1), 0.1, 0.9, 0.999, 1e-8, 1);
        Assert.Equal(0.9, theta[0, 0], 1e-7);
        Assert.Equal(1.1, theta[1, 0], 1e-7);
    }

    [Fact]
    public void Wrong_shapes_and_parameters_are_named()
    {
        var z = Matrix<double>.Build.Dense(3, 4);
        var e = Assert.Throws<ArgumentException>(() => VectorKernels.AddBiasToColumns(z, Matrix<double>.Build.Dense(4, 1)));
        Assert.Contains("3×4", e.Message);
        Assert.Contains("4×1", e.Message);
        var e2 = Assert.Throws<ArgumentException>(() => VectorKernels.Axpy(1, z, Matrix<double>.Build.Dense(4, 3)));
        Assert.Contains("4×3", e2.Message);
        var e3 = Assert.Throws<ArgumentOutOfRangeException>(() => VectorKernels.AdamStep(z, z.Clone(), z.Clone(), z.Clone(), 0.1, 1.0, 0.999, 1e-8, 1));
        Assert.Contains("beta1", e3.Message);
        var e4 = Assert.Throws<ArgumentOutOfRangeException>(() => VectorKernels.AdamStep(z, z.Clone(), z.Clone(), z.Clone(), 0.1, 0.9, 0.999, 1e-8, 0));
        Assert.Contains("t must be at least 1", e4.Message);
    }

    [Fact]
    public void Kernels_allocate_nothing_after_warm_up()
    {
        var rng = new Random(9);
        var (z, b, db, w, dW, v, s) = (Random(128, 64, rng), Random(128, 1, rng), Random(128, 1, rng),
            Random(128, 64, rng), Random(128, 64, rng), Random(128, 64, rng).PointwiseAbs(), Random(128, 64, rng).PointwiseAbs());
        void Step(int t)
        {
            VectorKernels.AddBiasToColumns(z, b);
            VectorKernels.RowSums(z, 1.0 / 64, db);
            VectorKernels.Axpy(-0.1, dW, w);
            VectorKernels.MultiplyElementwise(z, dW);
            VectorKernels.AdamStep(w, dW, v, s, 0.001, 0.9, 0.999, 1e-8, t);
        }
        Step(1);
        int t = 2;
        Assert.Equal(0, Allocations.FewestBytes(() => { Step(t++); Step(t++); }));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(101)]
    public void Span_copy_and_clear_touch_every_number_and_only_those(int length)
    {
        var rng = new Random(length);
        double[] source = Enumerable.Range(0, length).Select(_ => rng.NextDouble() - 0.5).ToArray();
        double[] target = Enumerable.Repeat(double.NaN, length + 2).ToArray(); // one guard number on each side

        SpanArithmetic.Copy(source, target.AsSpan(1, length));
        Assert.Equal(source, target[1..^1]);
        Assert.True(double.IsNaN(target[0]) && double.IsNaN(target[^1]), "a number outside the span was written");

        SpanArithmetic.Clear(target.AsSpan(1, length));
        Assert.All(target[1..^1], x => Assert.Equal(0.0, x));
        Assert.True(double.IsNaN(target[0]) && double.IsNaN(target[^1]), "a number outside the span was cleared");
    }

    [Fact]
    public void Span_copy_refuses_spans_of_different_lengths()
    {
        var e = Assert.Throws<ArgumentException>(() => SpanArithmetic.Copy(new double[3], new double[4]));
        Assert.Contains("3", e.Message);
        Assert.Contains("4", e.Message);
    }
}
