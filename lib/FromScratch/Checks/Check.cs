using System.Globalization;

// Lessons 0–12: the ✔ / ✘ lines every lesson prints for its claims.
namespace FromScratch;

/// <summary>
/// Expected-output checks for the notebooks. A claim that holds prints one line to the console,
/// e.g. <c>✔ MSE of the always-0 network = 0.5 (expected 0.5 ± 1e-12)</c>; a claim that does not hold
/// throws a <see cref="CheckFailedException"/> whose message starts with "✘ ", so the cell fails.
/// Numbers are written with the invariant culture.
/// </summary>
public static partial class Check
{
    /// <summary>Checks a yes/no claim, e.g. <c>Check.That(history.Diverged, "the raw-input run diverges")</c>.</summary>
    public static void That(bool holds, string claim)
    {
        if (!holds) throw new CheckFailedException($"✘ {claim}: this does not hold");
        Console.Out.WriteLine($"✔ {claim}");
    }

    /// <summary>Checks |actual − expected| ≤ tolerance, e.g. <c>Check.Near("MSE of the always-0 network", mse, 0.5, 1e-12)</c>.</summary>
    public static void Near(string what, double actual, double expected, double tolerance)
    {
        if (!(tolerance >= 0) || !double.IsFinite(tolerance))
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, $"tolerance must be a finite number ≥ 0, but was {Format(tolerance)}.");
        int digits = DigitsFor(tolerance, actual, expected);
        string expectation = $"{Format(expected, digits)} ± {Format(tolerance)}";
        double difference = Math.Abs(actual - expected);
        if (!(difference <= tolerance)) // also false when actual is NaN
            throw new CheckFailedException(
                $"✘ {what} = {Format(actual, digits)}, expected {expectation} (off by {Format(difference)})");
        Console.Out.WriteLine($"✔ {what} = {Format(actual, digits)} (expected {expectation})");
    }

    /// <summary>Checks actual &lt; bound, e.g. <c>Check.Below("final loss", history.FinalLoss, 0.1)</c>.</summary>
    public static void Below(string what, double actual, double bound)
    {
        if (!(actual < bound))
            throw new CheckFailedException($"✘ {what} = {Format(actual)}, expected < {Format(bound)}");
        Console.Out.WriteLine($"✔ {what} = {Format(actual)} (expected < {Format(bound)})");
    }

    /// <summary>Checks actual &gt; bound, e.g. <c>Check.Above("accuracy", accuracy, 0.9)</c>.</summary>
    public static void Above(string what, double actual, double bound)
    {
        if (!(actual > bound))
            throw new CheckFailedException($"✘ {what} = {Format(actual)}, expected > {Format(bound)}");
        Console.Out.WriteLine($"✔ {what} = {Format(actual)} (expected > {Format(bound)})");
    }

    /// <summary>
    /// Checks that one measured quantity is smaller than another and prints both, e.g.
    /// <c>Check.Less("Adam's epochs to the target", adam, "SGD's", sgd)</c> prints
    /// "✔ Adam's epochs to the target = 12 &lt; SGD's = 80".
    /// </summary>
    public static void Less(string what, double actual, string than, double other)
    {
        if (!(actual < other))
            throw new CheckFailedException($"✘ {what} = {Format(actual)}, expected < {than} = {Format(other)}");
        Console.Out.WriteLine($"✔ {what} = {Format(actual)} < {than} = {Format(other)}");
    }

    /// <summary>Checks that two whole numbers are equal, e.g. <c>Check.Equal("number of samples", data.Count, 200)</c>.</summary>
    public static void Equal(string what, long actual, long expected)
    {
        if (actual != expected)
            throw new CheckFailedException($"✘ {what} = {actual.ToString(CultureInfo.InvariantCulture)}, expected {expected.ToString(CultureInfo.InvariantCulture)}");
        Console.Out.WriteLine($"✔ {what} = {actual.ToString(CultureInfo.InvariantCulture)} (expected {expected.ToString(CultureInfo.InvariantCulture)})");
    }

    /// <summary>
    /// A number as the checks print it: 6 significant digits by default, ∞ and NaN spelled out,
    /// invariant culture (0.5, 1e-12, 0.0834529, 1.23457e+6).
    /// </summary>
    public static string Format(double value, int significantDigits = 6) => value switch
    {
        double.PositiveInfinity => "∞",
        double.NegativeInfinity => "−∞",
        _ when double.IsNaN(value) => "NaN",
        _ => Exponent(value.ToString("G" + Math.Clamp(significantDigits, 1, 17), CultureInfo.InvariantCulture)),
    };

    // .NET writes "1E-09" and "1.5E+06"; the lessons write 1e-9 and 1.5e+6.
    private static string Exponent(string text)
    {
        int e = text.IndexOf('E');
        if (e < 0) return text;
        string sign = text[e + 1] == '-' ? "-" : "+";
        return text[..e] + "e" + sign + text[(e + 2)..].TrimStart('0');
    }

    // Enough significant digits that a difference of the size of the tolerance is visible:
    // comparing 0.2500001 with 0.25 ± 1e-9 must not print "0.25 = 0.25".
    private static int DigitsFor(double tolerance, double actual, double expected)
    {
        double scale = Math.Max(Math.Abs(expected), double.IsFinite(actual) ? Math.Abs(actual) : 0);
        if (scale <= 0) return 6;
        if (tolerance <= 0) return 17;
        int digits = (int)Math.Ceiling(Math.Log10(scale / tolerance)) + 1;
        return Math.Clamp(digits, 6, 17);
    }
}
