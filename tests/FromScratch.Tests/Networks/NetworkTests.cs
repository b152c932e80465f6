using MathNet.Numerics.LinearAlgebra;
using static FromScratch.Tests.TestMatrices;

namespace FromScratch.Tests.Networks;

public class NetworkTests
{
    /// <summary>Sensible output activation × loss pairs, with the kind of labels each expects.</summary>
    public static TheoryData<string, string, string> OutputPairs => new()
    {
        { "identity", "mse", "real" }, { "identity", "sse", "real" }, { "tanh", "mse", "real" },
        { "relu", "mse", "real" }, { "leaky", "mse", "real" },
        { "sigmoid", "mse", "binary" }, { "sigmoid", "sse", "binary" }, { "sigmoid", "bce", "binary" },
        { "softmax", "sce", "onehot" }, { "softmax", "mse", "onehot" },
    };

    private static Matrix<double> Labels(string kind, int rows, int m, int seed) => kind switch
    {
        "binary" => RandomBinary(rows, m, seed),
        "onehot" => RandomOneHot(rows, m, seed),
        _ => RandomMatrix(rows, m, seed),
    };

    [Theory]
    [MemberData(nameof(OutputPairs))]
    public void Single_dense_layer_gradients_match_finite_differences(string activation, string loss, string labels)
    {
        var layer = new Dense(RandomMatrix(3, 4, 10), RandomMatrix(3, 1, 11), ActivationAndLossTests.ByName(activation));
        var network = new Network(layer);
        var report = NetworkGradientCheck.Run(network, RandomMatrix(4, 6, 12), Labels(labels, 3, 6, 13), ActivationAndLossTests.LossByName(loss));
        Assert.True(report.Passed(1e-7), report.ToString());
        Assert.Equal(["W1", "b1"], report.Parameters.Select(p => p.Name));
    }

    [Theory]
    [InlineData("sigmoid")]
    [InlineData("tanh")]
    [InlineData("relu")]
    [InlineData("leaky")]
    [InlineData("identity")]
    public void Three_layer_network_gradients_match_finite_differences(string hidden)
    {
        var g = ActivationAndLossTests.ByName(hidden);
        var network = Network.Create([4, 5, 3, 1], g, Activation.Sigmoid, Initializer.Normal(1.0), seed: 5);
        var report = NetworkGradientCheck.Run(network, RandomMatrix(4, 7, 20), RandomBinary(1, 7, 21), Loss.BinaryCrossEntropy);
        Assert.True(report.Passed(1e-7), report.ToString());
        Assert.Equal(["W1", "b1", "W2", "b2", "W3", "b3"], report.Parameters.Select(p => p.Name));
    }

    public static TheoryData<string, string, string, string> HiddenTimesOutputPairs()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var hidden in new[] { "identity", "sigmoid", "tanh", "relu", "leaky" })
            foreach (var pair in OutputPairs)
                data.Add(hidden, (string)pair[0], (string)pair[1], (string)pair[2]);
        return data;
    }

    [Theory]
    [MemberData(nameof(HiddenTimesOutputPairs))]
    public void Every_hidden_activation_with_every_output_and_loss_checks_out_in_three_layers(string hidden, string output, string loss, string labels)
    {
        var network = Network.Create([3, 4, 3, 2], ActivationAndLossTests.ByName(hidden), ActivationAndLossTests.ByName(output), Initializer.Normal(0.5), seed: 17);
        // Nonzero biases: with b = 0 a layer behind dead ReLUs gets Z = 0 exactly, the kink where ReLU has no derivative.
        for (int l = 0; l < network.Layers.Count; l++) RandomMatrix(network.Layers[l].Outputs, 1, 50 + l, scale: 0.5).CopyTo(network.Layers[l].B.Value);
        var report = NetworkGradientCheck.Run(network, RandomMatrix(3, 5, 40), Labels(labels, 2, 5, 41), ActivationAndLossTests.LossByName(loss));
        foreach (var (p, check) in network.Parameters.Zip(report.Parameters))
        {
            // Relative error < 1e-7; where an entry's gradient is itself tiny, the finite difference's rounding noise
            // (≈ 1e-16·E/h ≈ 1e-11) dominates the relative error, so there the absolute difference must be at that floor.
            // A real backprop bug gives differences of the size of the gradient, and every parameter has a sizeable one.
            Assert.True(p.Gradient.Enumerate().Max(Math.Abs) > 1e-4, $"{p.Name}: every gradient ≈ 0, nothing checked");
            Assert.True(check.MaxRelativeError < 1e-7 || check.MaxAbsoluteError < 1e-9,
                $"{check.Name}: relative {check.MaxRelativeError:E2}, absolute {check.MaxAbsoluteError:E2} at ({check.WorstRow},{check.WorstColumn})");
        }
    }

    [Fact]
    public void Softmax_with_softmax_cross_entropy_uses_y_hat_minus_y_and_checks_out()
    {
        var network = Network.Create([4, 6, 3], Activation.Tanh, Activation.Softmax, Initializer.Xavier, seed: 8);
        var x = RandomMatrix(4, 5, 30);
        var y = RandomOneHot(3, 5, 31);
        var report = NetworkGradientCheck.Run(network, x, y, Loss.SoftmaxCrossEntropy);
        Assert.True(report.Passed(1e-7), report.ToString());

        // The shortcut dZ = Ŷ − Y equals the long way (loss gradient −Y/Ŷ through the softmax Jacobian).
        var ŷ = network.Forward(x);
        var shortcut = Loss.SoftmaxCrossEntropy.CombinedOutputGradient(Activation.Softmax, ŷ, y)!;
        var cache = network.Layers[^1].Cache!;
        var longWay = Activation.Softmax.Backward(cache.Z, cache.A, Loss.SoftmaxCrossEntropy.Gradient(ŷ, y));
        Assert.True((shortcut - longWay).Enumerate().All(v => Math.Abs(v) < 1e-12));
        Assert.Equal(ŷ - y, shortcut);
    }

    [Fact]
    public void Dense_forward_is_W_times_A_prev_plus_b_and_caches_everything()
    {
        var w = M(new double[,] { { 1, 2 }, { -1, 0.5 } });
        var b = M(new double[,] { { 0.5 }, { -1 } });
        var layer = new Dense(w, b, Activation.ReLU);
        var x = M(new double[,] { { 1, 2, 0 }, { 3, -1, 1 } });
        var a = layer.Forward(x);
        var z = M(new double[,] { { 7.5, 0.5, 2.5 }, { -0.5, -3.5, -0.5 } });
        Assert.Equal(z, layer.Cache!.Z);
        Assert.Equal(x, layer.Cache.APrev);
        Assert.Equal(M(new double[,] { { 7.5, 0.5, 2.5 }, { 0, 0, 0 } }), a);

        // dW = (1/m)·dZ·A_prevᵀ, db = (1/m)·Σ dZ, dA_prev = Wᵀ·dZ, by hand for dA = 1 everywhere.
        var dA = Matrix<double>.Build.Dense(2, 3, 1.0);
        var dAPrev = layer.Backward(dA);
        var dZ = M(new double[,] { { 1, 1, 1 }, { 0, 0, 0 } });
        Assert.Equal(dZ * x.Transpose() / 3, layer.W.Gradient);
        Assert.Equal(M(new double[,] { { 1 }, { 0 } }), layer.B.Gradient);
        Assert.Equal(w.Transpose() * dZ, dAPrev);
    }

    [Fact]
    public void Shape_errors_name_both_shapes()
    {
        var layer = new Dense(RandomMatrix(3, 4, 1), Matrix<double>.Build.Dense(3, 1), Activation.Sigmoid);
        var e = Assert.Throws<ArgumentException>(() => layer.Forward(Matrix<double>.Build.Dense(5, 2)));
        Assert.Contains("5×2", e.Message);
        Assert.Contains("3×4", e.Message);
        var eb = Assert.Throws<ArgumentException>(() => new Dense(RandomMatrix(3, 4, 1), Matrix<double>.Build.Dense(2, 1), Activation.Sigmoid));
        Assert.Contains("2×1", eb.Message);
        var en = Assert.Throws<ArgumentException>(() => new Network(
            new Dense(RandomMatrix(3, 4, 1), Matrix<double>.Build.Dense(3, 1), Activation.Sigmoid),
            new Dense(RandomMatrix(1, 2, 1), Matrix<double>.Build.Dense(1, 1), Activation.Sigmoid)));
        Assert.Contains("3×4", en.Message);
        Assert.Contains("1×2", en.Message);
        Assert.Throws<InvalidOperationException>(() => new Dense(2, 2, Activation.ReLU, Initializer.He, new Random(0)).Backward(Matrix<double>.Build.Dense(2, 1)));
        var es = Assert.Throws<ArgumentOutOfRangeException>(() => Network.Create([2, 0, 1], Activation.ReLU, Activation.Sigmoid, Initializer.He, 0));
        Assert.Contains("layerSizes[1]", es.Message);
    }

    [Fact]
    public void Same_seed_gives_bit_identical_networks_and_different_seeds_differ()
    {
        var a = Network.Create([3, 4, 2], Activation.ReLU, Activation.Softmax, Initializer.He, seed: 9);
        var b = Network.Create([3, 4, 2], Activation.ReLU, Activation.Softmax, Initializer.He, seed: 9);
        var c = Network.Create([3, 4, 2], Activation.ReLU, Activation.Softmax, Initializer.He, seed: 10);
        Assert.All(a.Parameters.Zip(b.Parameters), p => Assert.True(BitIdentical(p.First.Value, p.Second.Value)));
        Assert.False(BitIdentical(a.Parameters[0].Value, c.Parameters[0].Value));
    }

    [Fact]
    public void Initializers_have_their_scale()
    {
        var random = new Random(1);
        var he = Initializer.He.Weights(200, 50, random);
        double std = Math.Sqrt(he.Enumerate().Select(v => v * v).Average());
        Assert.InRange(std, 0.95 * Math.Sqrt(2.0 / 50), 1.05 * Math.Sqrt(2.0 / 50));
        var xavier = Initializer.Xavier.Weights(30, 20, random);
        double limit = Math.Sqrt(6.0 / 50);
        Assert.All(xavier.Enumerate(), v => Assert.InRange(v, -limit, limit));
        Assert.True(xavier.Enumerate().Max() > 0.8 * limit);
        Assert.All(Initializer.Uniform(0.3).Weights(10, 10, random).Enumerate(), v => Assert.InRange(v, -0.3, 0.3));
        Assert.All(Initializer.Zeros.Weights(2, 3, random).Enumerate(), v => Assert.Equal(0.0, v));
        var normal = Initializer.Normal(0.01).Weights(100, 100, random);
        Assert.InRange(Math.Sqrt(normal.Enumerate().Select(v => v * v).Average()), 0.0095, 0.0105);
        Assert.InRange(normal.Enumerate().Average(), -0.0005, 0.0005);
    }

    [Fact]
    public void Box_muller_normals_have_mean_zero_and_unit_variance()
    {
        var random = new Random(123);
        var z = Enumerable.Range(0, 20000).Select(_ => RandomNumbers.Normal(random)).ToArray();
        Assert.InRange(z.Average(), -0.03, 0.03);
        Assert.InRange(z.Select(v => v * v).Average(), 0.97, 1.03);
        Assert.All(z, v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void Accuracy_and_confusion_matrix_count_classes()
    {
        var ŷ = M(new double[,] { { 0.9, 0.2, 0.6, 0.4 } });
        var y = M(new double[,] { { 1, 0, 0, 0 } });
        Assert.Equal(0.75, Metrics.Accuracy(ŷ, y));
        var c = Metrics.ConfusionMatrix(ŷ, y);
        Assert.Equal(2, c[0, 0]); // true 0, predicted 0
        Assert.Equal(1, c[0, 1]); // true 0, predicted 1
        Assert.Equal(1, c[1, 1]);
        Assert.Equal(0, c[1, 0]);

        var p = M(new double[,] { { 0.7, 0.1, 0.2 }, { 0.2, 0.1, 0.7 }, { 0.1, 0.8, 0.1 } });
        var oneHot = OneHot.Encode([0, 2, 2], 3);
        Assert.Equal(2 / 3.0, Metrics.Accuracy(p, oneHot)); // columns 0 and 1 right, column 2 predicted 1 for a 2
        var c3 = Metrics.ConfusionMatrix(p, oneHot);
        Assert.Equal(1, c3[0, 0]);
        Assert.Equal(1, c3[2, 2]);
        Assert.Equal(1, c3[2, 1]);
        Assert.Equal(3, c3.Cast<int>().Sum());
    }

    [Fact]
    public void Gradient_check_fails_when_a_gradient_is_wrong()
    {
        // A loss whose Gradient is deliberately off by a factor: the check must catch it.
        var network = Network.Create([2, 3, 1], Activation.Tanh, Activation.Identity, Initializer.Normal(1), seed: 1);
        var report = NetworkGradientCheck.Run(network, RandomMatrix(2, 4, 1), RandomMatrix(1, 4, 2), new HalfGradientLoss());
        Assert.False(report.Passed());
        Assert.InRange(report.MaxRelativeError, 0.3, 0.4); // |a − n| / (|a| + |n|) = 0.5n / 1.5n
    }

    private sealed class HalfGradientLoss : Loss
    {
        public override string Name => "broken";
        public override double Value(Matrix<double> ŷ, Matrix<double> y) => MeanSquaredError.Value(ŷ, y);
        public override Matrix<double> Gradient(Matrix<double> ŷ, Matrix<double> y) => 0.5 * MeanSquaredError.Gradient(ŷ, y);
    }
}

public class DenseEmptyBatchTests
{
    [Fact]
    public void A_batch_of_zero_samples_is_an_error_not_NaN_gradients()
    {
        // With m = 0 the (1/m) in dW = (1/m)·dZ·A_prevᵀ is 1/0: the gradients would silently be NaN.
        var layer = new Dense(TestMatrices.M(new double[,] { { 1, 2 } }), TestMatrices.M(new double[,] { { 0 } }), Activation.Sigmoid);
        var e = Assert.Throws<ArgumentException>(() => layer.Forward(Matrix<double>.Build.Dense(2, 0)));
        Assert.Contains("2×0", e.Message);
    }
}
