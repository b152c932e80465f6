using System.Globalization;

// Lessons 2, 4–12: the loss per iteration and per epoch, the target, divergence.
namespace FromScratch;

/// <summary>How a training run ended.</summary>
public enum TrainingOutcome
{
    /// <summary>Every requested epoch ran.</summary>
    Completed,
    /// <summary>The loss fell below the target (the lessons' "loss &lt; 0.1") and training stopped early.</summary>
    ReachedTarget,
    /// <summary>The loss became NaN or ±∞; training stopped at that iteration.</summary>
    Diverged,
}

/// <summary>
/// Everything a training run measured: the loss of every update (iteration, measured on its batch before the
/// step), the loss of every epoch (the trainers measure it on the whole training set with the weights at the end of
/// the epoch), an optional metric per epoch, and how the run ended. A run that blows up is not an
/// exception: <see cref="Outcome"/> is <see cref="TrainingOutcome.Diverged"/> and
/// <see cref="DivergedAtEpoch"/>, <see cref="DivergedAtIteration"/> and <see cref="DivergedLoss"/> say where.
/// Epochs and iterations are counted from 1, as a learner counts them.
/// </summary>
[Display.TypeFormatterSource(typeof(Display.TrainingHistoryFormatterSource),
    PreferredMimeTypes = [Display.MimeTypes.Html, Display.MimeTypes.PlainText])]
public sealed class TrainingHistory
{
    private readonly List<double> iterationLoss = [];
    private readonly List<double> epochLoss = [];
    private readonly List<double> epochMetric = [];

    /// <summary>Creates an empty history; <paramref name="name"/> labels the run in plots (e.g. "Adam, η = 0.01").</summary>
    public TrainingHistory(string name = "run") => Name = name;

    /// <summary>
    /// Makes room for the losses a run is about to record (a trainer knows its epochs and steps), so the lists are
    /// allocated once instead of doubling as they fill: 100,000 epochs of the toy network record 500,000 losses, and
    /// doubling copies them into ever larger arrays on the large-object heap. At most 2²² of each are reserved ahead.
    /// </summary>
    internal void Reserve(long iterations, long epochs)
    {
        const int Most = 1 << 22;
        iterationLoss.Capacity = Math.Max(iterationLoss.Capacity, (int)Math.Clamp(iterations, 0, Most));
        epochLoss.Capacity = Math.Max(epochLoss.Capacity, (int)Math.Clamp(epochs, 0, Most));
    }

    /// <summary>Set while a host draws this run's loss live (see <see cref="LiveTraining"/>); told of every loss recorded.</summary>
    internal LiveTraining? Live { get; set; }

    /// <summary>The label of this run in legends and summaries.</summary>
    public string Name { get; }

    /// <summary>The loss measured at each update step, in order (iteration 1 is element 0).</summary>
    public IReadOnlyList<double> IterationLoss => iterationLoss;

    /// <summary>The loss of each completed epoch, in order (epoch 1 is element 0).</summary>
    public IReadOnlyList<double> EpochLoss => epochLoss;

    /// <summary>The metric (e.g. accuracy) of each completed epoch, if the trainer measured one.</summary>
    public IReadOnlyList<double> EpochMetric => epochMetric;

    /// <summary>How the run ended.</summary>
    public TrainingOutcome Outcome { get; private set; } = TrainingOutcome.Completed;

    /// <summary>The epoch (from 1) in which the loss first became NaN or ±∞, or null.</summary>
    public int? DivergedAtEpoch { get; private set; }

    /// <summary>The iteration (from 1, counted over the whole run) at which the loss first became NaN or ±∞, or null.</summary>
    public int? DivergedAtIteration { get; private set; }

    /// <summary>The non-finite loss value that stopped the run (NaN, +∞ or −∞), or null.</summary>
    public double? DivergedLoss { get; private set; }

    /// <summary>True when the run stopped because the loss became NaN or ±∞.</summary>
    public bool Diverged => Outcome == TrainingOutcome.Diverged;

    /// <summary>Number of epochs recorded (a diverged epoch is not counted as completed).</summary>
    public int Epochs => epochLoss.Count;

    /// <summary>Number of update steps recorded, including the one that diverged.</summary>
    public int Iterations => iterationLoss.Count;

    /// <summary>The last finite epoch loss, or NaN if no epoch completed.</summary>
    public double FinalLoss => epochLoss.Count > 0 ? epochLoss[^1] : double.NaN;

    /// <summary>
    /// The first epoch (counted from 1) whose loss is below <paramref name="target"/>, or null when no epoch got there,
    /// e.g. <c>history.FirstEpochBelow(0.1)</c>: how long a run took to reach the lessons' target loss.
    /// </summary>
    public int? FirstEpochBelow(double target)
    {
        for (int e = 0; e < epochLoss.Count; e++)
            if (epochLoss[e] < target) return e + 1;
        return null;
    }

    /// <summary>
    /// Records the loss of one update step of epoch <paramref name="epoch"/>. Returns false — and marks
    /// the run as diverged — when the loss is NaN or ±∞, so the trainer knows to stop.
    /// </summary>
    public bool RecordIteration(int epoch, double loss)
    {
        iterationLoss.Add(loss);
        Live?.Tick();
        if (double.IsFinite(loss)) return true;
        Outcome = TrainingOutcome.Diverged;
        DivergedAtEpoch = epoch;
        DivergedAtIteration = iterationLoss.Count;
        DivergedLoss = loss;
        return false;
    }

    /// <summary>
    /// Records the loss (and optional metric) of a completed epoch. Returns false — and marks the run
    /// as diverged — when the loss is NaN or ±∞.
    /// </summary>
    public bool RecordEpoch(double loss, double? metric = null)
    {
        if (!double.IsFinite(loss))
        {
            Outcome = TrainingOutcome.Diverged;
            DivergedAtEpoch = epochLoss.Count + 1;
            DivergedAtIteration = iterationLoss.Count;
            DivergedLoss = loss;
            return false;
        }
        epochLoss.Add(loss);
        if (metric is double m) epochMetric.Add(m);
        Live?.Tick();
        return true;
    }

    /// <summary>Marks the run as stopped early because the loss reached the target.</summary>
    public void MarkReachedTarget() => Outcome = TrainingOutcome.ReachedTarget;

    /// <summary>One line a notebook can print, e.g. "Adam: diverged in epoch 3 (iteration 9): loss = ∞".</summary>
    public override string ToString() => Outcome switch
    {
        TrainingOutcome.Diverged =>
            $"{Name}: diverged in epoch {DivergedAtEpoch} (iteration {DivergedAtIteration}): loss = {FormatLoss(DivergedLoss!.Value)}",
        TrainingOutcome.ReachedTarget =>
            $"{Name}: reached the target loss after {Epochs} epochs: loss = {FormatLoss(FinalLoss)}",
        _ => $"{Name}: {Epochs} epochs, final loss = {FormatLoss(FinalLoss)}",
    };

    private static string FormatLoss(double loss) => loss switch
    {
        double.PositiveInfinity => "∞",
        double.NegativeInfinity => "−∞",
        _ when double.IsNaN(loss) => "NaN",
        _ => loss.ToString("G6", CultureInfo.InvariantCulture),
    };
}
