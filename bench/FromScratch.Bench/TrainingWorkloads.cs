using MathNet.Numerics.LinearAlgebra;
using FromScratch.Kernels;

namespace FromScratch.Bench;

/// <summary>
/// Training workloads: the library's toy network, the two MLPs on the fast and the reference path, and the allocation
/// of one training step. Every MLP starts from <see cref="BenchData.InitialWeights"/> and takes the mini-batch order of
/// <see cref="MlpOrder"/> (written to out/bench/ so compare.py trains on the same batches).
/// </summary>
public static class TrainingWorkloads
{
    /// <summary>Learning rate η of the MLP workloads (plain SGD).</summary>
    public const double MlpLearningRate = 0.1;

    /// <summary>One MLP workload: layer sizes, batch size, epochs, and which data.</summary>
    public sealed record Mlp(string Name, int[] Sizes, int BatchSize, int Epochs);

    /// <summary>Digits 64-32-10, batch 32, 10 epochs over 1797 samples.</summary>
    public static readonly Mlp Digits = new("mlp_digits_64-32-10_b32_10epochs", [64, 32, 10], 32, 10);

    /// <summary>Synthetic MNIST-sized 784-128-10, batch 64, one epoch over 60,000 samples.</summary>
    public static readonly Mlp Mnist = new("mlp_784-128-10_b64_1epoch", [784, 128, 10], 64, 1);

    /// <summary>X (pixels scaled to [0, 1]) and one-hot Y of an MLP workload's data set.</summary>
    public static (Matrix<double> X, Matrix<double> Y) Data(Mlp mlp, string repoRoot)
    {
        if (mlp == Digits)
        {
            var (x, labels) = BenchData.Digits(repoRoot);
            return (x, OneHot.Encode(labels.Select(l => (int)l).ToArray(), 10));
        }
        var (pixels, classes) = BenchData.Synthetic784();
        var x784 = Matrix<double>.Build.Dense(784, BenchData.SyntheticSamples);
        double[] values = Kernels.ColumnMajor.Storage(x784);
        for (int i = 0; i < pixels.Length; i++) values[i] = pixels[i] / 255.0;
        return (x784, OneHot.Encode(classes.Select(l => (int)l).ToArray(), 10));
    }

    /// <summary>The sample order of every epoch, epoch after epoch (batches are its consecutive pieces): what the Trainer draws with seed <see cref="BenchData.Seed"/>.</summary>
    public static int[] MlpOrder(Mlp mlp, int samples)
    {
        var dummy = Matrix<double>.Build.Dense(1, samples);
        var batches = new MiniBatches(dummy, dummy, mlp.BatchSize, BenchData.Seed);
        var order = new List<int>();
        for (int e = 0; e < mlp.Epochs; e++)
            order.AddRange(batches.NextEpoch().SelectMany(b => b.Indices));
        return order.ToArray();
    }

    /// <summary>ReLU hidden layer(s), softmax output, from the benchmark's starting weights.</summary>
    public static Network Network(Mlp mlp)
    {
        var weights = BenchData.InitialWeights(mlp.Sizes);
        var layers = weights.Select((wb, l) => new Dense(wb.W, wb.B, l == weights.Count - 1 ? Activation.Softmax : Activation.ReLU)).ToArray();
        return new Network(layers);
    }

    /// <summary>Every training workload.</summary>
    public static IEnumerable<Workload> All(string repoRoot)
    {
        yield return ToyLibrary();
        foreach (var mlp in new[] { Digits, Mnist })
        {
            bool big = mlp == Mnist;
            yield return MlpWorkload(mlp, repoRoot, reference: false, repetitions: big ? 7 : 21, warmUp: big ? 1 : 3);
            yield return MlpWorkload(mlp, repoRoot, reference: true, repetitions: big ? 1 : 5, warmUp: big ? 0 : 1);
        }
        yield return LessonTwelve(repoRoot);
        yield return AllocationPerStep(repoRoot);
        yield return Evaluation(repoRoot);
        yield return Evaluation(repoRoot, single: true);
    }

    /// <summary>
    /// Lesson 12's ten-digit network as the lesson trains it (64-32-10 ReLU/softmax, He initialization, Adam α = 0.01,
    /// batch 64, 30 epochs on the 70 % training split, seed 42): a lesson-sized training, whose first repetition is
    /// what a learner's first run of that cell costs in a fresh kernel.
    /// </summary>
    public static Workload LessonTwelve(string repoRoot) => new("lesson_12_64-32-10_adam_b64_30epochs",
        "lesson 12's training: 64-32-10 ReLU/softmax, He, Adam α = 0.01, batch 64, 30 epochs, 70 % of the digits",
        () =>
        {
            var (x, y) = Data(Digits, repoRoot);
            var split = DataSplit.TrainTest(x, y, 0.3, 42);
            TrainingHistory? history = null;
            return new Step(
                () =>
                {
                    var network = FromScratch.Network.Create([64, 32, 10], Activation.ReLU, Activation.Softmax, Initializer.He, 42);
                    history = new Trainer(Loss.SoftmaxCrossEntropy, new Adam(0.01)) { Epochs = 30, BatchSize = 64, Seed = 42 }
                        .Train(network, split.XTrain, split.YTrain);
                },
                () => new Dictionary<string, double> { ["final_loss"] = history!.FinalLoss, ["iterations"] = history.Iterations });
        }, Repetitions: 21, WarmUp: 3);

    /// <summary>The library's <see cref="ToyNetwork"/> (scalar code), per-sample SGD, same weights and epochs as toy_2-2-1_scalar.</summary>
    public static Workload ToyLibrary() => new("toy_2-2-1_library",
        $"toy 2-2-1, the library's ToyNetwork.Train (per-sample SGD, epoch loss each epoch), {Workloads.ToyEpochs:N0} epochs × 4 samples",
        () =>
        {
            var samples = Enumerable.Range(0, 4).Select(s => new ToySample(BenchData.ToyX[s, 0], BenchData.ToyX[s, 1], BenchData.ToyY[s])).ToArray();
            ToyNetwork? net = null;
            return new Step(
                () =>
                {
                    double[] w = BenchData.ToyInitialWeights();
                    net = new ToyNetwork { W31 = w[0], W32 = w[1], W41 = w[2], W42 = w[3], W53 = w[4], W54 = w[5], B3 = w[6], B4 = w[7], B5 = w[8] };
                    net.Train(samples, Workloads.ToyLearningRate, Workloads.ToyEpochs);
                },
                () => new Dictionary<string, double> { ["final_loss"] = net!.Loss(samples) });
        }, Repetitions: 11, WarmUp: 2);

    private static Workload MlpWorkload(Mlp mlp, string repoRoot, bool reference, int repetitions, int warmUp) => new(
        $"{mlp.Name}_{(reference ? "reference" : "fast")}",
        $"{string.Join("-", mlp.Sizes)} ReLU/softmax, SGD η = {MlpLearningRate}, batch {mlp.BatchSize}, {mlp.Epochs} epoch(s), Trainer {(reference ? "ReferencePath (MathNet operators)" : "fast path")}",
        () =>
        {
            var (x, y) = Data(mlp, repoRoot);
            TrainingHistory? history = null;
            return new Step(
                () =>
                {
                    var trainer = new Trainer(Loss.SoftmaxCrossEntropy, new Sgd(MlpLearningRate))
                    { Epochs = mlp.Epochs, BatchSize = mlp.BatchSize, Seed = BenchData.Seed, ReferencePath = reference };
                    history = trainer.Train(Network(mlp), x, y);
                },
                () => new Dictionary<string, double>
                {
                    ["final_loss"] = history!.FinalLoss,
                    ["iterations"] = history.Iterations,
                });
        }, Repetitions: repetitions, WarmUp: warmUp);

    /// <summary>Bytes allocated by one fast training step (forward, loss, backward, SGD update) of 784-128-10 at batch 64, after warm-up.</summary>
    private static Workload AllocationPerStep(string repoRoot) => new("alloc_per_training_step",
        "one fast training step of 784-128-10 at batch 64 (forward, loss, backward, SGD update), bytes allocated after warm-up",
        () =>
        {
            var (x, y) = Data(Mnist, repoRoot);
            var network = Network(Mnist);
            var workspace = new TrainingWorkspace(network);
            var sgd = new Sgd(MlpLearningRate);
            var parameters = network.Parameters;
            int[] order = MlpOrder(Mnist, x.ColumnCount);
            int start = 0;
            return new Step(() =>
            {
                workspace.ComputeGradients(x, y, order.AsSpan(start, Mnist.BatchSize), Loss.SoftmaxCrossEntropy);
                sgd.Step(parameters);
                start = (start + Mnist.BatchSize) % (order.Length - Mnist.BatchSize);
            });
        }, StepsPerRepetition: 50, Repetitions: 11, WarmUp: 2);

    /// <summary>
    /// The epoch loss's pass: Ŷ over the 60,000 samples of 784-128-10 (what the Trainer runs after each epoch), on
    /// both cores or, <paramref name="single"/>, on one (the two compared say how well the halves share the cores).
    /// </summary>
    private static Workload Evaluation(string repoRoot, bool single = false) => new(single ? "eval_784-128-10_60000_single" : "eval_784-128-10_60000",
        "Ŷ of 784-128-10 over its 60,000 samples, in pieces of 512 columns (the epoch loss's forward pass)" + (single ? ", on one core" : ""),
        () =>
        {
            var (x, _) = Data(Mnist, repoRoot);
            var workspace = new TrainingWorkspace(Network(Mnist), single ? Threading.SingleThread : Threading.Auto);
            var ŷ = Matrix<double>.Build.Dense(10, x.ColumnCount);
            return new Step(() => workspace.Predict(x, 512, ŷ));
        }, 2.0 * (784 * 128 + 128 * 10) * BenchData.SyntheticSamples, StepsPerRepetition: 1, Repetitions: 11, WarmUp: 1);
}
