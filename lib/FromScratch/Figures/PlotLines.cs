using System.Globalization;
using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;

// Lessons 3, 6–11: functions, series over shared x values, and a hyperparameter sweep.
namespace FromScratch;

public static partial class Plot
{
    /// <summary>
    /// Functions of one variable on a range, e.g. an activation and its derivative:
    /// <c>Plot.Functions((-6, 6), [("σ(x)", Sigmoid), ("σ′(x)", SigmoidPrime)])</c>. Where a function is not
    /// finite the curve has a gap.
    /// </summary>
    public static Figure Functions(
        (double Min, double Max) xRange, IReadOnlyList<(string Name, Func<double, double> F)> functions,
        string title = "Functions", string xTitle = "x", string yTitle = "y", int points = 401)
    {
        NotEmpty(functions, nameof(functions));
        CheckRange(xRange, nameof(xRange));
        if (points < 2) throw new ArgumentOutOfRangeException(nameof(points), points, $"points must be at least 2, but was {points}.");
        double[] xs = Linspace(xRange.Min, xRange.Max, points);
        var data = new JsonArray();
        for (int f = 0; f < functions.Count; f++)
        {
            var (name, function) = functions[f];
            data.Add(new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "lines", ["name"] = name,
                ["x"] = Numbers(xs), ["y"] = Numbers(xs.Select(function)),
                ["line"] = new JsonObject { ["color"] = Palette[f % Palette.Count], ["width"] = 2.5 },
            });
        }
        return new Figure(title, data, Layout(title, xTitle, yTitle, showLegend: functions.Count > 1));
    }

    /// <summary>Series written in place, e.g. <c>Plot.Lines([1, 2, 3], [("a", [1, 4, 9])], "squares", "n", "n²")</c>.</summary>
    public static Figure Lines(
        IEnumerable<double> x, IReadOnlyList<(string Name, IReadOnlyList<double> Y)> series,
        string title, string xTitle, string yTitle, bool logX = false, bool logY = false, bool markers = false) =>
        Lines<IReadOnlyList<double>>(x, series, title, xTitle, yTitle, logX, logY, markers);

    /// <summary>
    /// One or several named series over the same x values. Non-finite values leave gaps.
    /// </summary>
    public static Figure Lines<TValues>(
        IEnumerable<double> x, IEnumerable<(string Name, TValues Y)> series,
        string title, string xTitle, string yTitle, bool logX = false, bool logY = false, bool markers = false)
        where TValues : IEnumerable<double>
    {
        var xs = Listed(x, nameof(x));
        ArgumentNullException.ThrowIfNull(series);
        var listed = series.Select(s => (s.Name, Y: Listed(s.Y, s.Name))).ToList();
        NotEmpty(listed, nameof(series));
        var data = new JsonArray();
        for (int s = 0; s < listed.Count; s++)
        {
            var (name, y) = listed[s];
            if (y.Count != xs.Count)
                throw new ArgumentException($"Series '{name}' has {y.Count} values but there are {xs.Count} x values.", nameof(series));
            data.Add(new JsonObject
            {
                ["type"] = "scatter", ["mode"] = markers ? "lines+markers" : "lines", ["name"] = name,
                ["x"] = Numbers(xs), ["y"] = Numbers(y),
                ["line"] = new JsonObject { ["color"] = Palette[s % Palette.Count], ["width"] = 2 },
                ["marker"] = new JsonObject { ["color"] = Palette[s % Palette.Count], ["size"] = 7 },
            });
        }
        return new Figure(title, data, Layout(title, xTitle, yTitle, showLegend: listed.Count > 1, logX: logX, logY: logY));
    }

    /// <summary>
    /// A result against a hyper-parameter on a log x axis, e.g. final loss against learning rate η for
    /// η = 0.0001 … 1. Runs whose result is NaN or ±∞ (they diverged) are shown as red ✕ at the top of the plot.
    /// </summary>
    public static Figure Sweep(
        IEnumerable<double> x, IEnumerable<double> y,
        string title = "Final loss against learning rate", string xTitle = "learning rate η", string yTitle = "final loss",
        bool logX = true, bool logY = false)
    {
        var xs = Listed(x, nameof(x));
        var ys = Listed(y, nameof(y));
        if (xs.Count != ys.Count)
            throw new ArgumentException($"There are {xs.Count} x values but {ys.Count} y values; they must pair up.", nameof(y));
        if (xs.Count == 0) throw new ArgumentException("Sweep needs at least one point.", nameof(x));
        int notPositive = Enumerable.Range(0, xs.Count).FirstOrDefault(i => !(xs[i] > 0), -1);
        if (logX && notPositive >= 0)
            throw new ArgumentException($"A log x axis needs x > 0, but x[{notPositive}] = {Check.Format(xs[notPositive])}.", nameof(x));
        var finite = Enumerable.Range(0, xs.Count).Where(i => double.IsFinite(ys[i])).ToArray();
        var diverged = Enumerable.Range(0, xs.Count).Where(i => !double.IsFinite(ys[i])).ToArray();
        var data = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "lines+markers", ["name"] = yTitle,
                ["x"] = Numbers(finite.Select(i => xs[i])), ["y"] = Numbers(finite.Select(i => ys[i])),
                ["line"] = new JsonObject { ["color"] = Palette[0], ["width"] = 2 },
                ["marker"] = new JsonObject { ["color"] = Palette[0], ["size"] = 9 },
            },
        };
        if (diverged.Length > 0)
        {
            double top = finite.Length > 0 ? finite.Max(i => ys[i]) : 1;
            data.Add(new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "markers+text", ["name"] = "diverged (NaN or ∞)",
                ["x"] = Numbers(diverged.Select(i => xs[i])), ["y"] = Numbers(diverged.Select(_ => top)),
                ["text"] = new JsonArray(diverged.Select(i => (JsonNode)JsonValue.Create(Check.Format(ys[i]))!).ToArray()),
                ["textposition"] = "bottom center",
                ["marker"] = new JsonObject { ["color"] = Palette[1], ["size"] = 14, ["symbol"] = "x" },
            });
        }
        return new Figure(title, data, Layout(title, xTitle, yTitle, showLegend: diverged.Length > 0, logX: logX, logY: logY));
    }
}
