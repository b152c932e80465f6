namespace FromScratch.Tests.Toy;

/// <summary>
/// The phenomena of lessons 3–5, reproduced with the library alone on the classic four people in kg and cm
/// (1 lb = 0.45359237 kg, 1 in = 2.54 cm; female = 1).
/// </summary>
public class PhenomenaTests
{
    private const double Lb = 0.45359237, Inch = 2.54;

    internal static readonly ToySample[] FourMetric =
    [
        new(133 * Lb, 65 * Inch, 1), // Alice   60.3 kg, 165.1 cm
        new(160 * Lb, 72 * Inch, 0), // Bob     72.6 kg, 182.9 cm
        new(152 * Lb, 70 * Inch, 0), // Charlie 68.9 kg, 177.8 cm
        new(120 * Lb, 60 * Inch, 1), // Diana   54.4 kg, 152.4 cm
    ];

    private static ToySample[] Normalized(StandardizationMode mode)
    {
        var (x, y) = ToySample.ToMatrices(FourMetric);
        return ToySample.FromMatrices(new Standardizer(mode).FitTransform(x), y);
    }

    [Theory]
    [InlineData(0, 0.01)]
    [InlineData(1, 0.01)]
    [InlineData(2, 0.01)]
    [InlineData(0, 0.1)]
    [InlineData(0, 0.001)]
    public void Linear_network_on_raw_kg_cm_features_diverges_and_the_history_says_when(int seed, double η)
    {
        var network = ToyNetwork.RandomInit(seed, ToyActivation.Identity, ToyActivation.Identity);
        var history = network.Train(FourMetric, η, epochs: 100);

        Assert.Equal(TrainingOutcome.Diverged, history.Outcome);
        Assert.InRange(history.DivergedAtEpoch!.Value, 1, 2);
        Assert.True(double.IsNaN(history.DivergedLoss!.Value) || double.IsInfinity(history.DivergedLoss.Value));
        Assert.Equal(history.Iterations, history.DivergedAtIteration);
        Assert.Contains("diverged in epoch", history.ToString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Sigmoid_network_on_raw_features_gets_stuck_near_a_quarter(int seed)
    {
        var network = ToyNetwork.RandomInit(seed);
        var history = network.Train(FourMetric, η: 0.1, epochs: 500);

        Assert.Equal(TrainingOutcome.Completed, history.Outcome);
        Assert.InRange(history.FinalLoss, 0.245, 0.255);                                    // stuck at ≈ 0.25 …
        Assert.True(Math.Abs(history.EpochLoss[249] - history.EpochLoss[499]) < 1e-3);   // … and not moving

        // Why: the hidden sigmoids saturate on inputs in the hundreds, so σ'(z) ≈ 0 and the gradients vanish.
        foreach (var s in FourMetric)
        {
            var f = network.Forward(s.X1, s.X2);
            Assert.True(Activation.SigmoidDerivativeOf(f.Z3) < 1e-3 || Activation.SigmoidDerivativeOf(f.Z4) < 1e-3,
                $"σ'(z3) = {Activation.SigmoidDerivativeOf(f.Z3)}, σ'(z4) = {Activation.SigmoidDerivativeOf(f.Z4)}");
        }
    }

    [Theory]
    [InlineData(0, StandardizationMode.ZeroMean)]
    [InlineData(1, StandardizationMode.ZeroMean)]
    [InlineData(2, StandardizationMode.ZeroMean)]
    [InlineData(3, StandardizationMode.ZeroMean)]
    [InlineData(0, StandardizationMode.Standardize)]
    [InlineData(1, StandardizationMode.Standardize)]
    [InlineData(2, StandardizationMode.Standardize)]
    [InlineData(3, StandardizationMode.Standardize)]
    public void Zero_mean_or_standardized_features_reach_loss_below_one_tenth(int seed, StandardizationMode mode)
    {
        var network = ToyNetwork.RandomInit(seed);
        var history = network.Train(Normalized(mode), η: 0.1, epochs: 1000, targetLoss: 0.1);

        Assert.Equal(TrainingOutcome.ReachedTarget, history.Outcome);
        Assert.True(history.FinalLoss < 0.1);
        Assert.True(history.Epochs <= 300, $"took {history.Epochs} epochs");
    }

    [Fact]
    public void Inference_must_use_the_training_means_not_the_batch_own()
    {
        var (x, y) = ToySample.ToMatrices(FourMetric);
        var standardizer = new Standardizer(StandardizationMode.ZeroMean);
        var network = ToyNetwork.RandomInit(0);
        network.Train(ToySample.FromMatrices(standardizer.FitTransform(x), y), 0.1, 1000, targetLoss: 0.05);

        // The source's two inference people: 89 kg / 190 cm (male) and 60 kg / 155 cm (female).
        var people = TestMatrices.M(new double[,] { { 89, 60 }, { 190, 155 } });
        var right = standardizer.Transform(people);
        Assert.True(network.Predict(right[0, 0], right[1, 0]) < 0.5);
        Assert.True(network.Predict(right[0, 1], right[1, 1]) > 0.5);

        // The classic bug: a single person centred on its own mean is always (0, 0), whatever they weigh.
        var tall = new Standardizer(StandardizationMode.ZeroMean).FitTransform(TestMatrices.M(new double[,] { { 89 }, { 190 } }));
        var small = new Standardizer(StandardizationMode.ZeroMean).FitTransform(TestMatrices.M(new double[,] { { 60 }, { 155 } }));
        Assert.Equal(network.Predict(tall[0, 0], tall[1, 0]), network.Predict(small[0, 0], small[1, 0]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Too_large_a_learning_rate_makes_the_loss_climb(int seed)
    {
        // Batch gradient descent of a linear network on standardized features: η = 0.1 walks down the valley,
        // η = 1 jumps over it further and further.
        var data = Normalized(StandardizationMode.Standardize);
        var small = ToyNetwork.RandomInit(seed, ToyActivation.Identity, ToyActivation.Identity, standardDeviation: 0.5);
        var large = small.Clone();
        double start = small.Loss(data);

        var calm = small.Train(data, η: 0.1, epochs: 20, ToyUpdateMode.FullBatch);
        var wild = large.Train(data, η: 1.0, epochs: 20, ToyUpdateMode.FullBatch);

        Assert.All(calm.EpochLoss, l => Assert.True(l < start));
        Assert.True(calm.FinalLoss < 0.1, $"η = 0.1: final loss {calm.FinalLoss}");
        Assert.True(wild.EpochLoss[3] > 100 * start, $"η = 1: loss after 4 epochs {wild.EpochLoss[3]} vs start {start}");
        for (int e = 2; e < wild.Epochs; e++) Assert.True(wild.EpochLoss[e] > wild.EpochLoss[e - 1]);
        Assert.Equal(TrainingOutcome.Diverged, wild.Outcome);
    }
}
