using System.Globalization;

// Lesson 12: random search vs a grid, trials and the best one.
namespace FromScratch;

/// <summary>One point of a search: a value for every hyperparameter, by name (e.g. η = 0.012, hidden = 32).</summary>
public sealed class HyperparameterSet
{
    private readonly Dictionary<string, double> values;

    /// <summary>A set with the given (name, value) pairs, in that order.</summary>
    public HyperparameterSet(IEnumerable<KeyValuePair<string, double>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Names = values.Select(v => v.Key).ToList();
        this.values = new Dictionary<string, double>(values);
    }

    /// <summary>The hyperparameters' names, in the order of the search ranges.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The value of the hyperparameter <paramref name="name"/>.</summary>
    public double this[string name] => values.TryGetValue(name, out var v)
        ? v
        : throw new KeyNotFoundException($"No hyperparameter named \"{name}\"; this set has {string.Join(", ", Names)}.");

    /// <summary>The value of <paramref name="name"/> as a whole number (for ranges with whole numbers, e.g. a hidden size).</summary>
    public int Int(string name) => checked((int)Math.Round(this[name]));

    /// <inheritdoc/>
    public override string ToString() =>
        string.Join(", ", Names.Select(n => $"{n} = {values[n].ToString("G4", CultureInfo.InvariantCulture)}"));
}

/// <summary>One evaluated point of a search.</summary>
/// <param name="Number">Its position in the search (from 1).</param>
/// <param name="Hyperparameters">The values tried.</param>
/// <param name="Score">The score the evaluation returned (e.g. validation accuracy); may be NaN or ∞ for a diverged run.</param>
public sealed record Trial(int Number, HyperparameterSet Hyperparameters, double Score)
{
    /// <inheritdoc/>
    public override string ToString() => $"trial {Number}: {Hyperparameters} → {Score.ToString("G4", CultureInfo.InvariantCulture)}";
}

/// <summary>Whether a search looks for the smallest score (a loss) or the largest (an accuracy).</summary>
public enum ScoreGoal
{
    /// <summary>Smaller is better (e.g. a validation loss).</summary>
    Minimize,

    /// <summary>Larger is better (e.g. a validation accuracy).</summary>
    Maximize,
}

/// <summary>The trials of a search, in the order they ran, and the best one.</summary>
/// <param name="Trials">Every trial.</param>
/// <param name="Best">The trial with the best finite score (the first one on ties).</param>
/// <param name="Goal">Whether the best is the smallest or the largest score.</param>
public sealed record SearchResult(IReadOnlyList<Trial> Trials, Trial Best, ScoreGoal Goal)
{
    /// <summary>The values of hyperparameter <paramref name="name"/> over the trials, in order.</summary>
    public IReadOnlyList<double> Values(string name) => Trials.Select(t => t.Hyperparameters[name]).ToList();

    /// <summary>The scores over the trials, in order.</summary>
    public IReadOnlyList<double> Scores => Trials.Select(t => t.Score).ToList();
}

/// <summary>
/// Choosing hyperparameters (η, hidden size, …) that are not learned: try several, score each on held-out data,
/// keep the best. Random search draws each try at random (on a log scale for scale-like quantities such as η);
/// a grid tries every combination of evenly spaced values. Everything is seeded, so a search repeats exactly.
/// </summary>
public static class HyperparameterSearch
{
    /// <summary>
    /// <paramref name="count"/> random points; each point draws one value per range, in the order of
    /// <paramref name="ranges"/>, from Random(<paramref name="seed"/>) (see <see cref="SearchRange.Sample"/>).
    /// </summary>
    public static IReadOnlyList<HyperparameterSet> RandomPoints(IReadOnlyList<SearchRange> ranges, int count, int seed)
    {
        CheckRanges(ranges);
        Guard.AtLeastOne(count, nameof(count));
        var random = RandomNumbers.Create(seed);
        var points = new List<HyperparameterSet>(count);
        for (int i = 0; i < count; i++)
            points.Add(new HyperparameterSet(ranges.Select(r => KeyValuePair.Create(r.Name, r.Sample(random))).ToList()));
        return points;
    }

    /// <summary>
    /// Every combination of <paramref name="pointsPerRange"/> evenly spaced values per range (see
    /// <see cref="SearchRange.Grid"/>); the last range varies fastest.
    /// </summary>
    public static IReadOnlyList<HyperparameterSet> GridPoints(IReadOnlyList<SearchRange> ranges, int pointsPerRange)
    {
        CheckRanges(ranges);
        var combinations = new List<List<KeyValuePair<string, double>>> { new() };
        foreach (var range in ranges)
            combinations = combinations
                .SelectMany(c => range.Grid(pointsPerRange).Select(v => new List<KeyValuePair<string, double>>(c) { KeyValuePair.Create(range.Name, v) }))
                .ToList();
        return combinations.Select(c => new HyperparameterSet(c)).ToList();
    }

    /// <summary>
    /// Evaluates <paramref name="score"/> once for each point, in order, and returns the trials and the best
    /// one. A NaN or infinite score (e.g. a run that diverged) is kept in the trials but can never be the best;
    /// if every score is NaN or infinite this throws, naming the trials.
    /// </summary>
    public static SearchResult Run(IReadOnlyList<HyperparameterSet> points, Func<HyperparameterSet, double> score, ScoreGoal goal)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(score);
        if (points.Count == 0) throw new ArgumentException("The search has no points to try.", nameof(points));
        var trials = points.Select((p, i) => { Interruption.ThrowIfRequested(); return new Trial(i + 1, p, score(p)); }).ToList();
        Trial? best = null;
        foreach (var t in trials)
        {
            if (!double.IsFinite(t.Score)) continue;
            if (best is null || (goal == ScoreGoal.Minimize ? t.Score < best.Score : t.Score > best.Score)) best = t;
        }
        if (best is null)
            throw new InvalidOperationException($"Every one of the {trials.Count} trials scored NaN or ∞ (e.g. {trials[0]}); there is no best trial.");
        return new SearchResult(trials, best, goal);
    }

    /// <summary>
    /// How many of <paramref name="values"/> fall into each decade [10^k, 10^(k+1)) for k from
    /// <paramref name="lowExponent"/> to <paramref name="highExponent"/> − 1; the value 10^highExponent itself
    /// counts in the last decade. Each entry is a decade [From, To) and its Count. A log-scale search over 10^low … 10^high puts about the same count in each.
    /// Throws for a value outside [10^lowExponent, 10^highExponent], naming it.
    /// </summary>
    public static IReadOnlyList<(double From, double To, int Count)> CountPerDecade(IEnumerable<double> values, int lowExponent, int highExponent)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (lowExponent >= highExponent)
            throw new ArgumentException($"lowExponent must be below highExponent, but they are {lowExponent} and {highExponent}.");
        var counts = new int[highExponent - lowExponent];
        double low = Math.Pow(10, lowExponent), high = Math.Pow(10, highExponent);
        int index = 0;
        foreach (double v in values)
        {
            if (!(v >= low && v <= high))
                throw new ArgumentOutOfRangeException(nameof(values), v, $"Value {index} = {v.ToString("G6", CultureInfo.InvariantCulture)} lies outside [1e{lowExponent}, 1e{highExponent}].");
            int k = 0;
            while (k < counts.Length - 1 && v >= Math.Pow(10, lowExponent + k + 1)) k++; // decades by comparison with exact powers of ten
            counts[k]++;
            index++;
        }
        return counts.Select((c, k) => (From: Math.Pow(10, lowExponent + k), To: Math.Pow(10, lowExponent + k + 1), Count: c)).ToList();
    }

    private static void CheckRanges(IReadOnlyList<SearchRange> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        if (ranges.Count == 0) throw new ArgumentException("A search needs at least one range.", nameof(ranges));
        var duplicate = ranges.GroupBy(r => r.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"Two ranges are both named \"{duplicate.Key}\"; names must be unique.", nameof(ranges));
    }
}
