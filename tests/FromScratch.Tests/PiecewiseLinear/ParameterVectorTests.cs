using MathNet.Numerics.LinearAlgebra;

namespace FromScratch.Tests.PiecewiseLinear;

public class ParameterVectorTests
{
    private static Network OneInputNetwork(int n, Activation hidden, int seed) =>
        Network.Create([1, n, 1], hidden, Activation.Identity, Initializer.Normal(1.0), seed);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(30)]
    public void A_one_input_network_with_n_hidden_units_has_3n_plus_1_parameters(int n)
    {
        var network = OneInputNetwork(n, Activation.Sigmoid, seed: 1);
        Assert.Equal(3 * n + 1, ParameterVector.Length(network.Parameters));
        Assert.Equal(3 * n + 1, ParameterVector.Values(network.Parameters).Count);
    }

    [Fact]
    public void Values_are_W1_b1_W2_b2_each_row_by_row()
    {
        var layer1 = new Dense(Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2 }, { 3, 4 } }),
            Matrix<double>.Build.DenseOfArray(new double[,] { { 5 }, { 6 } }), Activation.Sigmoid);
        var layer2 = new Dense(Matrix<double>.Build.DenseOfArray(new double[,] { { 7, 8 } }),
            Matrix<double>.Build.DenseOfArray(new double[,] { { 9 } }), Activation.Identity);
        var θ = ParameterVector.Values(new Network(layer1, layer2).Parameters);
        Assert.Equal([1.0, 2, 3, 4, 5, 6, 7, 8, 9], θ.ToArray());
    }

    [Fact]
    public void SetValues_writes_back_in_place_and_round_trips()
    {
        var network = OneInputNetwork(4, Activation.ReLU, seed: 2);
        var before = network.Parameters.Select(p => p.Value).ToList(); // the same matrix objects
        var θ = Vector<double>.Build.Dense(13, i => 0.5 * i - 3);
        ParameterVector.SetValues(network.Parameters, θ);
        Assert.Equal(θ.ToArray(), ParameterVector.Values(network.Parameters).ToArray());
        Assert.Equal(-3.0, network.Layers[0].W.Value[0, 0]);
        Assert.Equal(3.0, network.Layers[1].B.Value[0, 0]); // the last entry, 0.5·12 − 3
        Assert.True(before.Zip(network.Parameters, (a, p) => ReferenceEquals(a, p.Value)).All(same => same));
    }

    [Fact]
    public void Values_is_a_copy()
    {
        var network = OneInputNetwork(2, Activation.Sigmoid, seed: 3);
        var θ = ParameterVector.Values(network.Parameters);
        double w = network.Layers[0].W.Value[0, 0];
        θ[0] = w + 100;
        Assert.Equal(w, network.Layers[0].W.Value[0, 0]);
    }

    [Theory]
    [InlineData("sigmoid")]
    [InlineData("ReLU")]
    public void Gradients_match_central_differences_of_the_loss_in_theta(string activation)
    {
        var hidden = activation == "ReLU" ? Activation.ReLU : Activation.Sigmoid;
        var network = OneInputNetwork(5, hidden, seed: 4);
        var x = Matrix<double>.Build.Dense(1, 9, (_, j) => -2 + 0.45 * j + 0.01);
        var y = x.Map(v => Math.Sin(v) + 1);
        network.ComputeGradients(x, y, Loss.MeanSquaredError);
        var analytic = ParameterVector.Gradients(network.Parameters);
        var θ = ParameterVector.Values(network.Parameters);
        Assert.Equal(16, analytic.Count);
        for (int k = 0; k < θ.Count; k++)
        {
            int i = k;
            double numerical = GradientCheck.CentralDifference(
                () => network.Loss(x, y, Loss.MeanSquaredError),
                () => θ[i],
                v => { θ[i] = v; ParameterVector.SetValues(network.Parameters, θ); });
            Assert.True(GradientCheck.RelativeError(analytic[k], numerical) < 1e-6,
                $"θ[{k}]: analytic {analytic[k]}, numerical {numerical}");
        }
    }

    [Fact]
    public void A_theta_of_the_wrong_length_names_both_lengths_and_the_shapes()
    {
        var network = OneInputNetwork(3, Activation.Sigmoid, seed: 5);
        var error = Assert.Throws<ArgumentException>(() => ParameterVector.SetValues(network.Parameters, Vector<double>.Build.Dense(9)));
        Assert.Contains("θ has 9 entries", error.Message);
        Assert.Contains("need 10", error.Message);
        Assert.Contains("W1 3×1", error.Message);
    }

    [Fact]
    public void A_non_finite_theta_entry_is_refused_with_its_index()
    {
        var network = OneInputNetwork(1, Activation.Sigmoid, seed: 6);
        var θ = ParameterVector.Values(network.Parameters);
        θ[2] = double.NaN;
        var error = Assert.Throws<ArgumentException>(() => ParameterVector.SetValues(network.Parameters, θ));
        Assert.Contains("θ[2]", error.Message);
    }
}
