// Lesson 7: v_t = β·v_(t−1) + (1 − β)·θ_t, with and without bias correction (exercises 7.1 and 7.2 check Of).
namespace FromScratch;

/// <summary>
/// The exponentially weighted (moving) average v_t = β·v_(t−1) + (1 − β)·θ_t with v_0 = 0.
/// It averages roughly the last 1 / (1 − β) values (β = 0.9 ≈ 10). Because v_0 = 0 the first values are
/// too small; bias correction divides by (1 − β^t), which makes the corrected first value exactly θ_1.
/// </summary>
public sealed class ExponentiallyWeightedAverage
{
    /// <summary>An empty average with coefficient β in [0, 1).</summary>
    public ExponentiallyWeightedAverage(double β)
    {
        Guard.InUnitInterval(β, nameof(β));
        Beta = β;
    }

    /// <summary>The coefficient β.</summary>
    public double Beta { get; }

    /// <summary>t, the number of values added so far.</summary>
    public int Count { get; private set; }

    /// <summary>The raw average v_t (0 before the first value).</summary>
    public double Value { get; private set; }

    /// <summary>The bias-corrected average v_t / (1 − β^t) (0 before the first value).</summary>
    public double CorrectedValue => Count == 0 ? 0.0 : Value / (1 - Math.Pow(Beta, Count));

    /// <summary>Adds θ_t: v_t = β·v_(t−1) + (1 − β)·θ_t. Returns the raw v_t.</summary>
    public double Add(double θ)
    {
        Count++;
        Value = Beta * Value + (1 - Beta) * θ;
        return Value;
    }

    /// <summary>The averages v_1 … v_n of a whole series, bias-corrected if <paramref name="biasCorrection"/>.</summary>
    public static double[] Of(IEnumerable<double> series, double β, bool biasCorrection = false)
    {
        ArgumentNullException.ThrowIfNull(series);
        var average = new ExponentiallyWeightedAverage(β);
        return series.Select(θ =>
        {
            average.Add(θ);
            return biasCorrection ? average.CorrectedValue : average.Value;
        }).ToArray();
    }
}
