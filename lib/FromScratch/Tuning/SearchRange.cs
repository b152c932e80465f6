using System.Globalization;

// Lesson 12: the range of one hyperparameter, on a log or a uniform scale.
namespace FromScratch;

/// <summary>
/// The range one hyperparameter is searched over, e.g. the learning rate η from 1e-4 to 1 on a log scale,
/// or the hidden size from 8 to 128 (whole numbers).
/// </summary>
public sealed record SearchRange
{
    /// <summary>
    /// A range [<paramref name="low"/>, <paramref name="high"/>] named <paramref name="name"/>. With <paramref name="logScale"/>
    /// values are spread evenly in the exponent, x = 10^U(log₁₀ low, log₁₀ high), so every decade gets the same share, and both
    /// ends must be &gt; 0; otherwise evenly in the value, x = U(low, high) (for η in 1e-4 … 1 about 90% of such draws land
    /// in 0.1 … 1). <paramref name="isInteger"/> rounds every value to a whole number.
    /// </summary>
    public SearchRange(string name, double low, double high, bool logScale = false, bool isInteger = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!double.IsFinite(low) || !double.IsFinite(high) || !(low < high))
            throw new ArgumentException($"Range {name}: low must be below high and both finite, but low = {F(low)} and high = {F(high)}.");
        if (logScale && !(low > 0))
            throw new ArgumentOutOfRangeException(nameof(low), low, $"Range {name}: a log scale needs low > 0, but low = {F(low)}.");
        if (isInteger && Math.Ceiling(low) > Math.Floor(high))
            throw new ArgumentException($"Range {name}: no whole number lies between low = {F(low)} and high = {F(high)}.");
        Name = name;
        Low = low;
        High = high;
        IsLogScale = logScale;
        IsInteger = isInteger;
    }

    /// <summary>A log-scale range: x = 10^U(log₁₀ low, log₁₀ high).</summary>
    public static SearchRange Log(string name, double low, double high, bool isInteger = false) => new(name, low, high, logScale: true, isInteger);

    /// <summary>A uniform range: x = U(low, high).</summary>
    public static SearchRange Uniform(string name, double low, double high, bool isInteger = false) => new(name, low, high, logScale: false, isInteger);

    /// <summary>The hyperparameter's name, e.g. "η".</summary>
    public string Name { get; }

    /// <summary>The low end.</summary>
    public double Low { get; }

    /// <summary>The high end.</summary>
    public double High { get; }

    /// <summary>True: values are spread evenly in log₁₀ x (a log scale); false: evenly in x.</summary>
    public bool IsLogScale { get; }

    /// <summary>Whether values are rounded to whole numbers (e.g. a number of neurons).</summary>
    public bool IsInteger { get; }

    /// <summary>
    /// One random value, using exactly one draw u = U(0, 1) of <paramref name="random"/>:
    /// uniform: low + u·(high − low); log: 10^(a + u·(b − a)) with a = log₁₀ low, b = log₁₀ high.
    /// Integer ranges round to the nearest whole number inside the range.
    /// </summary>
    public double Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        double u = random.NextDouble();
        return Finish(IsLogScale
            ? Math.Pow(10, Math.Log10(Low) + u * (Math.Log10(High) - Math.Log10(Low)))
            : Low + u * (High - Low));
    }

    /// <summary>
    /// <paramref name="points"/> evenly spaced values from low to high, both ends included: evenly in x (uniform)
    /// or in log₁₀ x (log). Integer ranges round and drop repeats, so they may return fewer values.
    /// </summary>
    public IReadOnlyList<double> Grid(int points)
    {
        if (points < 2) throw new ArgumentOutOfRangeException(nameof(points), points, $"Range {Name}: a grid needs at least 2 points (both ends), but points = {points}.");
        var values = new List<double>();
        for (int i = 0; i < points; i++)
        {
            double t = i / (double)(points - 1);
            double x = i == points - 1 ? High : IsLogScale
                ? Math.Pow(10, Math.Log10(Low) + t * (Math.Log10(High) - Math.Log10(Low)))
                : Low + t * (High - Low);
            x = Finish(x);
            if (!values.Contains(x)) values.Add(x);
        }
        return values;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Name} in [{F(Low)}, {F(High)}] ({(IsLogScale ? "log scale" : "uniform")}{(IsInteger ? ", whole numbers" : "")})";

    private double Finish(double x) => IsInteger ? Math.Clamp(Math.Round(x), Math.Ceiling(Low), Math.Floor(High)) : x;

    private static string F(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
