namespace FromScratch.Tests.Toy;

public class ToyNetworkTests
{
    /// <summary>The classic four people, shifted by 135 lb and 66 in (female = 1).</summary>
    internal static readonly ToySample[] ShiftedFour = [new(-2, -1, 1), new(25, 6, 0), new(17, 4, 0), new(-15, -6, 1)];

    [Fact]
    public void Worked_example_all_ones_reproduces_the_published_values()
    {
        var network = ToyNetwork.AllOnes();
        var f = network.Forward(-2, -1); // Alice
        Assert.Equal(-3.0, f.Z3);
        Assert.Equal(0.0474, Math.Round(f.H3, 4));
        Assert.Equal(0.524, Math.Round(f.YHat, 3));

        // The source prints the chain-rule factors rounded, then their product:
        // dE/dŷ · dŷ/dh3 · dh3/dw31 = −0.952 · 0.249 · −0.0904 = 0.0214.
        double dE_dŷ = -2 * (1 - f.YHat);
        double dŷ_dh3 = network.W53 * Activation.SigmoidDerivativeOf(f.Z5);
        double dh3_dw31 = f.X1 * Activation.SigmoidDerivativeOf(f.Z3);
        Assert.Equal(-0.952, -2 * (1 - Math.Round(f.YHat, 3)), 12); // the source's −2(1 − 0.524), from the rounded ŷ
        Assert.InRange(dE_dŷ, -0.952 - 0.001, -0.952 + 0.001);     // unrounded: −0.9526
        Assert.Equal(0.249, Math.Round(dŷ_dh3, 3));
        Assert.Equal(-0.0904, Math.Round(dh3_dw31, 4));
        Assert.Equal(0.0214, Math.Round(-0.952 * 0.249 * -0.0904, 4));

        // Backward computes the unrounded product, 0.02147…: equal to the printed 0.0214 within one unit of its
        // last digit (the source's rounding of the factors costs that digit).
        var g = network.Backward(f, y: 1);
        Assert.Equal(dE_dŷ * dŷ_dh3 * dh3_dw31, g.W31, 15);
        Assert.InRange(g.W31, 0.0214 - 0.0001, 0.0214 + 0.0001);
    }

    [Fact]
    public void A_network_that_always_answers_zero_has_mse_one_half_on_the_four_people()
    {
        var zero = new ToyNetwork(ToyActivation.Sigmoid, ToyActivation.Identity); // all weights and biases 0, linear output
        Assert.All(ShiftedFour, s => Assert.Equal(0.0, zero.Predict(s.X1, s.X2)));
        Assert.Equal(0.5, zero.Loss(ShiftedFour));
        Assert.Equal(0.5, ToyNetwork.MeanSquaredError([1, 0, 0, 1], [0, 0, 0, 0]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Classic_per_sample_training_classifies_Emily_female_and_Frank_male(int seed)
    {
        var network = ToyNetwork.RandomInit(seed);
        var history = network.Train(ShiftedFour, η: 0.1, epochs: 1000);

        Assert.Equal(TrainingOutcome.Completed, history.Outcome);
        Assert.Equal(1000, history.Epochs);
        Assert.Equal(4000, history.Iterations);
        double emily = network.Predict(-7, -3), frank = network.Predict(20, 2);
        Assert.InRange(emily, 0.9, 1.0);  // source: ≈ 0.951 (F)
        Assert.InRange(frank, 0.0, 0.1);  // source: ≈ 0.039 (M)
        Assert.True(history.FinalLoss < 0.01, $"final loss {history.FinalLoss}");
    }

    [Theory]
    [InlineData(ToyActivation.Sigmoid, ToyActivation.Sigmoid)]
    [InlineData(ToyActivation.Sigmoid, ToyActivation.Identity)]
    [InlineData(ToyActivation.Identity, ToyActivation.Sigmoid)]
    [InlineData(ToyActivation.Identity, ToyActivation.Identity)]
    public void Every_named_gradient_matches_finite_differences(ToyActivation hidden, ToyActivation output)
    {
        var network = ToyNetwork.RandomInit(7, hidden, output);
        (double x1, double x2, double y) = (0.7, -1.3, 1.0);
        var g = network.Backward(network.Forward(x1, x2), y);
        var analytic = g.Named.ToDictionary(p => p.Name, p => p.Value);

        Assert.Equal(9, network.Parameters.Count);
        foreach (var p in network.Parameters)
        {
            double numerical = GradientCheck.CentralDifference(
                () => Math.Pow(y - network.Predict(x1, x2), 2), p.Get, p.Set);
            Assert.True(Math.Abs(analytic[p.Name]) > 1e-4, $"{p.Name}: gradient too close to 0 for a meaningful check");
            double error = GradientCheck.RelativeError(analytic[p.Name], numerical);
            Assert.True(error < 1e-7, $"dE/d{p.Name}: analytic {analytic[p.Name]}, numerical {numerical}, relative error {error}");
        }
    }

    [Fact]
    public void Mean_gradient_is_the_gradient_of_the_mean_loss()
    {
        var network = ToyNetwork.RandomInit(3);
        var mean = ToyGradients.Mean(ShiftedFour.Select(s => network.Backward(network.Forward(s.X1, s.X2), s.Y)).ToArray());
        var analytic = mean.Named.ToDictionary(p => p.Name, p => p.Value);
        foreach (var p in network.Parameters)
        {
            double numerical = GradientCheck.CentralDifference(() => network.Loss(ShiftedFour), p.Get, p.Set);
            Assert.True(GradientCheck.RelativeError(analytic[p.Name], numerical) < 1e-7, $"{p.Name}: {analytic[p.Name]} vs {numerical}");
        }
    }

    [Fact]
    public void Parameters_read_and_write_the_named_weights()
    {
        var network = new ToyNetwork();
        var names = network.Parameters.Select(p => p.Name).ToArray();
        Assert.Equal(["w31", "w32", "w41", "w42", "w53", "w54", "b3", "b4", "b5"], names);
        for (int i = 0; i < 9; i++) network.Parameters[i].Set(i + 1);
        Assert.Equal([1.0, 2, 3, 4, 5, 6, 7, 8, 9],
            [network.W31, network.W32, network.W41, network.W42, network.W53, network.W54, network.B3, network.B4, network.B5]);
        Assert.Equal(5.0, network.Parameters.Single(p => p.Name == "w53").Get());
    }

    [Fact]
    public void Step_moves_every_parameter_against_its_gradient()
    {
        var network = ToyNetwork.AllOnes();
        var g = new ToyGradients(1, 2, 3, 4, 5, 6, 7, 8, 9);
        network.Step(g, η: 0.1);
        Assert.Equal(1 - 0.1 * 1, network.W31);
        Assert.Equal(1 - 0.1 * 4, network.W42);
        Assert.Equal(1 - 0.1 * 6, network.W54);
        Assert.Equal(0 - 0.1 * 9, network.B5);
        Assert.Equal(0 - 0.1 * 7, network.B3);
    }

    [Fact]
    public void Full_batch_training_takes_one_step_per_epoch_and_lowers_the_loss()
    {
        var network = ToyNetwork.RandomInit(0);
        double before = network.Loss(ShiftedFour);
        var history = network.Train(ShiftedFour, 0.5, 200, ToyUpdateMode.FullBatch);
        Assert.Equal(200, history.Iterations);
        Assert.Equal(before, history.IterationLoss[0], 12);
        Assert.True(history.FinalLoss < before / 2, $"{before} → {history.FinalLoss}");
    }

    [Fact]
    public void Target_loss_stops_training_early()
    {
        var network = ToyNetwork.RandomInit(0);
        var history = network.Train(ShiftedFour, 0.1, 1000, targetLoss: 0.1);
        Assert.Equal(TrainingOutcome.ReachedTarget, history.Outcome);
        Assert.True(history.Epochs < 1000);
        Assert.True(history.FinalLoss < 0.1);
        Assert.True(history.EpochLoss.Take(history.Epochs - 1).All(l => l >= 0.1));
    }

    [Fact]
    public void Same_seed_gives_bit_identical_training()
    {
        var a = ToyNetwork.RandomInit(11);
        var b = ToyNetwork.RandomInit(11);
        var ha = a.Train(ShiftedFour, 0.1, 50);
        var hb = b.Train(ShiftedFour, 0.1, 50);
        Assert.Equal(ha.IterationLoss.Select(BitConverter.DoubleToInt64Bits), hb.IterationLoss.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(BitConverter.DoubleToInt64Bits(a.W31), BitConverter.DoubleToInt64Bits(b.W31));
        Assert.NotEqual(ToyNetwork.RandomInit(12).W31, ToyNetwork.RandomInit(11).W31);
    }

    [Fact]
    public void Bad_arguments_are_rejected_with_their_value()
    {
        var network = ToyNetwork.AllOnes();
        var e1 = Assert.Throws<ArgumentOutOfRangeException>(() => network.Train(ShiftedFour, 0.0, 10));
        Assert.Contains("η", e1.Message);
        Assert.Contains("0", e1.Message);
        var e2 = Assert.Throws<ArgumentOutOfRangeException>(() => network.Train(ShiftedFour, 0.1, -3));
        Assert.Contains("-3", e2.Message);
        Assert.Throws<ArgumentException>(() => network.Train([], 0.1, 10));
        var e3 = Assert.Throws<ArgumentOutOfRangeException>(() => network.Step(new ToyGradients(0, 0, 0, 0, 0, 0, 0, 0, 0), -0.5));
        Assert.Contains("-0.5", e3.Message);
        var e4 = Assert.Throws<ArgumentException>(() => ToyNetwork.MeanSquaredError([1, 0], [1]));
        Assert.Contains("2 labels", e4.Message);
    }

    [Fact]
    public void Sigmoid_does_not_overflow_for_large_inputs()
    {
        Assert.Equal(1.0, Activation.SigmoidOf(1000));
        Assert.Equal(0.0, Activation.SigmoidOf(-1000));
        Assert.Equal(0.5, Activation.SigmoidOf(0));
        Assert.Equal(1 / (1 + Math.Exp(-2.5)), Activation.SigmoidOf(2.5), 15);
        Assert.Equal(1 / (1 + Math.Exp(3.5)), Activation.SigmoidOf(-3.5), 15);
        Assert.Equal(0.0, Activation.SigmoidDerivativeOf(-1000));
    }

    [Theory]
    [InlineData(ToyActivation.Sigmoid)]
    [InlineData(ToyActivation.Identity)]
    public void Slope_read_off_the_output_is_the_slope_of_z_to_the_bit(ToyActivation activation)
    {
        // Backward uses f'(z) = h(1 − h) from the forward pass's h = σ(z) instead of computing σ(z) again.
        foreach (double z in new[] { -1000, -40, -7.25, -1, -1e-9, 0, 1e-9, 0.3, 1, 2.5, 36.7, 1000 })
            Assert.Equal(activation.Derivative(z), activation.DerivativeFromOutput(activation.Apply(z)));
    }

    [Fact]
    public void Samples_convert_to_and_from_matrices_one_column_per_sample()
    {
        var (x, y) = ToySample.ToMatrices(ShiftedFour);
        Assert.Equal(2, x.RowCount);
        Assert.Equal(4, x.ColumnCount);
        Assert.Equal(25.0, x[0, 1]);
        Assert.Equal(6.0, x[1, 1]);
        Assert.Equal(ShiftedFour, ToySample.FromMatrices(x, y));
        var e = Assert.Throws<ArgumentException>(() => ToySample.FromMatrices(x.Transpose(), y));
        Assert.Contains("4×2", e.Message);
    }

    [Theory]
    [InlineData(-0.1, 1.2)]
    [InlineData(0.0, 0.0)]
    [InlineData(0.04, -0.2)]
    public void Linear_neuron_gradient_matches_finite_differences(double w0, double b0)
    {
        double[] x = [-2, 25, 17, -15], y = [1, 0, 0, 1];
        double w = w0, b = b0;
        double E() => ToyNetwork.MeanSquaredError(y, x.Select(xi => w * xi + b).ToArray());
        var (dw, db) = ToyNetwork.LinearNeuronGradient(x, y, w, b);
        Assert.True(GradientCheck.RelativeError(dw, GradientCheck.CentralDifference(E, () => w, v => w = v)) < 1e-7);
        Assert.True(GradientCheck.RelativeError(db, GradientCheck.CentralDifference(E, () => b, v => b = v)) < 1e-7);
    }

    [Fact]
    public void Linear_neuron_gradient_vanishes_at_the_least_squares_line_and_checks_its_inputs()
    {
        double[] x = [-2, 25, 17, -15], y = [1, 0, 0, 1];
        double xMean = x.Average(), yMean = y.Average();
        double wStar = x.Zip(y, (a, t) => (a - xMean) * (t - yMean)).Sum() / x.Sum(a => (a - xMean) * (a - xMean));
        var (dw, db) = ToyNetwork.LinearNeuronGradient(x, y, wStar, yMean - wStar * xMean);
        Assert.InRange(dw, -1e-12, 1e-12);
        Assert.InRange(db, -1e-12, 1e-12);
        Assert.Contains("3 inputs x but 4 labels", Assert.Throws<ArgumentException>(() => ToyNetwork.LinearNeuronGradient([1, 2, 3], y, 0, 0)).Message);
        Assert.Throws<ArgumentException>(() => ToyNetwork.LinearNeuronGradient([], [], 0, 0));
    }
}
