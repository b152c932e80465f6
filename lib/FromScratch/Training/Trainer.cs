using MathNet.Numerics.LinearAlgebra;

namespace FromScratch;

/// <summary>
/// Trains a vectorized <see cref="Network"/> with mini-batches and an <see cref="FromScratch.Optimizer"/>.
/// Per epoch: set the learning rate from the schedule, cut the (seeded, reshuffled) mini-batches, and for each
/// batch run forward, loss, backward and one optimizer step. The iteration loss is the batch's loss before its
/// step; the epoch loss is the loss over the whole training set with the weights at the end of the epoch.
/// The first NaN/±∞ loss stops the run and is reported by the history (epoch and iteration), never thrown.
/// </summary>
public sealed class Trainer
{
    private int epochs = 100;
    private int batchSize = int.MaxValue;

    /// <summary>A trainer with the given loss and optimizer; set the other options with object initializers.</summary>
    public Trainer(Loss loss, Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(optimizer);
        Loss = loss;
        Optimizer = optimizer;
    }

    /// <summary>The loss E to minimize.</summary>
    public Loss Loss { get; }

    /// <summary>The update rule.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Number of epochs (≥ 0; default 100).</summary>
    public int Epochs
    {
        get => epochs;
        init { Guard.NotNegative(value, nameof(Epochs)); epochs = value; }
    }

    /// <summary>Mini-batch size B (≥ 1; default: all samples, i.e. batch gradient descent; capped at N).</summary>
    public int BatchSize
    {
        get => batchSize;
        init { Guard.AtLeastOne(value, nameof(BatchSize)); batchSize = value; }
    }

    /// <summary>Seed of the mini-batch shuffling (default 0).</summary>
    public int Seed { get; init; }

    /// <summary>Whether to reshuffle the samples each epoch (default true).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Optional learning-rate schedule; sets <see cref="FromScratch.Optimizer.LearningRate"/> at the start of each epoch.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>Optional target: stop when the epoch loss falls below it.</summary>
    public double? TargetLoss { get; init; }

    /// <summary>Optional metric (e.g. <see cref="Metrics.Accuracy"/>) of (Ŷ, Y) on the training set, recorded each epoch.</summary>
    public Func<Matrix<double>, Matrix<double>, double>? Metric { get; init; }

    /// <summary>Label of the run in the history (default: the optimizer's description).</summary>
    public string? Name { get; init; }

    /// <summary>Trains <paramref name="network"/> in place on X (n_0 × m) and Y (n_L × m) and returns what happened.</summary>
    public TrainingHistory Train(Network network, Matrix<double> x, Matrix<double> y)
    {
        ArgumentNullException.ThrowIfNull(network);
        DataSplit.CheckSameSamples(x, y);
        if (x.RowCount != network.Inputs)
            throw new ArgumentException($"X is {Guard.Shape(x)} but the network has {network.Inputs} inputs (X needs {network.Inputs} rows, one column per sample).");
        if (y.RowCount != network.Outputs)
            throw new ArgumentException($"Y is {Guard.Shape(y)} but the network has {network.Outputs} outputs (Y needs {network.Outputs} rows).");
        if (TargetLoss is double t) Guard.Positive(t, nameof(TargetLoss));

        var history = new TrainingHistory(Name ?? Optimizer.ToString());
        var batches = new MiniBatches(x, y, Math.Min(BatchSize, x.ColumnCount), Seed, Shuffle);
        var parameters = network.Parameters;
        for (int epoch = 1; epoch <= Epochs; epoch++)
        {
            if (Schedule is not null) Optimizer.LearningRate = Schedule.Rate(epoch - 1);
            foreach (var batch in batches.NextEpoch())
            {
                double loss = network.ComputeGradients(batch.X, batch.Y, Loss);
                if (!history.RecordIteration(epoch, loss)) return history;
                Optimizer.Step(parameters);
            }
            var ŷ = network.Forward(x);
            double epochLoss = Loss.Value(ŷ, y);
            double? metric = Metric is null || !double.IsFinite(epochLoss) ? null : Metric(ŷ, y);
            if (!history.RecordEpoch(epochLoss, metric)) return history;
            if (TargetLoss is double target && epochLoss < target)
            {
                history.MarkReachedTarget();
                return history;
            }
        }
        return history;
    }
}
