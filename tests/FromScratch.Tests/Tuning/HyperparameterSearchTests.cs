namespace FromScratch.Tests.Tuning;

public class HyperparameterSearchTests
{
    private const int N = 4000;

    [Fact]
    public void Log_scale_sampling_puts_about_the_same_count_in_every_decade()
    {
        var points = HyperparameterSearch.RandomPoints([SearchRange.Log("η", 1e-4, 1)], N, seed: 1);
        var decades = HyperparameterSearch.CountPerDecade(points.Select(p => p["η"]), -4, 0);
        Assert.Equal(4, decades.Count);
        Assert.Equal(N, decades.Sum(d => d.Count));
        // Each decade has probability 1/4: binomial standard deviation √(N·¼·¾) ≈ 27; allow 4σ.
        double σ = Math.Sqrt(N * 0.25 * 0.75);
        foreach (var d in decades) Assert.InRange(d.Count, N / 4 - 4 * σ, N / 4 + 4 * σ);
    }

    [Fact]
    public void Uniform_sampling_puts_about_ninety_percent_in_the_top_decade()
    {
        var points = HyperparameterSearch.RandomPoints([SearchRange.Uniform("η", 1e-4, 1)], N, seed: 2);
        var decades = HyperparameterSearch.CountPerDecade(points.Select(p => p["η"]), -4, 0);
        double top = decades[^1].Count / (double)N;
        double expected = 0.9 / (1 - 1e-4);
        double σ = Math.Sqrt(expected * (1 - expected) / N);
        Assert.InRange(top, expected - 4 * σ, expected + 4 * σ);
        Assert.True(decades[0].Count < 0.01 * N, $"bottom decade {decades[0].Count}"); // expected 0.09%
    }

    [Fact]
    public void Samples_stay_inside_the_range_and_the_same_seed_repeats_exactly()
    {
        SearchRange[] ranges = [SearchRange.Log("η", 1e-3, 0.5), SearchRange.Log("hidden", 8, 128, isInteger: true), SearchRange.Uniform("β", 0.8, 0.99)];
        var a = HyperparameterSearch.RandomPoints(ranges, 500, seed: 3);
        var b = HyperparameterSearch.RandomPoints(ranges, 500, seed: 3);
        var c = HyperparameterSearch.RandomPoints(ranges, 500, seed: 4);
        Assert.Equal(a.Select(p => p.ToString()), b.Select(p => p.ToString()));
        Assert.NotEqual(a.Select(p => p["η"]), c.Select(p => p["η"]));
        foreach (var p in a)
        {
            Assert.InRange(p["η"], 1e-3, 0.5);
            Assert.InRange(p["β"], 0.8, 0.99);
            Assert.InRange(p["hidden"], 8, 128);
            Assert.Equal(Math.Round(p["hidden"]), p["hidden"]);
        }
        // The hidden size on a log scale: as many draws in 8…32 as in 32…128 (within 4σ of 250 each, rounding aside).
        int small = a.Count(p => p.Int("hidden") < 32);
        Assert.InRange(small, 250 - 4 * Math.Sqrt(500 * 0.25), 250 + 4 * Math.Sqrt(500 * 0.25));
    }

    [Fact]
    public void Grids_are_evenly_spaced_in_the_value_or_in_its_exponent()
    {
        Assert.Equal([0.0, 0.25, 0.5, 0.75, 1.0], SearchRange.Uniform("x", 0, 1).Grid(5));
        var log = SearchRange.Log("η", 1e-4, 1).Grid(5);
        double[] expected = [1e-4, 1e-3, 1e-2, 1e-1, 1];
        for (int i = 0; i < 5; i++) Assert.Equal(expected[i], log[i], expected[i] * 1e-12);
        Assert.Equal([2.0, 3.0, 4.0], SearchRange.Uniform("h", 2, 4, isInteger: true).Grid(5)); // repeats dropped
    }

    [Fact]
    public void Grid_points_are_every_combination_with_the_last_range_fastest()
    {
        var points = HyperparameterSearch.GridPoints([SearchRange.Log("η", 0.01, 1), SearchRange.Uniform("h", 10, 30, isInteger: true)], 3);
        Assert.Equal(9, points.Count);
        Assert.Equal(0.01, points[0]["η"], 1e-15);
        Assert.Equal([10.0, 20.0, 30.0], points.Take(3).Select(p => p["h"]));
        Assert.Equal(1.0, points[^1]["η"]);
        Assert.Equal(["η", "h"], points[0].Names);
    }

    [Fact]
    public void Run_scores_each_point_once_in_order_and_keeps_the_best_finite_score()
    {
        var points = HyperparameterSearch.GridPoints([SearchRange.Uniform("x", -2, 2)], 5); // −2, −1, 0, 1, 2
        var seen = new List<double>();
        var min = HyperparameterSearch.Run(points, p => { seen.Add(p["x"]); return p["x"] == 2 ? double.NaN : (p["x"] - 0.9) * (p["x"] - 0.9); }, ScoreGoal.Minimize);
        Assert.Equal([-2.0, -1.0, 0.0, 1.0, 2.0], seen);
        Assert.Equal(1.0, min.Best.Hyperparameters["x"]);
        Assert.Equal(4, min.Best.Number);
        Assert.True(double.IsNaN(min.Trials[^1].Score));
        var max = HyperparameterSearch.Run(points, p => p["x"] == 2 ? double.PositiveInfinity : -p["x"], ScoreGoal.Maximize);
        Assert.Equal(-2.0, max.Best.Hyperparameters["x"]);
        Assert.Equal([-2.0, -1.0, 0.0, 1.0, 2.0], max.Values("x"));
        var none = Assert.Throws<InvalidOperationException>(() => HyperparameterSearch.Run(points, _ => double.NaN, ScoreGoal.Minimize));
        Assert.Contains("5 trials", none.Message);
    }

    [Fact]
    public void Count_per_decade_uses_exact_powers_of_ten_as_edges()
    {
        var counts = HyperparameterSearch.CountPerDecade([1e-3, 0.00999, 0.01, 0.5, 1.0], -3, 0);
        Assert.Equal([2, 1, 2], counts.Select(d => d.Count));
        Assert.Equal(0.01, counts[1].From, 1e-18);
        var outside = Assert.Throws<ArgumentOutOfRangeException>(() => HyperparameterSearch.CountPerDecade([0.5, 2.0], -3, 0));
        Assert.Contains("Value 1 = 2", outside.Message);
    }

    [Fact]
    public void Bad_ranges_get_clear_messages()
    {
        Assert.Contains("low = 1", Assert.Throws<ArgumentException>(() => SearchRange.Uniform("x", 1, 1)).Message);
        Assert.Contains("log scale needs low > 0", Assert.Throws<ArgumentOutOfRangeException>(() => SearchRange.Log("η", 0, 1)).Message);
        Assert.Contains("no whole number", Assert.Throws<ArgumentException>(() => SearchRange.Uniform("h", 1.2, 1.8, isInteger: true)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => SearchRange.Uniform("x", 0, 1).Grid(1));
        Assert.Contains("\"x\"", Assert.Throws<ArgumentException>(() => HyperparameterSearch.RandomPoints([SearchRange.Uniform("x", 0, 1), SearchRange.Uniform("x", 0, 2)], 3, 1)).Message);
        var set = HyperparameterSearch.RandomPoints([SearchRange.Uniform("x", 0, 1)], 1, 1)[0];
        Assert.Contains("this set has x", Assert.Throws<KeyNotFoundException>(() => set["y"]).Message);
    }
}
