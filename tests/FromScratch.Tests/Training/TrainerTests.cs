using MathNet.Numerics.LinearAlgebra;
using static FromScratch.Tests.TestMatrices;

namespace FromScratch.Tests.Training;

public class TrainerTests
{
    /// <summary>Real rows of data/davis.csv (weight kg, height cm, female = 1); row 12's swapped entry left out.</summary>
    private static readonly double[,] Davis =
    {
        { 77, 182, 0 }, { 58, 161, 1 }, { 53, 161, 1 }, { 68, 177, 0 }, { 59, 157, 1 }, { 76, 170, 0 },
        { 76, 167, 0 }, { 69, 186, 0 }, { 71, 178, 0 }, { 65, 171, 0 }, { 70, 175, 0 }, { 51, 161, 1 },
        { 64, 168, 1 }, { 52, 163, 1 }, { 65, 166, 1 }, { 92, 187, 0 }, { 62, 168, 1 }, { 76, 197, 0 },
    };

    private static (Matrix<double> X, Matrix<double> Y) DavisRows()
    {
        int m = Davis.GetLength(0);
        return (Matrix<double>.Build.Dense(2, m, (r, j) => Davis[j, r]), Matrix<double>.Build.Dense(1, m, (_, j) => Davis[j, 2]));
    }

    private static Network Small(int seed) => Network.Create([2, 3, 1], Activation.Tanh, Activation.Sigmoid, Initializer.Xavier, seed);

    [Fact]
    public void Reserving_room_in_a_history_changes_nothing_it_records_and_is_capped()
    {
        var history = new TrainingHistory("run");
        history.Reserve(long.MaxValue, 3); // capped: must not try to allocate room for 2⁶³ losses
        Assert.True(history.RecordIteration(1, 0.5));
        Assert.True(history.RecordEpoch(0.25));
        Assert.Equal([0.5], history.IterationLoss);
        Assert.Equal([0.25], history.EpochLoss);
        Assert.Equal(1, history.Iterations);
    }

    [Fact]
    public void Standardized_davis_rows_are_learned_with_mini_batches()
    {
        var (x, y) = DavisRows();
        var xs = new Standardizer().FitTransform(x);
        var trainer = new Trainer(Loss.BinaryCrossEntropy, new Adam(0.05)) { Epochs = 200, BatchSize = 4, Seed = 1, Metric = Metrics.Accuracy };
        var history = trainer.Train(Small(0), xs, y);

        Assert.Equal(TrainingOutcome.Completed, history.Outcome);
        Assert.Equal(200 * 5, history.Iterations);             // ⌈18 / 4⌉ = 5 updates per epoch
        Assert.Equal(200, history.EpochMetric.Count);
        Assert.True(history.FinalLoss < history.EpochLoss[0] / 2, $"{history.EpochLoss[0]} → {history.FinalLoss}");
        Assert.True(history.EpochMetric[^1] >= 0.85, $"accuracy {history.EpochMetric[^1]}");
    }

    [Fact]
    public void Raw_kg_cm_features_with_a_linear_network_diverge_and_are_reported()
    {
        var (x, y) = DavisRows();
        var network = Network.Create([2, 2, 1], Activation.Identity, Activation.Identity, Initializer.Normal(1.0), seed: 0);
        var history = new Trainer(Loss.MeanSquaredError, new Sgd(0.01)) { Epochs = 50, BatchSize = 1, Seed = 0 }.Train(network, x, y);

        Assert.Equal(TrainingOutcome.Diverged, history.Outcome);
        Assert.Equal(1, history.DivergedAtEpoch);
        Assert.InRange(history.DivergedAtIteration!.Value, 2, 18);               // within the first epoch of 18 updates
        Assert.Equal(history.Iterations, history.DivergedAtIteration);           // the run stopped right there
        Assert.All(history.IterationLoss.SkipLast(1), l => Assert.True(double.IsFinite(l)));
        Assert.False(double.IsFinite(history.DivergedLoss!.Value));
        Assert.Equal(history.IterationLoss[^1], history.DivergedLoss.Value);
        Assert.Equal(0, history.Epochs);
        Assert.Contains($"diverged in epoch 1 (iteration {history.DivergedAtIteration})", history.ToString());
    }

    [Fact]
    public void Target_loss_stops_the_run()
    {
        var (x, y) = DavisRows();
        var history = new Trainer(Loss.BinaryCrossEntropy, new Adam(0.05)) { Epochs = 1000, TargetLoss = 0.3, Seed = 2 }
            .Train(Small(1), new Standardizer().FitTransform(x), y);
        Assert.Equal(TrainingOutcome.ReachedTarget, history.Outcome);
        Assert.True(history.FinalLoss < 0.3);
        Assert.True(history.Epochs < 1000);
        Assert.Equal(history.Epochs, history.Iterations);      // default batch size: all samples, one update per epoch
    }

    [Fact]
    public void Batch_gradient_descent_lowers_the_loss_at_every_step_with_a_small_rate()
    {
        var (x, y) = DavisRows();
        var history = new Trainer(Loss.MeanSquaredError, new Sgd(0.1)) { Epochs = 100, Shuffle = false }
            .Train(Small(3), new Standardizer().FitTransform(x), y);
        for (int i = 1; i < history.Iterations; i++) Assert.True(history.IterationLoss[i] < history.IterationLoss[i - 1], $"iteration {i + 1}");
    }

    [Fact]
    public void Same_seed_gives_bit_identical_runs()
    {
        var (x, y) = DavisRows();
        var xs = new Standardizer().FitTransform(x);
        TrainingHistory Run(int seed, out Network network)
        {
            network = Small(5);
            return new Trainer(Loss.BinaryCrossEntropy, new Momentum(0.1)) { Epochs = 20, BatchSize = 5, Seed = seed }.Train(network, xs, y);
        }
        var a = Run(7, out var na);
        var b = Run(7, out var nb);
        var c = Run(8, out _);
        Assert.Equal(a.IterationLoss.Select(BitConverter.DoubleToInt64Bits), b.IterationLoss.Select(BitConverter.DoubleToInt64Bits));
        Assert.All(na.Parameters.Zip(nb.Parameters), p => Assert.True(BitIdentical(p.First.Value, p.Second.Value)));
        Assert.NotEqual(a.IterationLoss, c.IterationLoss);     // a different shuffle
    }

    [Fact]
    public void Schedule_sets_the_learning_rate_each_epoch()
    {
        var (x, y) = DavisRows();
        var sgd = new Sgd(1.0);
        new Trainer(Loss.MeanSquaredError, sgd) { Epochs = 5, Schedule = LearningRateSchedule.InverseTimeDecay(0.2, 1) }
            .Train(Small(0), new Standardizer().FitTransform(x), y);
        Assert.Equal(0.2 / (1 + 4), sgd.LearningRate, 15);     // the fifth epoch ran after 4 completed epochs
    }

    [Fact]
    public void Intro_xor_table_is_learned_with_sum_of_squares()
    {
        // 3 inputs → 4 sigmoid → 1 sigmoid, sum-of-squares loss, 1500 full-batch iterations.
        var x = M(new double[,] { { 0, 0, 1, 1 }, { 0, 1, 0, 1 }, { 1, 1, 1, 1 } });
        var y = M(new double[,] { { 0, 1, 1, 0 } });
        var network = Network.Create([3, 4, 1], Activation.Sigmoid, Activation.Sigmoid, Initializer.Uniform(1.0), seed: 1);
        var history = new Trainer(Loss.SumOfSquares, new Sgd(1.0)) { Epochs = 1500 }.Train(network, x, y);

        Assert.True(history.FinalLoss < 0.05, $"final loss {history.FinalLoss}");
        var ŷ = network.Predict(x);
        Assert.All(Enumerable.Range(0, 4), j => Assert.InRange(Math.Abs(ŷ[0, j] - y[0, j]), 1e-6, 0.2)); // close to, not at, the targets
    }

    [Fact]
    public void Bad_options_and_shapes_are_rejected()
    {
        Assert.Contains("-1", Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(Loss.MeanSquaredError, new Sgd(0.1)) { Epochs = -1 }).Message);
        Assert.Contains("BatchSize", Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(Loss.MeanSquaredError, new Sgd(0.1)) { BatchSize = 0 }).Message);
        var (x, y) = DavisRows();
        var e = Assert.Throws<ArgumentException>(() => new Trainer(Loss.MeanSquaredError, new Sgd(0.1)).Train(Small(0), x.Transpose(), y));
        Assert.Contains("18×2", e.Message);
    }
}
