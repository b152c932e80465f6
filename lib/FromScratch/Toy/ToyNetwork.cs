// Lessons 1–5: the 2 → 2 → 1 network number by number — forward (z3, h3, …, ŷ), backward (every dE/dw), gradient descent;
// lesson 1's one linear neuron ŷ = w·x + b and its slopes.
namespace FromScratch;

/// <summary>
/// Every intermediate value of one forward pass of the <see cref="ToyNetwork"/>.
/// </summary>
/// <param name="X1">Input neuron 1.</param>
/// <param name="X2">Input neuron 2.</param>
/// <param name="Z3">z3 = w31·x1 + w32·x2 + b3.</param>
/// <param name="H3">h3 = f(z3), output of hidden neuron 3.</param>
/// <param name="Z4">z4 = w41·x1 + w42·x2 + b4.</param>
/// <param name="H4">h4 = f(z4), output of hidden neuron 4.</param>
/// <param name="Z5">z5 = w53·h3 + w54·h4 + b5.</param>
/// <param name="YHat">ŷ = f(z5), the network's answer.</param>
public readonly record struct ToyForward(double X1, double X2, double Z3, double H3, double Z4, double H4, double Z5, double YHat);

/// <summary>Every named gradient dE/dθ of the <see cref="ToyNetwork"/> for E = (y − ŷ)².</summary>
/// <param name="W31">dE/dw31.</param>
/// <param name="W32">dE/dw32.</param>
/// <param name="W41">dE/dw41.</param>
/// <param name="W42">dE/dw42.</param>
/// <param name="W53">dE/dw53.</param>
/// <param name="W54">dE/dw54.</param>
/// <param name="B3">dE/db3.</param>
/// <param name="B4">dE/db4.</param>
/// <param name="B5">dE/db5.</param>
public readonly record struct ToyGradients(double W31, double W32, double W41, double W42, double W53, double W54, double B3, double B4, double B5)
{
    /// <summary>The gradients by the lesson's parameter names, in the order of <see cref="ToyNetwork.Parameters"/>.</summary>
    public IReadOnlyList<(string Name, double Value)> Named =>
    [
        ("w31", W31), ("w32", W32), ("w41", W41), ("w42", W42), ("w53", W53), ("w54", W54),
        ("b3", B3), ("b4", B4), ("b5", B5),
    ];

    /// <summary>The mean of several samples' gradients: the gradient of the mean loss E = mean((y − ŷ)²).</summary>
    public static ToyGradients Mean(IReadOnlyList<ToyGradients> gradients)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        if (gradients.Count == 0) throw new ArgumentException("Cannot average zero gradients.", nameof(gradients));
        double n = gradients.Count;
        return new ToyGradients(
            gradients.Sum(g => g.W31) / n, gradients.Sum(g => g.W32) / n,
            gradients.Sum(g => g.W41) / n, gradients.Sum(g => g.W42) / n,
            gradients.Sum(g => g.W53) / n, gradients.Sum(g => g.W54) / n,
            gradients.Sum(g => g.B3) / n, gradients.Sum(g => g.B4) / n, gradients.Sum(g => g.B5) / n);
    }
}

/// <summary>
/// The running example's network, with plain numbers instead of matrices: inputs x1, x2 (neurons 1 and 2),
/// hidden neurons 3 and 4, output neuron 5. w31 is the weight into neuron 3 from input 1; w53 the weight
/// into the output from hidden neuron 3; b3, b4, b5 the biases. The hidden neurons share one activation,
/// the output has its own (identity or sigmoid).
/// </summary>
public sealed class ToyNetwork
{
    /// <summary>A network with every weight and bias 0 and the given activations.</summary>
    public ToyNetwork(ToyActivation hidden = ToyActivation.Sigmoid, ToyActivation output = ToyActivation.Sigmoid)
    {
        Hidden = hidden;
        Output = output;
    }

    /// <summary>Weight into hidden neuron 3 from input 1.</summary>
    public double W31 { get; set; }
    /// <summary>Weight into hidden neuron 3 from input 2.</summary>
    public double W32 { get; set; }
    /// <summary>Weight into hidden neuron 4 from input 1.</summary>
    public double W41 { get; set; }
    /// <summary>Weight into hidden neuron 4 from input 2.</summary>
    public double W42 { get; set; }
    /// <summary>Weight into output neuron 5 from hidden neuron 3.</summary>
    public double W53 { get; set; }
    /// <summary>Weight into output neuron 5 from hidden neuron 4.</summary>
    public double W54 { get; set; }
    /// <summary>Bias of hidden neuron 3.</summary>
    public double B3 { get; set; }
    /// <summary>Bias of hidden neuron 4.</summary>
    public double B4 { get; set; }
    /// <summary>Bias of output neuron 5.</summary>
    public double B5 { get; set; }

    /// <summary>Activation f of the hidden neurons 3 and 4.</summary>
    public ToyActivation Hidden { get; set; }

    /// <summary>Activation f of the output neuron 5.</summary>
    public ToyActivation Output { get; set; }

    /// <summary>The classic worked example: every weight 1, every bias 0.</summary>
    public static ToyNetwork AllOnes(ToyActivation hidden = ToyActivation.Sigmoid, ToyActivation output = ToyActivation.Sigmoid) =>
        new(hidden, output) { W31 = 1, W32 = 1, W41 = 1, W42 = 1, W53 = 1, W54 = 1 };

    /// <summary>
    /// Every weight and bias drawn from N(0, σ²) (σ = 1 like the source's np.random.normal()), in the order
    /// w31, w32, w41, w42, w53, w54, b3, b4, b5, from Random(<paramref name="seed"/>).
    /// </summary>
    public static ToyNetwork RandomInit(int seed, ToyActivation hidden = ToyActivation.Sigmoid, ToyActivation output = ToyActivation.Sigmoid, double standardDeviation = 1.0)
    {
        Guard.Positive(standardDeviation, nameof(standardDeviation));
        var random = RandomNumbers.Create(seed);
        var network = new ToyNetwork(hidden, output);
        foreach (var p in network.Parameters) p.Set(RandomNumbers.Normal(random, 0, standardDeviation));
        return network;
    }

    /// <summary>A copy with the same weights, biases and activations.</summary>
    public ToyNetwork Clone() => (ToyNetwork)MemberwiseClone();

    /// <summary>The nine parameters by name (w31, w32, w41, w42, w53, w54, b3, b4, b5), each readable and writable.</summary>
    public IReadOnlyList<ToyParameter> Parameters =>
    [
        new("w31", () => W31, v => W31 = v), new("w32", () => W32, v => W32 = v),
        new("w41", () => W41, v => W41 = v), new("w42", () => W42, v => W42 = v),
        new("w53", () => W53, v => W53 = v), new("w54", () => W54, v => W54 = v),
        new("b3", () => B3, v => B3 = v), new("b4", () => B4, v => B4 = v), new("b5", () => B5, v => B5 = v),
    ];

    /// <summary>The forward pass for one person, keeping every intermediate value.</summary>
    public ToyForward Forward(double x1, double x2)
    {
        double z3 = W31 * x1 + W32 * x2 + B3;
        double h3 = Hidden.Apply(z3);
        double z4 = W41 * x1 + W42 * x2 + B4;
        double h4 = Hidden.Apply(z4);
        double z5 = W53 * h3 + W54 * h4 + B5;
        double ŷ = Output.Apply(z5);
        return new ToyForward(x1, x2, z3, h3, z4, h4, z5, ŷ);
    }

    /// <summary>ŷ for one person.</summary>
    public double Predict(double x1, double x2)
    {
        double h3 = Hidden.Apply(W31 * x1 + W32 * x2 + B3);
        double h4 = Hidden.Apply(W41 * x1 + W42 * x2 + B4);
        return Output.Apply(W53 * h3 + W54 * h4 + B5); // the same arithmetic as Forward, without keeping the intermediates
    }

    /// <summary>
    /// The chain rule, neuron by neuron, for the error of one sample E = (y − ŷ)², using the values of
    /// <paramref name="f"/> (a forward pass with the current weights).
    /// </summary>
    public ToyGradients Backward(ToyForward f, double y)
    {
        // Output neuron 5: dE/dŷ = −2(y − ŷ); dŷ/dz5 = f'(z5), read off ŷ = f(z5) (for σ: ŷ(1 − ŷ)).
        double dE_dŷ = -2 * (y - f.YHat);
        double δ5 = dE_dŷ * Output.DerivativeFromOutput(f.YHat);  // δ5 = dE/dz5; σ'(z5) = ŷ(1 − ŷ)
        double dE_dw53 = δ5 * f.H3;                           // dz5/dw53 = h3
        double dE_dw54 = δ5 * f.H4;                           // dz5/dw54 = h4
        double dE_db5 = δ5;                                   // dz5/db5 = 1

        // Hidden neuron 3: dE/dz3 = dE/dz5 · dz5/dh3 · dh3/dz3 = δ5 · w53 · f'(z3).
        double δ3 = δ5 * W53 * Hidden.DerivativeFromOutput(f.H3);   // σ'(z3) = h3(1 − h3)
        double dE_dw31 = δ3 * f.X1;                           // dz3/dw31 = x1
        double dE_dw32 = δ3 * f.X2;                           // dz3/dw32 = x2
        double dE_db3 = δ3;

        // Hidden neuron 4: dE/dz4 = δ5 · w54 · f'(z4).
        double δ4 = δ5 * W54 * Hidden.DerivativeFromOutput(f.H4);
        double dE_dw41 = δ4 * f.X1;
        double dE_dw42 = δ4 * f.X2;
        double dE_db4 = δ4;

        return new ToyGradients(dE_dw31, dE_dw32, dE_dw41, dE_dw42, dE_dw53, dE_dw54, dE_db3, dE_db4, dE_db5);
    }

    /// <summary>Gradient descent step w ← w − η·dE/dw for every weight and bias.</summary>
    public void Step(ToyGradients g, double η)
    {
        Guard.Positive(η, nameof(η));
        W31 -= η * g.W31; W32 -= η * g.W32;
        W41 -= η * g.W41; W42 -= η * g.W42;
        W53 -= η * g.W53; W54 -= η * g.W54;
        B3 -= η * g.B3; B4 -= η * g.B4; B5 -= η * g.B5;
    }

    /// <summary>The mean squared error E = mean((y − ŷ)²) of the network over <paramref name="samples"/>.</summary>
    public double Loss(IReadOnlyList<ToySample> samples)
    {
        CheckSamples(samples);
        double sum = 0;
        for (int i = 0; i < samples.Count; i++)
        {
            var s = samples[i];
            double ŷ = Predict(s.X1, s.X2);
            sum += (s.Y - ŷ) * (s.Y - ŷ); // the same sum, in the same order, as MeanSquaredError
        }
        return sum / samples.Count;
    }

    /// <summary>E = mean((y − ŷ)²) of labels <paramref name="y"/> and answers <paramref name="ŷ"/> (same length, at least one).</summary>
    public static double MeanSquaredError(IReadOnlyList<double> y, IReadOnlyList<double> ŷ)
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(ŷ);
        if (y.Count != ŷ.Count) throw new ArgumentException($"There are {y.Count} labels y but {ŷ.Count} answers ŷ; they must match.");
        if (y.Count == 0) throw new ArgumentException("The mean squared error of zero samples is undefined.", nameof(y));
        double sum = 0;
        for (int i = 0; i < y.Count; i++) sum += (y[i] - ŷ[i]) * (y[i] - ŷ[i]);
        return sum / y.Count;
    }

    /// <summary>
    /// The slopes of lesson 1's two-weight model, one linear neuron ŷᵢ = w·xᵢ + b scored by E = (1/n)·Σ (yᵢ − ŷᵢ)²:
    /// ∂E/∂w = (2/n)·Σ (ŷᵢ − yᵢ)·xᵢ and ∂E/∂b = (2/n)·Σ (ŷᵢ − yᵢ).
    /// </summary>
    /// <param name="x">The input of each sample (at least one).</param>
    /// <param name="y">The label of each sample, as many as <paramref name="x"/>.</param>
    /// <param name="w">The weight.</param>
    /// <param name="b">The bias.</param>
    public static (double DE_dw, double DE_db) LinearNeuronGradient(IReadOnlyList<double> x, IReadOnlyList<double> y, double w, double b)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count) throw new ArgumentException($"There are {x.Count} inputs x but {y.Count} labels y; they must match.");
        if (x.Count == 0) throw new ArgumentException("The gradient over zero samples is undefined.", nameof(x));
        double dw = 0, db = 0;
        for (int i = 0; i < x.Count; i++)
        {
            double error = w * x[i] + b - y[i];   // ŷ − y; ∂(y − ŷ)²/∂ŷ = 2(ŷ − y), ∂ŷ/∂w = x, ∂ŷ/∂b = 1
            dw += error * x[i];
            db += error;
        }
        return (2 * dw / x.Count, 2 * db / x.Count);
    }

    /// <summary>
    /// Trains on <paramref name="samples"/> for <paramref name="epochs"/> epochs with learning rate η, one step per
    /// person in the given order, never shuffled (lesson 2's "one person at a time"; lesson 6's stochastic gradient
    /// descent also reshuffles every epoch). The iteration loss is that person's (y − ŷ)² before its step; the epoch
    /// loss is E over all samples with the weights at the end of the epoch.
    /// Stops early when the epoch loss is below <paramref name="targetLoss"/> (outcome ReachedTarget), and at the
    /// first NaN or ±∞ loss (outcome Diverged, with epoch and iteration) — never throws for that.
    /// </summary>
    public TrainingHistory Train(IReadOnlyList<ToySample> samples, double η, int epochs,
        double? targetLoss = null, string name = "toy network") =>
        Train(samples, η, epochs, ToyUpdateMode.PerSample, targetLoss, name);

    /// <summary>
    /// <see cref="ToyUpdateMode.PerSample"/> as above, or <see cref="ToyUpdateMode.FullBatch"/>: one step per epoch
    /// with the mean gradient, the iteration loss being the mean loss before the step (the tests' batch gradient
    /// descent on the toy network; the lessons do that on the vectorized network).
    /// </summary>
    internal TrainingHistory Train(IReadOnlyList<ToySample> samples, double η, int epochs,
        ToyUpdateMode mode, double? targetLoss = null, string name = "toy network")
    {
        CheckSamples(samples);
        Guard.Positive(η, nameof(η));
        Guard.NotNegative(epochs, nameof(epochs));
        if (targetLoss is double t) Guard.Positive(t, nameof(targetLoss));

        var history = new TrainingHistory(name);
        using var live = LiveTraining.Watch(history, epochs); // the loss curve drawn while it trains, where the host can
        history.Reserve((long)epochs * (mode == ToyUpdateMode.PerSample ? samples.Count : 1), epochs);
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            Interruption.ThrowIfRequested();
            if (mode == ToyUpdateMode.PerSample)
            {
                for (int i = 0; i < samples.Count; i++)
                {
                    var s = samples[i];
                    var f = Forward(s.X1, s.X2);
                    if (!history.RecordIteration(epoch, (s.Y - f.YHat) * (s.Y - f.YHat))) return history;
                    Step(Backward(f, s.Y), η);
                }
            }
            else
            {
                var forwards = samples.Select(s => Forward(s.X1, s.X2)).ToArray();
                double loss = MeanSquaredError(samples.Select(s => s.Y).ToArray(), forwards.Select(f => f.YHat).ToArray());
                if (!history.RecordIteration(epoch, loss)) return history;
                Step(ToyGradients.Mean(forwards.Select((f, i) => Backward(f, samples[i].Y)).ToArray()), η);
            }

            double epochLoss = Loss(samples);
            if (!history.RecordEpoch(epochLoss)) return history;
            if (targetLoss is double target && epochLoss < target)
            {
                history.MarkReachedTarget();
                return history;
            }
        }
        return history;
    }

    private static void CheckSamples(IReadOnlyList<ToySample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0) throw new ArgumentException("There are no samples to train on.", nameof(samples));
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"w31={W31:G4} w32={W32:G4} w41={W41:G4} w42={W42:G4} w53={W53:G4} w54={W54:G4} b3={B3:G4} b4={B4:G4} b5={B5:G4} (hidden {Hidden}, output {Output})";
}
