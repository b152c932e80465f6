using MathNet.Numerics.LinearAlgebra;

// Lessons 5–8 (learning rate, mini-batches, averages, optimizers) and 11–12 (deep networks): the training loop.
// The fast path it takes by default (same numbers, no allocation per step) is in Fast/Trainer.FastPath.cs.
namespace FromScratch;

/// <summary>
/// Trains a vectorized <see cref="Network"/> with mini-batches and an <see cref="FromScratch.Optimizer"/>.
/// Per epoch: set the learning rate from the schedule, cut the (seeded, reshuffled) mini-batches, and for each
/// batch run forward, loss, backward and one optimizer step. The iteration loss is the batch's loss before its
/// step; the epoch loss is the loss over the whole training set with the weights at the end of the epoch.
/// The first NaN/±∞ loss stops the run and is reported by the history (epoch and iteration), never thrown.
/// <para>
/// Two code paths compute the same numbers (equal up to rounding, about 1e-15 relative per product). By default the
/// trainer uses preallocated per-layer buffers, the cache-blocked SIMD matrix product (Fast/Gemm.cs) and
/// in-place updates, so that after the first batch a training step allocates nothing. With <see cref="ReferencePath"/>
/// it runs the code as the lessons write it: <see cref="Network.ComputeGradients"/> (Dense.Forward/Backward with
/// MathNet operators) on a fresh copy of each mini-batch, and <see cref="Network.Forward"/> over the whole set after
/// each epoch. The fast path leaves the layers' <see cref="Dense.Cache"/> as it was (call <see cref="Network.Forward"/>
/// to fill it); both leave each parameter's gradient from the last batch.
/// </para>
/// </summary>
public sealed partial class Trainer
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

    /// <summary>
    /// False (default): the fast path (preallocated buffers, the blocked matrix product of Fast/, no allocation per step).
    /// True: the readable reference path, <see cref="Network.ComputeGradients"/> with MathNet operators, for checking
    /// the fast path and for reading. Both give the same losses up to rounding. Networks on sparse matrices always take
    /// the reference path.
    /// </summary>
    public bool ReferencePath { get; init; }

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
        using var live = LiveTraining.Watch(history, Epochs); // the loss curve drawn while it trains, where the host can
        var batches = new MiniBatches(x, y, Math.Min(BatchSize, x.ColumnCount), Seed, Shuffle);
        history.Reserve((long)Epochs * ((x.ColumnCount + batches.BatchSize - 1) / batches.BatchSize), Epochs); // ⌈N/B⌉ steps an epoch
        var fast = ReferencePath ? null : FastPath.For(network, x, y, batches.BatchSize); // null: this network takes the reference path
        for (int epoch = 1; epoch <= Epochs; epoch++)
        {
            Interruption.ThrowIfRequested();
            if (Schedule is not null) Optimizer.LearningRate = Schedule.Rate(epoch - 1);
            bool finite = fast is null ? Epoch(network, batches, epoch, history) : fast.Epoch(this, batches, epoch, history);
            if (!finite) return history; // the loss became NaN or ±∞: the history says where
            // The epoch loss is measured in inference mode (Predict): for a network with batch normalization this uses
            // the running averages and leaves them untouched; for Dense layers Predict and Forward are the same.
            var ŷ = fast is null ? network.Predict(x) : fast.Predict(x);
            double epochLoss = fast is null ? Loss.Value(ŷ, y) : Loss.ValueOnStorage(ŷ, y); // the same number
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

    /// <summary>
    /// One epoch as the lessons write it: for each mini-batch, forward, loss and backward
    /// (<see cref="Network.ComputeGradients"/>), then one optimizer step. False when a loss was not finite.
    /// </summary>
    private bool Epoch(Network network, MiniBatches batches, int epoch, TrainingHistory history)
    {
        foreach (var batch in batches.NextEpoch())
        {
            Interruption.ThrowIfRequested();
            double loss = network.ComputeGradients(batch.X, batch.Y, Loss); // the batch's loss before its step
            if (!history.RecordIteration(epoch, loss)) return false;
            Optimizer.Step(network.Parameters);
        }
        return true;
    }
}
