using MathNet.Numerics.LinearAlgebra;

namespace FromScratch.Tests.Networks;

/// <summary>Lesson 9's hard sigmoid, and lesson 10's facts about the output gradient and the starting scale.</summary>
public class HardSigmoidAndInitializationTests
{
    [Theory]
    [InlineData(1.0, 3.0, 3.0)]
    [InlineData(-2.0, 0.5, -1.5)]
    [InlineData(0.0, 1e-3, 7.0)]
    public void Hard_sigmoid_is_flat_ramp_flat_and_equals_two_relus(double p, double q, double h)
    {
        Assert.Equal(0.0, Activation.HardSigmoidOf(p, p, q, h));
        Assert.Equal(h, Activation.HardSigmoidOf(q, p, q, h), 12);
        Assert.Equal(h / 2, Activation.HardSigmoidOf((p + q) / 2, p, q, h), 12);
        Assert.Equal(0.0, Activation.HardSigmoidOf(p - 10, p, q, h));
        Assert.Equal(h, Activation.HardSigmoidOf(q + 10, p, q, h));
        double w = 1 / (q - p);
        for (int i = 0; i <= 400; i++)
        {
            double x = p - (q - p) + i * 3 * (q - p) / 400;
            double twoReLUs = h * (Math.Max(0, w * x - p * w) - Math.Max(0, w * x - q * w));
            Assert.Equal(twoReLUs, Activation.HardSigmoidOf(x, p, q, h), 9);
        }
    }

    [Theory]
    [InlineData(2.0, 2.0)]
    [InlineData(3.0, 1.0)]
    [InlineData(double.NaN, 1.0)]
    public void Hard_sigmoid_needs_p_below_q(double p, double q)
    {
        var e = Assert.Throws<ArgumentException>(() => Activation.HardSigmoidOf(0, p, q, 1));
        Assert.Contains("p < q", e.Message, StringComparison.Ordinal);
        Assert.Contains($"q = {q.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void He_standard_deviation_is_the_scale_of_the_He_weights()
    {
        foreach (int nIn in new[] { 1, 8, 50, 300 })
        {
            Assert.Equal(Math.Sqrt(2.0 / nIn), Initializer.HeStandardDeviation(nIn), 15);
            var w = Initializer.He.Weights(400, nIn, new Random(nIn));
            double std = Math.Sqrt(w.Enumerate().Select(v => v * v).Average());
            Assert.InRange(std / Initializer.HeStandardDeviation(nIn), 0.95, 1.05);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => Initializer.HeStandardDeviation(0));
    }

    /// <summary>The reason for √(2/n_in): through a ReLU stack He keeps the activations' scale, N(0, 0.01²) loses it.</summary>
    [Fact]
    public void He_keeps_a_deep_relu_stack_at_one_scale_and_a_small_start_vanishes()
    {
        var random = new Random(3);
        var x = Matrix<double>.Build.Dense(100, 300, (_, _) => RandomNumbers.Normal(random));
        double RootMeanSquareAfter(Initializer initializer)
        {
            var a = x;
            var r = new Random(5);
            for (int l = 0; l < 10; l++) a = new Dense(100, 100, Activation.ReLU, initializer, r).Forward(a);
            return Math.Sqrt(a.Enumerate().Select(v => v * v).Average());
        }
        Assert.InRange(RootMeanSquareAfter(Initializer.He), 0.5, 2.0);
        Assert.True(RootMeanSquareAfter(Initializer.Normal(0.01)) < 1e-6);
        Assert.True(RootMeanSquareAfter(Initializer.Normal(1.0)) > 1e6);
    }

    /// <summary>dZ = Ŷ − Y for a sigmoid output with binary cross-entropy, against finite differences of E in Z.</summary>
    [Fact]
    public void Sigmoid_with_binary_cross_entropy_has_dZ_equal_to_prediction_minus_label_by_finite_differences()
    {
        var z = Matrix<double>.Build.DenseOfRowArrays([-12, -3, -0.5, 0, 0.7, 4, 11]);
        var y = Matrix<double>.Build.DenseOfRowArrays([1, 0, 1, 1, 0, 1, 0]);
        int m = z.ColumnCount;
        var ŷ = Activation.Sigmoid.Forward(z);
        var shortcut = Loss.BinaryCrossEntropy.CombinedOutputGradient(Activation.Sigmoid, ŷ, y)!;
        var chain = Activation.Sigmoid.Backward(z, ŷ, Loss.BinaryCrossEntropy.Gradient(ŷ, y));
        for (int j = 0; j < m; j++)
        {
            int column = j;
            double numerical = GradientCheck.CentralDifference(
                () => Loss.BinaryCrossEntropy.Value(Activation.Sigmoid.Forward(z), y),
                () => z[0, column], v => z[0, column] = v, h: 1e-4) * m; // per-sample, like Gradient
            Assert.Equal(ŷ[0, j] - y[0, j], shortcut[0, j], 15);
            // log(1 − ŷ) near ŷ = 1 loses digits: 1e-16 / (1 − ŷ) relative, hence h = 1e-4 and 1e-6
            Assert.True(Math.Abs(numerical - shortcut[0, j]) < 1e-6, $"sample {j}: numerical {numerical}, ŷ − y {shortcut[0, j]}");
            Assert.True(Math.Abs(chain[0, j] - shortcut[0, j]) < 1e-9, $"sample {j}: chain rule {chain[0, j]}");
        }
        // The saturated, wrong sample (z = −12, y = 1): squared error's dZ keeps σ′ and is ~0, cross-entropy's is ~−1.
        var squared = Activation.Sigmoid.Backward(z, ŷ, Loss.MeanSquaredError.Gradient(ŷ, y));
        Assert.True(Math.Abs(squared[0, 0]) < 1e-4);
        Assert.True(shortcut[0, 0] < -0.99);
    }
}
