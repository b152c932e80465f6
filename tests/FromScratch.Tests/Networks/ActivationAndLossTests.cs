using MathNet.Numerics.LinearAlgebra;
using static FromScratch.Tests.TestMatrices;

namespace FromScratch.Tests.Networks;

public class ActivationAndLossTests
{
    public static TheoryData<string> ActivationNames => ["identity", "sigmoid", "tanh", "relu", "leaky", "softmax"];

    internal static Activation ByName(string name) => name switch
    {
        "identity" => Activation.Identity,
        "sigmoid" => Activation.Sigmoid,
        "tanh" => Activation.Tanh,
        "relu" => Activation.ReLU,
        "leaky" => Activation.LeakyReLU(0.1),
        "softmax" => Activation.Softmax,
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(ActivationNames))]
    public void Activation_backward_matches_finite_differences(string name)
    {
        var g = ByName(name);
        var z = RandomMatrix(3, 4, seed: 1, scale: 2);
        var c = RandomMatrix(3, 4, seed: 2);               // E = Σ C ⊙ g(Z), so ∂E/∂A = C
        var dZ = g.Backward(z, g.Forward(z), c);
        for (int r = 0; r < 3; r++)
            for (int j = 0; j < 4; j++)
            {
                int rr = r, jj = j;
                double numerical = GradientCheck.CentralDifference(
                    () => g.Forward(z).PointwiseMultiply(c).Enumerate().Sum(), () => z[rr, jj], v => z[rr, jj] = v);
                Assert.True(GradientCheck.RelativeError(dZ[r, j], numerical) < 1e-7, $"{name} at ({r},{j}): {dZ[r, j]} vs {numerical}");
            }
    }

    [Fact]
    public void Activations_compute_their_formulas()
    {
        var z = M(new double[,] { { -2, 0.5 }, { 3, -0.1 } });
        Assert.Equal(z, Activation.Identity.Forward(z));
        Assert.Equal(Math.Tanh(-2), Activation.Tanh.Forward(z)[0, 0], 15);
        Assert.Equal(M(new double[,] { { 0, 0.5 }, { 3, 0 } }), Activation.ReLU.Forward(z));
        Assert.Equal(M(new double[,] { { -0.2, 0.5 }, { 3, -0.010000000000000002 } }), Activation.LeakyReLU(0.1).Forward(z));
        Assert.Equal(1 / (1 + Math.Exp(2.0)), Activation.Sigmoid.Forward(z)[0, 0], 15);
        var relu = (ElementwiseActivation)Activation.ReLU;
        Assert.Equal(M(new double[,] { { 0, 1 }, { 1, 0 } }), relu.Derivative(z));
    }

    [Fact]
    public void Sigmoid_and_softmax_stay_finite_for_huge_inputs()
    {
        var z = M(new double[,] { { 1000, -1000 }, { 1001, -1002 } });
        var s = Activation.Sigmoid.Forward(z);
        Assert.Equal(M(new double[,] { { 1, 0 }, { 1, 0 } }), s);
        var p = Activation.Softmax.Forward(z);
        Assert.All(p.Enumerate(), v => Assert.True(double.IsFinite(v)));
        Assert.Equal(1 / (1 + Math.E), p[0, 0], 15); // e^1000 / (e^1000 + e^1001) = 1 / (1 + e)
        Assert.Equal(1 / (1 + Math.Exp(-2)), p[0, 1], 15);
    }

    [Fact]
    public void Softmax_columns_are_probabilities()
    {
        var p = Activation.Softmax.Forward(M(new double[,] { { 1, 0 }, { 2, 0 }, { 3, 0 } }));
        double sum = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        Assert.Equal(Math.Exp(3) / sum, p[2, 0], 15);
        Assert.Equal(1.0 / 3, p[1, 1], 15);
        Assert.All(p.ColumnSums(), s => Assert.Equal(1.0, s, 14));
    }

    [Fact]
    public void Leaky_relu_rejects_alpha_outside_the_unit_interval()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Activation.LeakyReLU(-0.5));
        Assert.Contains("-0.5", e.Message);
    }

    public static TheoryData<string> LossNames => ["mse", "sse", "bce", "sce"];

    internal static Loss LossByName(string name) => name switch
    {
        "mse" => Loss.MeanSquaredError,
        "sse" => Loss.SumOfSquares,
        "bce" => Loss.BinaryCrossEntropy,
        "sce" => Loss.SoftmaxCrossEntropy,
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(LossNames))]
    public void Loss_gradient_is_m_times_the_derivative_of_the_loss(string name)
    {
        var loss = LossByName(name);
        int m = 5;
        var ŷ = name == "sce" ? Activation.Softmax.Forward(RandomMatrix(3, m, 3)) : Activation.Sigmoid.Forward(RandomMatrix(3, m, 3));
        var y = name == "sce" ? RandomOneHot(3, m, 4) : RandomBinary(3, m, 4);
        var gradient = loss.Gradient(ŷ, y);
        for (int k = 0; k < 3; k++)
            for (int j = 0; j < m; j++)
            {
                int kk = k, jj = j;
                double numerical = GradientCheck.CentralDifference(() => loss.Value(ŷ, y), () => ŷ[kk, jj], v => ŷ[kk, jj] = v, 1e-7);
                if (name == "sce" && y[k, j] == 0) { Assert.Equal(0.0, gradient[k, j]); continue; }
                Assert.True(GradientCheck.RelativeError(gradient[k, j], m * numerical) < 1e-6, $"{name} ({k},{j}): {gradient[k, j]} vs m·{numerical}");
            }
    }

    [Fact]
    public void Mean_squared_error_sums_over_outputs_and_averages_over_samples()
    {
        var ŷ = M(new double[,] { { 1, 0 }, { 2, 0 } });
        var y = M(new double[,] { { 0, 0 }, { 0, 3 } });
        Assert.Equal((1 + 4 + 9) / 2.0, Loss.MeanSquaredError.Value(ŷ, y));
        Assert.Equal(1 + 4 + 9, Loss.SumOfSquares.Value(ŷ, y));
    }

    [Fact]
    public void Cross_entropies_have_their_formulas_and_stay_finite_at_the_edges()
    {
        var ŷ = M(new double[,] { { 0.8, 0.3 } });
        var y = M(new double[,] { { 1, 0 } });
        Assert.Equal(-(Math.Log(0.8) + Math.Log(0.7)) / 2, Loss.BinaryCrossEntropy.Value(ŷ, y), 15);
        double worst = Loss.BinaryCrossEntropy.Value(M(new double[,] { { 0, 1 } }), y);
        Assert.InRange(worst, 34.5, 34.6); // both samples clamped: −ln(1e-15) ≈ 34.54 each, averaged
        Assert.All(Loss.BinaryCrossEntropy.Gradient(M(new double[,] { { 0, 1 } }), y).Enumerate(), v => Assert.True(double.IsFinite(v)));

        var p = M(new double[,] { { 0.7, 0 }, { 0.2, 1 }, { 0.1, 0 } });
        var oneHot = M(new double[,] { { 1, 1 }, { 0, 0 }, { 0, 0 } });
        Assert.Equal(-(Math.Log(0.7) + Math.Log(Loss.Epsilon)) / 2, Loss.SoftmaxCrossEntropy.Value(p, oneHot), 12);
    }

    [Fact]
    public void Losses_reject_mismatched_shapes_naming_both()
    {
        var e = Assert.Throws<ArgumentException>(() => Loss.MeanSquaredError.Value(Matrix<double>.Build.Dense(1, 4), Matrix<double>.Build.Dense(1, 3)));
        Assert.Contains("1×4", e.Message);
        Assert.Contains("1×3", e.Message);
    }
}

public class ReviewFindingTests
{
    [Fact]
    public void Softmax_shortcut_refuses_label_columns_that_do_not_sum_to_one()
    {
        // dZ = Ŷ − Y is the derivative of softmax cross-entropy only when every label column sums to 1;
        // for other columns the exact dZ is Ŷ·Σₖy_k − Y, so the shortcut would return a wrong gradient silently.
        var network = Network.Create([2, 3], Activation.Softmax, Activation.Softmax, Initializer.Xavier, seed: 1);
        var x = RandomMatrix(2, 3, 2);
        var y = M(new double[,] { { 1, 0.5, 0 }, { 0, 0.3, 0 }, { 0, 0, 1 } }); // sample 1 (column 1) sums to 0.8
        var e = Assert.Throws<ArgumentException>(() => network.ComputeGradients(x, y, Loss.SoftmaxCrossEntropy));
        Assert.Contains("sample 1", e.Message);
        Assert.Contains("0.8", e.Message);
        var direct = Assert.Throws<ArgumentException>(() => Loss.SoftmaxCrossEntropy.CombinedOutputGradient(Activation.Softmax, network.Forward(x), y));
        Assert.Contains("sample 1", direct.Message);
    }

    [Fact]
    public void Optimizers_have_the_lesson_defaults()
    {
        var adam = new Adam();
        Assert.Equal(0.001, adam.LearningRate);
        Assert.Equal(0.9, adam.Beta1);
        Assert.Equal(0.999, adam.Beta2);
        Assert.Equal(1e-8, adam.Epsilon);
        Assert.Equal(0.9, new Momentum(0.1).Beta);
        var rms = new RmsProp(0.1);
        Assert.Equal(0.9, rms.Beta);
        Assert.Equal(1e-8, rms.Epsilon);
    }
}
