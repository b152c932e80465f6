// Lesson 8: learning-rate decay — constant, step, exponential, 1/t.
namespace FromScratch;

/// <summary>
/// Learning-rate decay: the rate α to use in an epoch, from the initial rate α0.
/// <c>epoch</c> counts the epochs already completed (0 during the first epoch), so every schedule starts at α0.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>Sets α0 (a finite number &gt; 0).</summary>
    protected LearningRateSchedule(double initialRate)
    {
        Guard.Positive(initialRate, nameof(initialRate));
        InitialRate = initialRate;
    }

    /// <summary>The initial rate α0.</summary>
    public double InitialRate { get; }

    /// <summary>The rate α for the epoch after <paramref name="epoch"/> completed epochs (epoch ≥ 0).</summary>
    public double Rate(int epoch)
    {
        Guard.NotNegative(epoch, nameof(epoch));
        return RateAt(epoch);
    }

    /// <summary>The formula of this schedule.</summary>
    protected abstract double RateAt(int epoch);

    /// <summary>α = α0 in every epoch.</summary>
    public static LearningRateSchedule Constant(double α0) => new ConstantSchedule(α0);

    /// <summary>Step decay: α = α0·γ^⌊epoch / stepSize⌋ (multiply by γ every <paramref name="stepSize"/> epochs).</summary>
    public static LearningRateSchedule StepDecay(double α0, double γ, int stepSize) => new StepDecaySchedule(α0, γ, stepSize);

    /// <summary>Exponential decay: α = α0·γ^epoch (e.g. γ = 0.95).</summary>
    public static LearningRateSchedule ExponentialDecay(double α0, double γ) => new ExponentialDecaySchedule(α0, γ);

    /// <summary>1/t decay: α = α0 / (1 + k·epoch), with decay rate k ≥ 0.</summary>
    public static LearningRateSchedule InverseTimeDecay(double α0, double k) => new InverseTimeDecaySchedule(α0, k);

    /// <summary>The factor γ that multiplies the rate must be in (0, 1]: 1 keeps the rate, smaller values shrink it.</summary>
    private static void CheckDecayFactor(double γ)
    {
        if (!(γ > 0 && γ <= 1)) throw new ArgumentOutOfRangeException(nameof(γ), γ, $"γ must be in (0, 1], but was {γ:R}.");
    }

    private sealed class ConstantSchedule(double α0) : LearningRateSchedule(α0)
    {
        protected override double RateAt(int epoch) => InitialRate;
        public override string ToString() => $"constant α = {InitialRate:G4}";
    }

    private sealed class StepDecaySchedule : LearningRateSchedule
    {
        private readonly double γ;
        private readonly int stepSize;

        public StepDecaySchedule(double α0, double γ, int stepSize) : base(α0)
        {
            CheckDecayFactor(γ);
            Guard.AtLeastOne(stepSize, nameof(stepSize));
            this.γ = γ;
            this.stepSize = stepSize;
        }

        protected override double RateAt(int epoch) => InitialRate * Math.Pow(γ, epoch / stepSize); // integer division = ⌊epoch / stepSize⌋
        public override string ToString() => $"step decay α0 = {InitialRate:G4}, ×{γ:G4} every {stepSize} epochs";
    }

    private sealed class ExponentialDecaySchedule : LearningRateSchedule
    {
        private readonly double γ;

        public ExponentialDecaySchedule(double α0, double γ) : base(α0)
        {
            CheckDecayFactor(γ);
            this.γ = γ;
        }

        protected override double RateAt(int epoch) => InitialRate * Math.Pow(γ, epoch);
        public override string ToString() => $"exponential decay α0 = {InitialRate:G4}, γ = {γ:G4}";
    }

    private sealed class InverseTimeDecaySchedule : LearningRateSchedule
    {
        private readonly double k;

        public InverseTimeDecaySchedule(double α0, double k) : base(α0)
        {
            if (!(k >= 0) || !double.IsFinite(k)) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be a finite number ≥ 0, but was {k:R}.");
            this.k = k;
        }

        protected override double RateAt(int epoch) => InitialRate / (1 + k * epoch);
        public override string ToString() => $"1/t decay α0 = {InitialRate:G4}, k = {k:G4}";
    }
}
