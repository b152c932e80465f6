using FromScratch.Tests.Kernels;
using MathNet.Numerics.LinearAlgebra;
using static FromScratch.Tests.TestMatrices;

namespace FromScratch.Tests.Training;

/// <summary>
/// The trainer's fast path (preallocated buffers, Gemm, in-place kernels) against its readable reference path
/// (Network.ComputeGradients with MathNet operators): same losses and weights, and no allocation per step.
/// </summary>
[Collection("Allocation")]
public class FastPathTests
{
    private static Optimizer MakeOptimizer(string name) => name switch
    {
        "sgd" => new Sgd(0.1),
        "momentum" => new Momentum(0.1),
        "rmsprop" => new RmsProp(0.01),
        "adam" => new Adam(0.01),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private static Activation MakeActivation(string name) => name switch
    {
        "sigmoid" => Activation.Sigmoid,
        "tanh" => Activation.Tanh,
        "relu" => Activation.ReLU,
        "leaky" => Activation.LeakyReLU(0.1),
        "identity" => Activation.Identity,
        "softmax" => Activation.Softmax,
        "custom" => new Softplus(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private static Loss MakeLoss(string name) => name switch
    {
        "sce" => Loss.SoftmaxCrossEntropy,
        "bce" => Loss.BinaryCrossEntropy,
        "mse" => Loss.MeanSquaredError,
        "sos" => Loss.SumOfSquares,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    /// <summary>A user-defined activation (public API only): the fast path falls back to its Forward/Backward.</summary>
    /// <summary>A loss of a learner's own: Σ |y − ŷ| / m.</summary>
    private sealed class AbsoluteLoss : Loss
    {
        public override string Name => "absolute";
        public override double Value(Matrix<double> ŷ, Matrix<double> y) => (y - ŷ).PointwiseAbs().Enumerate().Sum() / y.ColumnCount;
        public override Matrix<double> Gradient(Matrix<double> ŷ, Matrix<double> y) => (ŷ - y).PointwiseSign();
    }

    private sealed class Softplus : ElementwiseActivation
    {
        public override string Name => "softplus";
        public override double Apply(double z) => Math.Log(1 + Math.Exp(z));
        public override double Derivative(double z) => SigmoidOf(z);
    }

    [Theory]
    [InlineData("relu", "softmax", "sce", "sgd", 16)]
    [InlineData("sigmoid", "softmax", "sce", "momentum", 7)]
    [InlineData("tanh", "sigmoid", "bce", "adam", 10)]
    [InlineData("leaky", "identity", "mse", "rmsprop", 13)]
    [InlineData("sigmoid", "sigmoid", "mse", "sgd", 60)]              // sigmoid + MSE: no shortcut, dA then σ′ in place
    [InlineData("tanh", "softmax", "mse", "adam", 9)]                 // softmax backward in place
    [InlineData("custom", "identity", "sos", "sgd", 11)]              // custom activation: fallback through Forward/Backward
    public void Fast_and_reference_paths_train_to_the_same_losses_and_weights(string hidden, string output, string lossName, string optimizer, int batchSize)
    {
        int outputs = output == "softmax" ? 4 : 2;
        var x = RandomMatrix(6, 60, seed: 1);
        var y = output == "softmax" ? RandomOneHot(outputs, 60, seed: 2)
            : lossName == "bce" ? RandomBinary(outputs, 60, seed: 2) : RandomMatrix(outputs, 60, seed: 2, scale: 0.5);
        double η = lossName == "sos" ? 0.001 : 1;

        TrainingHistory Run(bool reference, out Network network)
        {
            network = Network.Create([6, 8, 5, outputs], MakeActivation(hidden), MakeActivation(output), Initializer.Xavier, seed: 3);
            var opt = MakeOptimizer(optimizer);
            opt.LearningRate *= η;
            var trainer = new Trainer(MakeLoss(lossName), opt) { Epochs = 15, BatchSize = batchSize, Seed = 4, ReferencePath = reference, Metric = Metrics.Accuracy };
            return trainer.Train(network, x, y);
        }

        var slow = Run(reference: true, out var slowNet);
        var fast = Run(reference: false, out var fastNet);

        Assert.Equal(slow.Outcome, fast.Outcome);
        Assert.Equal(slow.Iterations, fast.Iterations);
        Assert.Equal(15 * ((60 + batchSize - 1) / batchSize), fast.Iterations);
        for (int i = 0; i < slow.Iterations; i++)
            Assert.Equal(slow.IterationLoss[i], fast.IterationLoss[i], 1e-10);
        for (int e = 0; e < slow.Epochs; e++)
        {
            Assert.Equal(slow.EpochLoss[e], fast.EpochLoss[e], 1e-10);
            Assert.Equal(slow.EpochMetric[e], fast.EpochMetric[e]);
        }
        Assert.True(fast.FinalLoss < fast.EpochLoss[0] || fast.FinalLoss < 1e-3, $"the run should learn something: {fast.EpochLoss[0]} → {fast.FinalLoss}");
        AssertSameParameters(slowNet, fastNet);
    }

    [Fact]
    public void Products_split_over_the_cores_train_784_128_10_like_the_reference_path()
    {
        // Z¹ = W¹·X and dW¹ = (1/m)·dZ¹·Xᵀ of 784-128-10 at batch 64 are 12.8 MFLOP each: the fast path splits them
        // (and W¹·X over the set for the epoch loss) over the cores; the numbers must not change.
        Assert.True(2L * 128 * 64 * 784 >= FromScratch.Kernels.Gemm.ParallelThresholdFlops, "this test is meant to cover the threaded products");
        var x = RandomMatrix(784, 200, seed: 21, scale: 0.5);
        var y = RandomOneHot(10, 200, seed: 22);
        TrainingHistory Run(bool reference, out Network network)
        {
            network = Network.Create([784, 128, 10], Activation.ReLU, Activation.Softmax, Initializer.He, seed: 23);
            return new Trainer(Loss.SoftmaxCrossEntropy, new Sgd(0.1)) { Epochs = 2, BatchSize = 64, Seed = 24, ReferencePath = reference }
                .Train(network, x, y);
        }
        var slow = Run(reference: true, out var slowNet);
        var fast = Run(reference: false, out var fastNet);

        Assert.Equal(2 * 4, fast.Iterations); // 200 = 64 + 64 + 64 + 8 per epoch
        for (int i = 0; i < slow.Iterations; i++)
            Assert.Equal(slow.IterationLoss[i], fast.IterationLoss[i], 1e-10);
        Assert.Equal(slow.FinalLoss, fast.FinalLoss, 1e-10);
        AssertSameParameters(slowNet, fastNet);
    }

    [Fact]
    public void A_784_128_10_step_with_split_products_allocates_nothing_after_warm_up()
    {
        // The calling thread's bytes (the helper threads reserve their packing buffers when they start).
        var x = RandomMatrix(784, 300, seed: 25);
        var y = RandomOneHot(10, 300, seed: 26);
        var network = Network.Create([784, 128, 10], Activation.ReLU, Activation.Softmax, Initializer.He, seed: 27);
        var workspace = new TrainingWorkspace(network);
        var sgd = new Sgd(0.05);
        var parameters = network.Parameters;
        int[] batch = Enumerable.Range(0, 64).Select(i => 2 * i).ToArray();
        int[] next = Enumerable.Range(0, 64).Select(i => 2 * i + 1).ToArray();
        var ŷ = Matrix<double>.Build.Dense(10, 300);
        void Step()
        {
            workspace.ComputeGradients(x, y, batch, Loss.SoftmaxCrossEntropy, next); // Z¹ in halves along k
            sgd.Step(parameters);
            workspace.Predict(x, 128, ŷ);                                           // two halves of 150 columns
        }

        Step(); // warm-up: buffers, helper threads, packing buffers
        Step();
        long allocated = Allocations.FewestBytes(() => { for (int i = 0; i < 5; i++) Step(); });

        Assert.Equal(0, allocated);
        Assert.True((network.Forward(x) - ŷ).InfinityNorm() < 1e-12);
    }

    [Fact]
    public void The_fast_path_reports_divergence_like_the_reference_path()
    {
        var x = RandomMatrix(2, 18, seed: 5, scale: 100);
        var y = RandomMatrix(1, 18, seed: 6, scale: 100);
        TrainingHistory Run(bool reference) =>
            new Trainer(Loss.MeanSquaredError, new Sgd(0.01)) { Epochs = 50, BatchSize = 1, ReferencePath = reference }
                .Train(Network.Create([2, 2, 1], Activation.Identity, Activation.Identity, Initializer.Normal(1.0), seed: 0), x, y);
        var slow = Run(true);
        var fast = Run(false);
        Assert.Equal(TrainingOutcome.Diverged, fast.Outcome);
        Assert.Equal(slow.DivergedAtEpoch, fast.DivergedAtEpoch);
        Assert.Equal(slow.DivergedAtIteration, fast.DivergedAtIteration);
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("momentum")]
    [InlineData("rmsprop")]
    [InlineData("adam")]
    public void A_training_step_allocates_nothing_after_warm_up(string optimizer)
    {
        // A count of bytes on this thread (not a timing): forward, loss, backward and the optimizer's update.
        var x = RandomMatrix(64, 100, seed: 7);
        var y = RandomOneHot(10, 100, seed: 8);
        var network = Network.Create([64, 32, 10], Activation.ReLU, Activation.Softmax, Initializer.He, seed: 9);
        var workspace = new TrainingWorkspace(network);
        var opt = MakeOptimizer(optimizer);
        var parameters = network.Parameters;
        int[] full = Enumerable.Range(0, 32).Select(i => 3 * i % 100).ToArray();
        int[] partial = [5, 1, 99, 42];
        int[][] batches = [full, partial];
        var ŷ = Matrix<double>.Build.Dense(10, 100);
        void Steps()
        {
            foreach (var batch in batches)
            {
                workspace.ComputeGradients(x, y, batch, Loss.SoftmaxCrossEntropy);
                opt.Step(parameters);
            }
            workspace.Predict(x, 32, ŷ);
        }

        Steps(); // warm-up: buffers for 32, 4 and the Predict remainder, optimizer state, Gemm packing buffers
        Steps();
        long allocated = Allocations.FewestBytes(() => { for (int i = 0; i < 10; i++) Steps(); });

        Assert.Equal(0, allocated);
        Assert.True(double.IsFinite(Loss.SoftmaxCrossEntropy.Value(ŷ, y)));
    }

    [Fact]
    public void A_784_wide_batch_copied_by_both_cores_gives_the_gradients_of_Network_ComputeGradients()
    {
        // 784 × 64 numbers, with a first layer too small to share (8 units: 0.8 MFLOP, so no FirstLayerInHalves):
        // the batch's copy is split over the cores by columns; the same numbers.
        Assert.True(784 * 64 >= FromScratch.Kernels.VectorKernels.ParallelLength, "this test is meant to cover the split copy");
        Assert.True(2L * 8 * 784 * 64 < FromScratch.Kernels.Gemm.ParallelThresholdFlops, "the first layer should not be cut along k here");
        var x = RandomMatrix(784, 300, seed: 31);
        var y = RandomOneHot(10, 300, seed: 32);
        var a = Network.Create([784, 8, 10], Activation.ReLU, Activation.Softmax, Initializer.He, seed: 33);
        var b = Network.Create([784, 8, 10], Activation.ReLU, Activation.Softmax, Initializer.He, seed: 33);
        int[] indices = [.. Enumerable.Range(0, 64).Select(i => (i * 97 + 13) % 300)]; // scattered, in no order
        long splitCopies = TrainingWorkspace.SplitCopies;
        double slow = a.ComputeGradients(DataSplit.Columns(x, indices), DataSplit.Columns(y, indices), Loss.SoftmaxCrossEntropy);
        double fast = new TrainingWorkspace(b).ComputeGradients(x, y, indices, Loss.SoftmaxCrossEntropy);

        Assert.Equal(slow, fast, 1e-12);
        for (int p = 0; p < a.Parameters.Count; p++)
            Assert.True((a.Parameters[p].Gradient - b.Parameters[p].Gradient).InfinityNorm() < 1e-12, a.Parameters[p].Name);
        if (Environment.ProcessorCount >= 2) // (the Allocation collection runs alone, so the helpers are free)
            Assert.True(TrainingWorkspace.SplitCopies > splitCopies, "the batch copy was not split over the cores");
    }

    [Fact]
    public void The_first_layer_cut_along_k_and_the_evaluation_cut_by_columns_give_the_same_bits_on_one_core_and_on_two()
    {
        // 784-128-10 at batch 64: Z¹ = W¹·X is computed as W¹[:, :392]·X[:392] + W¹[:, 392:]·X[392:], one half per
        // core, and the evaluation over 300 columns as two halves of 150. On one thread (Threading.SingleThread) the
        // same halves run in turn: every number must be the same to the bit, and match the reference path.
        var x = RandomMatrix(784, 300, seed: 41, scale: 0.5);
        var y = RandomOneHot(10, 300, seed: 42);
        Network Make() => Network.Create([784, 128, 10], Activation.ReLU, Activation.Softmax, Initializer.He, seed: 43);
        Network reference = Make(), one = Make(), two = Make();
        int[] indices = [.. Enumerable.Range(0, 64).Select(i => (i * 89 + 7) % 300)];
        int[] next = [.. Enumerable.Range(0, 64).Select(i => (i * 53 + 11) % 300)];
        long sharedSteps = TrainingWorkspace.SharedFirstLayers, sharedEvaluations = TrainingWorkspace.SharedEvaluations;
        var onOne = new TrainingWorkspace(one, FromScratch.Kernels.Threading.SingleThread);
        var onTwo = new TrainingWorkspace(two);

        double e1 = onOne.ComputeGradients(x, y, indices, Loss.SoftmaxCrossEntropy, next);
        double e2 = onTwo.ComputeGradients(x, y, indices, Loss.SoftmaxCrossEntropy, next);
        double e = reference.ComputeGradients(DataSplit.Columns(x, indices), DataSplit.Columns(y, indices), Loss.SoftmaxCrossEntropy);
        Assert.Equal(BitConverter.DoubleToInt64Bits(e1), BitConverter.DoubleToInt64Bits(e2));
        Assert.Equal(e, e2, 1e-12);
        for (int p = 0; p < two.Parameters.Count; p++)
        {
            AssertSameBits(one.Parameters[p].Gradient, two.Parameters[p].Gradient, one.Parameters[p].Name);
            Assert.True((reference.Parameters[p].Gradient - two.Parameters[p].Gradient).InfinityNorm() < 1e-12, two.Parameters[p].Name);
        }

        var ŷ1 = Matrix<double>.Build.Dense(10, 300);
        var ŷ2 = Matrix<double>.Build.Dense(10, 300, double.NaN);
        onOne.Predict(x, 64, ŷ1);
        onTwo.Predict(x, 64, ŷ2); // halves of 150 columns: pieces 64 + 64 + 22 each
        AssertSameBits(ŷ1, ŷ2, "Ŷ");
        Assert.True((reference.Forward(x) - ŷ2).InfinityNorm() < 1e-12);
        if (Environment.ProcessorCount >= 2) // (the Allocation collection runs alone, so the helpers are free)
        {
            Assert.True(TrainingWorkspace.SharedFirstLayers > sharedSteps, "Z¹ was not shared between the cores");
            Assert.True(TrainingWorkspace.SharedEvaluations > sharedEvaluations, "the evaluation was not shared between the cores");
        }
    }

    private static void AssertSameBits(Matrix<double> expected, Matrix<double> actual, string name)
    {
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(expected.ColumnCount, actual.ColumnCount);
        for (int j = 0; j < expected.ColumnCount; j++)
            for (int i = 0; i < expected.RowCount; i++)
                Assert.True(BitConverter.DoubleToInt64Bits(expected[i, j]) == BitConverter.DoubleToInt64Bits(actual[i, j]),
                    $"{name}[{i}, {j}]: {expected[i, j]:R} on one core, {actual[i, j]:R} on two");
    }

    [Fact]
    public void The_fast_step_gives_the_gradients_of_Network_ComputeGradients()
    {
        var x = RandomMatrix(5, 20, seed: 10);
        var y = RandomBinary(3, 20, seed: 11);
        var a = Network.Create([5, 7, 3], Activation.Tanh, Activation.Sigmoid, Initializer.Xavier, seed: 12);
        var b = Network.Create([5, 7, 3], Activation.Tanh, Activation.Sigmoid, Initializer.Xavier, seed: 12);
        int[] indices = [3, 17, 0, 9, 9, 12];
        double slow = a.ComputeGradients(DataSplit.Columns(x, indices), DataSplit.Columns(y, indices), Loss.BinaryCrossEntropy);
        double fast = new TrainingWorkspace(b).ComputeGradients(x, y, indices, Loss.BinaryCrossEntropy);
        Assert.Equal(slow, fast, 1e-14);
        for (int p = 0; p < a.Parameters.Count; p++)
            Assert.True((a.Parameters[p].Gradient - b.Parameters[p].Gradient).InfinityNorm() < 1e-14, a.Parameters[p].Name);

        var ŷ = Matrix<double>.Build.Dense(3, 20);
        new TrainingWorkspace(b).Predict(x, 6, ŷ); // 20 = 6 + 6 + 6 + 2 columns
        Assert.True((b.Forward(x) - ŷ).InfinityNorm() < 1e-14);
    }

    [Theory]
    [InlineData("sigmoid")]
    [InlineData("tanh")]
    [InlineData("relu")]
    [InlineData("leaky")]
    [InlineData("identity")]
    [InlineData("softmax")]
    public void In_place_activations_give_the_numbers_of_Forward_and_Backward(string name)
    {
        var g = MakeActivation(name);
        var z = RandomMatrix(4, 5, seed: 13, scale: 3);
        var dA = RandomMatrix(4, 5, seed: 14);
        var a = g.Forward(z);
        var aInto = Matrix<double>.Build.Dense(4, 5, double.NaN);
        g.ForwardInto(z, aInto);
        Assert.Equal(a, aInto);
        var d = dA.Clone();
        g.BackwardInPlace(z, a, d);
        Assert.Equal(g.Backward(z, a, dA), d);
    }

    [Theory]
    [InlineData("relu", 1)]
    [InlineData("relu", 7)]
    [InlineData("leaky", 9)]
    [InlineData("relu", 8195)]
    [InlineData("leaky", 8195)]
    public void Vectorized_ReLU_gives_the_entry_by_entry_numbers_bit_for_bit(string name, int count)
    {
        // The fast ReLU works several entries at a time with a tail done one by one: every length, every sign,
        // and the numbers where a careless max() would differ (−0, NaN, ±∞) must come out as Apply and Derivative say.
        var g = (ElementwiseActivation)MakeActivation(name);
        double[] special = [-0.0, 0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1e-310, -1e-310, -2.5, 3.25];
        var rng = new Random(count);
        var z = Matrix<double>.Build.Dense(1, count, (_, j) => j < special.Length ? special[j] : 4 * rng.NextDouble() - 2);
        var dA = Matrix<double>.Build.Dense(1, count, (_, j) => j == 0 ? -1.5 : 2 * rng.NextDouble() - 1);
        var a = Matrix<double>.Build.Dense(1, count, double.NaN);
        g.ForwardInto(z, a);
        var d = dA.Clone();
        g.BackwardInPlace(z, a, d);
        for (int j = 0; j < count; j++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(g.Apply(z[0, j])), BitConverter.DoubleToInt64Bits(a[0, j]));
            Assert.Equal(BitConverter.DoubleToInt64Bits(dA[0, j] * g.Derivative(z[0, j])), BitConverter.DoubleToInt64Bits(d[0, j]));
        }
    }

    [Theory]
    [InlineData("sce", "softmax")]
    [InlineData("bce", "sigmoid")]
    [InlineData("mse", "identity")]
    [InlineData("sos", "identity")]
    public void In_place_loss_gradients_give_the_numbers_of_Gradient(string lossName, string output)
    {
        var loss = MakeLoss(lossName);
        var act = MakeActivation(output);
        var ŷ = act.Forward(RandomMatrix(3, 4, seed: 15));
        var y = lossName == "sce" ? RandomOneHot(3, 4, seed: 16) : RandomBinary(3, 4, seed: 16);
        var dA = Matrix<double>.Build.Dense(3, 4, double.NaN);
        loss.GradientInto(ŷ, y, dA);
        Assert.Equal(loss.Gradient(ŷ, y), dA);
        var dZ = Matrix<double>.Build.Dense(3, 4, double.NaN);
        var combined = loss.CombinedOutputGradient(act, ŷ, y);
        Assert.Equal(combined is not null, loss.CombinedOutputGradientInto(act, ŷ, y, dZ));
        if (combined is not null) Assert.Equal(combined, dZ);
        else Assert.True(double.IsNaN(dZ[0, 0]), "dZ must be left untouched without a shortcut");
    }

    [Theory]
    [InlineData("sce", "softmax")]
    [InlineData("bce", "sigmoid")]
    [InlineData("mse", "identity")]
    [InlineData("sos", "identity")]
    public void Loss_values_read_from_the_storage_equal_Value_bit_for_bit(string lossName, string output)
    {
        var loss = MakeLoss(lossName);
        for (int seed = 0; seed < 5; seed++)
        {
            var ŷ = MakeActivation(output).Forward(RandomMatrix(7, 13, seed: 40 + seed));
            var y = lossName == "sce" ? RandomOneHot(7, 13, seed: 50 + seed) : RandomBinary(7, 13, seed: 50 + seed);
            Assert.Equal(BitConverter.DoubleToInt64Bits(loss.Value(ŷ, y)), BitConverter.DoubleToInt64Bits(loss.ValueOnStorage(ŷ, y)));
        }
        // A loss of the learner's own falls back to its Value.
        var mine = new AbsoluteLoss();
        var m = RandomMatrix(2, 3, seed: 60);
        Assert.Equal(mine.Value(m, m * 0.5), mine.ValueOnStorage(m, m * 0.5));
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("momentum")]
    [InlineData("rmsprop")]
    [InlineData("adam")]
    public void Optimizer_steps_on_the_storage_equal_Step_bit_for_bit(string name)
    {
        // Ten steps of each optimizer on the same parameter and gradients: the lesson's Step (entry by entry) and the
        // fast path's StepOnStorage give the same bits (same formulas, same order, no fused multiply-add).
        Optimizer slow = MakeOptimizer(name), fast = MakeOptimizer(name);
        var a = new Parameter("W", RandomMatrix(5, 7, seed: 70));
        var b = new Parameter("W", a.Value.Clone());
        for (int step = 0; step < 10; step++)
        {
            var g = RandomMatrix(5, 7, seed: 71 + step);
            g.CopyTo(a.Gradient);
            g.CopyTo(b.Gradient);
            slow.Step([a]);
            fast.StepOnStorage([b]);
        }
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 7; j++)
                Assert.Equal(BitConverter.DoubleToInt64Bits(a.Value[i, j]), BitConverter.DoubleToInt64Bits(b.Value[i, j]));
        Assert.NotEqual(RandomMatrix(5, 7, seed: 70), a.Value); // the steps moved W
    }

    [Fact]
    public void The_fast_softmax_shortcut_still_names_a_label_column_that_does_not_sum_to_one()
    {
        var ŷ = Activation.Softmax.Forward(RandomMatrix(3, 4, seed: 61));
        var y = RandomOneHot(3, 4, seed: 62);
        y[0, 2] += 0.5;
        var e = Assert.Throws<ArgumentException>(() =>
            Loss.SoftmaxCrossEntropy.CombinedOutputGradientInto(Activation.Softmax, ŷ, y, Matrix<double>.Build.Dense(3, 4)));
        Assert.Contains("sample 2 (column 2 of Y) sums to 1.5", e.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void NextOrder_is_the_order_of_NextEpoch(bool shuffle)
    {
        var x = RandomMatrix(2, 11, seed: 17);
        var y = RandomMatrix(1, 11, seed: 18);
        var a = new MiniBatches(x, y, 4, seed: 19, shuffle);
        var b = new MiniBatches(x, y, 4, seed: 19, shuffle);
        for (int epoch = 0; epoch < 3; epoch++)
            Assert.Equal(a.NextEpoch().SelectMany(batch => batch.Indices).ToArray(), b.NextOrder().ToArray());
    }

    /// <summary>Every weight and every gradient of the two networks agree to 1e-10.</summary>
    private static void AssertSameParameters(Network slowNet, Network fastNet)
    {
        for (int p = 0; p < slowNet.Parameters.Count; p++)
        {
            var a = slowNet.Parameters[p];
            var b = fastNet.Parameters[p];
            Assert.True((a.Value - b.Value).InfinityNorm() < 1e-10, $"{a.Name}: {(a.Value - b.Value).InfinityNorm()}");
            Assert.True((a.Gradient - b.Gradient).InfinityNorm() < 1e-10, $"d{a.Name}: {(a.Gradient - b.Gradient).InfinityNorm()}");
        }
    }
}
