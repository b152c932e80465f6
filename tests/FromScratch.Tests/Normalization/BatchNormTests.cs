using MathNet.Numerics.LinearAlgebra;
using static FromScratch.Tests.TestMatrices;

namespace FromScratch.Tests.Normalization;

public class BatchNormTests
{
    /// <summary>A batch norm with non-trivial γ and β (so their gradients and dZ mix in every term).</summary>
    private static BatchNorm Layer(int n, int seed)
    {
        var norm = new BatchNorm(n);
        RandomMatrix(n, 1, seed, 0.5).Add(1.0).CopyTo(norm.Gamma.Value);
        RandomMatrix(n, 1, seed + 1, 0.5).CopyTo(norm.Beta.Value);
        return norm;
    }

    [Theory]
    [InlineData("mse")]
    [InlineData("bce")]
    public void Gradients_of_gamma_beta_and_the_input_match_finite_differences(string lossName)
    {
        const int n = 3, m = 5;
        var norm = Layer(n, 1);
        var z = RandomMatrix(n, m, 2, 2.0).Add(3.0); // shifted and scaled, as a real Z would be
        // A loss after the batch norm: MSE on z̃ directly, or sigmoid then binary cross-entropy.
        Loss loss = lossName == "mse" ? Loss.MeanSquaredError : Loss.BinaryCrossEntropy;
        var y = lossName == "mse" ? RandomMatrix(n, m, 3) : RandomBinary(n, m, 3);
        Func<Matrix<double>, Matrix<double>> head = lossName == "mse" ? t => t : Activation.Sigmoid.Forward;
        double E() => loss.Value(head(norm.Forward(z)), y);

        var z̃ = norm.Forward(z);
        var ŷ = head(z̃);
        var dZ̃ = lossName == "mse" ? loss.Gradient(ŷ, y) : loss.CombinedOutputGradient(Activation.Sigmoid, ŷ, y)!;
        var dZ = norm.Backward(dZ̃) / m; // per-sample scale → true ∂E/∂Z
        var dγ = norm.Gamma.Gradient.Clone();
        var dβ = norm.Beta.Gradient.Clone();

        double worst = 0;
        void Compare(Matrix<double> analytic, Matrix<double> target)
        {
            for (int r = 0; r < target.RowCount; r++)
                for (int c = 0; c < target.ColumnCount; c++)
                {
                    int rr = r, cc = c;
                    double numerical = GradientCheck.CentralDifference(E, () => target[rr, cc], v => target[rr, cc] = v);
                    double rel = GradientCheck.RelativeError(analytic[r, c], numerical);
                    Assert.False(double.IsNaN(rel));
                    worst = Math.Max(worst, rel);
                }
        }
        Compare(dγ, norm.Gamma.Value);
        Compare(dβ, norm.Beta.Value);
        Compare(dZ, z);
        Assert.True(worst < 1e-7, $"max relative error {worst:E2}");
    }

    [Fact]
    public void A_broken_backward_would_fail_the_check()
    {
        // Dropping the terms through μ and σ² (treating them as constants) gives a wrong dZ the check must see.
        const int n = 2, m = 4;
        var norm = Layer(n, 5);
        var z = RandomMatrix(n, m, 6);
        var y = RandomMatrix(n, m, 7);
        var dZ̃ = Loss.MeanSquaredError.Gradient(norm.Forward(z), y);
        var dZ = norm.Backward(dZ̃);
        var naive = Matrix<double>.Build.Dense(n, m, (k, i) => norm.Gamma.Value[k, 0] * dZ̃[k, i] * norm.Cache!.InverseStandardDeviation[k]);
        Assert.True((dZ - naive).Enumerate().Max(Math.Abs) > 1e-3);
        // Every row of dZ sums to 0: shifting a whole feature by a constant changes nothing after normalization.
        foreach (var s in dZ.RowSums()) Assert.True(Math.Abs(s) < 1e-12, $"row sum {s}");
    }

    [Fact]
    public void Forward_normalizes_each_feature_over_the_batch_then_scales_and_shifts()
    {
        var norm = new BatchNorm(2, ε: 1e-8);
        norm.Gamma.Value[0, 0] = 2; norm.Gamma.Value[1, 0] = 0.5;
        norm.Beta.Value[0, 0] = 1; norm.Beta.Value[1, 0] = -3;
        var z = M(new double[,] { { 1, 2, 3, 6 }, { -10, 0, 10, 20 } });
        var z̃ = norm.Forward(z);
        var cache = norm.Cache!;
        Assert.Equal(3.0, cache.Mean[0], 12);
        Assert.Equal(5.0, cache.Mean[1], 12);
        Assert.Equal(3.5, cache.Variance[0], 12);   // (4 + 1 + 0 + 9)/4
        Assert.Equal(125.0, cache.Variance[1], 12); // (225 + 25 + 25 + 225)/4
        for (int k = 0; k < 2; k++)
        {
            var row = cache.ZNormalized.Row(k);
            Assert.Equal(0.0, row.Average(), 12);
            Assert.Equal(1.0, row.Select(v => v * v).Average(), 6);
        }
        Assert.Equal(2 * (1 - 3) / Math.Sqrt(3.5 + 1e-8) + 1, z̃[0, 0], 12);
        Assert.Equal(0.5 * (20 - 5) / Math.Sqrt(125 + 1e-8) - 3, z̃[1, 3], 12);
    }

    [Fact]
    public void Adding_a_constant_to_a_feature_changes_nothing_so_the_bias_before_it_is_redundant()
    {
        var z = RandomMatrix(3, 6, 8);
        var shifted = z.Clone();
        for (int i = 0; i < 6; i++) shifted[1, i] += 42.0;
        var a = Layer(3, 9).Forward(z);
        var b = Layer(3, 9).Forward(shifted);
        Assert.True((a - b).Enumerate().Max(Math.Abs) < 1e-12);
    }

    [Fact]
    public void Running_averages_follow_the_exponentially_weighted_formula_and_predict_uses_them()
    {
        var norm = new BatchNorm(1, momentum: 0.9);
        var first = M(new double[,] { { 0, 2 } });   // μ = 1, σ² = 1
        var second = M(new double[,] { { 4, 8 } });  // μ = 6, σ² = 4
        norm.Forward(first);
        Assert.Equal(0.1, norm.RunningMean[0], 15);             // 0.9·0 + 0.1·1
        Assert.Equal(1.0, norm.RunningVariance[0], 15);         // 0.9·1 + 0.1·1
        norm.Forward(second);
        Assert.Equal(0.9 * 0.1 + 0.1 * 6, norm.RunningMean[0], 15);
        Assert.Equal(0.9 * 1.0 + 0.1 * 4, norm.RunningVariance[0], 15);
        Assert.Equal(2, norm.BatchesSeen);

        var before = norm.Cache;
        var single = norm.Predict(M(new double[,] { { 3 } }));
        double expected = (3 - norm.RunningMean[0]) / Math.Sqrt(norm.RunningVariance[0] + norm.Epsilon);
        Assert.Equal(expected, single[0, 0], 12);
        Assert.Same(before, norm.Cache);   // Predict leaves the cache and the averages alone
        Assert.Equal(2, norm.BatchesSeen);
    }

    [Fact]
    public void After_many_batches_of_the_same_data_predict_matches_forward()
    {
        var norm = Layer(2, 10);
        var z = RandomMatrix(2, 8, 11, 3.0);
        for (int i = 0; i < 400; i++) norm.Forward(z);
        Assert.True((norm.Predict(z) - norm.Forward(z)).Enumerate().Max(Math.Abs) < 1e-9);
    }

    [Fact]
    public void Bad_input_gets_clear_messages()
    {
        var norm = new BatchNorm(3);
        var wrongRows = Assert.Throws<ArgumentException>(() => norm.Forward(RandomMatrix(2, 4, 1)));
        Assert.Contains("2×4", wrongRows.Message);
        Assert.Contains("3 rows", wrongRows.Message);
        var oneSample = Assert.Throws<ArgumentException>(() => norm.Forward(RandomMatrix(3, 1, 1)));
        Assert.Contains("at least 2 samples", oneSample.Message);
        Assert.Equal(3, norm.Predict(RandomMatrix(3, 1, 1)).RowCount); // one sample is fine at inference
        Assert.Throws<InvalidOperationException>(() => new BatchNorm(3).Backward(RandomMatrix(3, 4, 1)));
        norm.Forward(RandomMatrix(3, 4, 1));
        var shape = Assert.Throws<ArgumentException>(() => norm.Backward(RandomMatrix(3, 5, 1)));
        Assert.Contains("3×5", shape.Message);
        Assert.Contains("3×4", shape.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNorm(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNorm(2, ε: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNorm(2, momentum: 1));
    }
}
