using MathNet.Numerics.LinearAlgebra;
using static FromScratch.Tests.TestMatrices;

namespace FromScratch.Tests.Normalization;

public class BatchNormNetworkTests
{
    /// <summary>4 → 5 (batch norm, g) → 3 (softmax), weights from a seed.</summary>
    private static Network NormalizedNetwork(Activation g, int seed)
    {
        var random = RandomNumbers.Create(seed);
        var norm = new BatchNorm(5);
        RandomMatrix(5, 1, seed + 1, 0.3).Add(1.0).CopyTo(norm.Gamma.Value);
        RandomMatrix(5, 1, seed + 2, 0.3).CopyTo(norm.Beta.Value);
        return new Network(
            new Dense(4, 5, Activation.Identity, Initializer.Normal(1.0), random),
            norm,
            new ActivationLayer(5, g),
            new Dense(5, 3, Activation.Softmax, Initializer.Normal(1.0), random));
    }

    [Theory]
    [InlineData("tanh")]
    [InlineData("sigmoid")]
    [InlineData("relu")]
    public void Whole_network_with_batch_norm_passes_the_gradient_check(string hidden)
    {
        var network = NormalizedNetwork(FromScratch.Tests.Networks.ActivationAndLossTests.ByName(hidden), 3);
        var report = NetworkGradientCheck.Run(network, RandomMatrix(4, 7, 4), RandomOneHot(3, 7, 5), Loss.SoftmaxCrossEntropy);
        Assert.True(report.Passed(1e-7), report.ToString());
        Assert.Equal(["W1", "γ1", "β1", "W2", "b2"], report.Parameters.Select(p => p.Name));
    }

    [Fact]
    public void The_bias_before_a_batch_norm_gets_no_gradient_signal_and_is_not_trained()
    {
        var network = NormalizedNetwork(Activation.Tanh, 6);
        network.ComputeGradients(RandomMatrix(4, 6, 7), RandomOneHot(3, 6, 8), Loss.SoftmaxCrossEntropy);
        var b1 = network.Layers[0].B;
        Assert.True(b1.Gradient.Enumerate().Max(Math.Abs) < 1e-15, b1.Gradient.ToString());
        Assert.DoesNotContain(b1, network.Parameters);
        Assert.Equal(4, network.Modules.Count);
        Assert.Equal(2, network.Layers.Count);
    }

    [Fact]
    public void Optimizers_train_gamma_and_beta_and_predict_uses_running_averages()
    {
        var network = NormalizedNetwork(Activation.ReLU, 9);
        var x = RandomMatrix(4, 40, 10, 3.0);
        var labels = Enumerable.Range(0, 40).Select(i => x[0, i] > 0 ? 0 : x[1, i] > 0 ? 1 : 2).ToArray();
        var y = OneHot.Encode(labels, 3);
        var norm = (BatchNorm)network.Modules[1];
        var γBefore = norm.Gamma.Value.Clone();
        var history = new Trainer(Loss.SoftmaxCrossEntropy, new Adam(0.01)) { Epochs = 60, BatchSize = 10, Seed = 1 }.Train(network, x, y);
        Assert.Equal(TrainingOutcome.Completed, history.Outcome);
        Assert.True(history.EpochLoss[^1] < history.EpochLoss[0] / 2, $"{history.EpochLoss[0]} → {history.EpochLoss[^1]}");
        Assert.NotEqual(γBefore, norm.Gamma.Value);
        // Running averages move once per training batch (60 epochs × 4 batches); measuring the epoch loss
        // (inference mode) must not move them.
        Assert.Equal(60 * 4, norm.BatchesSeen);

        // Predict uses μ_run, σ²_run: one sample alone gets the same answer as inside the whole set.
        var all = network.Predict(x);
        var one = network.Predict(DataSplit.Columns(x, [7]));
        Assert.True((all.Column(7) - one.Column(0)).AbsoluteMaximum() < 1e-12);
        // Forward on a batch uses the batch's own statistics instead, so it differs.
        Assert.True((network.Forward(x) - all).Enumerate().Max(Math.Abs) > 1e-6);
    }

    [Fact]
    public void The_trainer_gives_a_batch_norm_network_the_same_run_on_its_default_and_reference_paths()
    {
        // The fast training path handles Dense layers only; a network with a BatchNorm module must not
        // be trained as if the BatchNorm were not there.
        var x = RandomMatrix(4, 30, 11, 2.0);
        var y = OneHot.Encode(Enumerable.Range(0, 30).Select(i => x[0, i] > 0 ? 0 : x[2, i] > 0 ? 1 : 2).ToArray(), 3);
        TrainingHistory Run(bool reference) =>
            new Trainer(Loss.SoftmaxCrossEntropy, new Adam(0.01)) { Epochs = 5, BatchSize = 10, Seed = 2, ReferencePath = reference }
                .Train(NormalizedNetwork(Activation.Tanh, 12), x, y);
        Assert.Equal(Run(reference: true).IterationLoss, Run(reference: false).IterationLoss);
    }

    [Fact]
    public void Plain_dense_networks_keep_their_names_order_and_predict_equals_forward()
    {
        var network = Network.Create([3, 4, 2], Activation.Tanh, Activation.Sigmoid, Initializer.Xavier, seed: 1);
        Assert.Equal(["W1", "b1", "W2", "b2"], network.Parameters.Select(p => p.Name));
        Assert.Equal(network.Layers, network.Modules);
        var x = RandomMatrix(3, 5, 2);
        Assert.True(BitIdentical(network.Forward(x), network.Predict(x)));
    }

    [Fact]
    public void Mismatched_modules_and_a_non_dense_last_module_are_rejected_clearly()
    {
        var random = RandomNumbers.Create(1);
        var mismatch = Assert.Throws<ArgumentException>(() => new Network(
            new Dense(4, 5, Activation.Identity, Initializer.Xavier, random), new BatchNorm(6), new Dense(6, 1, Activation.Sigmoid, Initializer.Xavier, random)));
        Assert.Contains("batch norm 6", mismatch.Message);
        Assert.Contains("6 inputs", mismatch.Message);
        Assert.Contains("5 outputs", mismatch.Message);
        var last = Assert.Throws<ArgumentException>(() => new Network(
            new Dense(4, 5, Activation.Identity, Initializer.Xavier, random), new ActivationLayer(5, Activation.ReLU)));
        Assert.Contains("last module must be a Dense", last.Message);
    }
}
