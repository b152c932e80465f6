using System.Globalization;
using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;

// Lessons 0–12: loss curves (this file); the other figures are in Plot*.cs beside it.
namespace FromScratch;

/// <summary>
/// The figures of the lessons. Every helper takes plain data (lists, arrays or any sequence of numbers, functions,
/// matrices), gives the figure a title and axis titles, adds a legend when there is more than one series, and
/// returns a <see cref="Figure"/>: a Plotly.NET chart a notebook displays and a learner can restyle.
/// Each trace is written with plotly's own attribute names (the plotly.js reference documents every one) and
/// becomes Plotly.NET objects — <c>Trace2D</c>, <c>Marker</c>, <c>Line</c>, <c>LinearAxis</c> — in <c>PlotlyObjects</c>.
/// </summary>
public static partial class Plot
{
    /// <summary>Colors for series and classes, in order (colour-blind friendly, from the Tableau 10 palette).</summary>
    public static IReadOnlyList<string> Palette { get; } =
        ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    // Path colours that stand out on the Viridis colours of an error surface.
    private static readonly string[] PathColors = ["#ff2d55", "#ff9f1c", "#00e5ff", "#ff66ff", "#c0ff00", "#ffffff"];

    /// <summary>
    /// Loss curves of one or several named runs, x = 1, 2, … (epoch or iteration).
    /// A run whose loss became NaN or ±∞ is drawn up to its last finite value and marked there with ✕
    /// ("diverged at epoch k"); its legend entry says so too.
    /// </summary>
    /// <param name="runs">The runs, e.g. <c>[("SGD", sgd.EpochLoss), ("Adam", adam.EpochLoss)]</c>.</param>
    /// <param name="title">The figure title.</param>
    /// <param name="xTitle">What one step on the x axis is: "epoch" or "iteration".</param>
    /// <param name="yTitle">The y axis title.</param>
    /// <param name="logY">Use a logarithmic loss axis (losses that fall over orders of magnitude).</param>
    public static Figure LossCurves<TValues>(
        IEnumerable<(string Name, TValues Values)> runs,
        string title = "Loss", string xTitle = "epoch", string yTitle = "loss", bool logY = false)
        where TValues : IEnumerable<double>
    {
        ArgumentNullException.ThrowIfNull(runs);
        return LossCurvesOf(runs.Select(r => (r.Name, Values: Listed(r.Values, r.Name))).ToList(), title, xTitle, yTitle, logY);
    }

    /// <summary>Loss curves from lists written in place, e.g. <c>Plot.LossCurves([("SGD", [1.0, 0.6, 0.4])])</c>.</summary>
    public static Figure LossCurves(
        IReadOnlyList<(string Name, IReadOnlyList<double> Values)> runs,
        string title = "Loss", string xTitle = "epoch", string yTitle = "loss", bool logY = false) =>
        LossCurves<IReadOnlyList<double>>(runs, title, xTitle, yTitle, logY);

    private static Figure LossCurvesOf(
        IReadOnlyList<(string Name, IReadOnlyList<double> Values)> runs, string title, string xTitle, string yTitle, bool logY)
    {
        NotEmpty(runs, nameof(runs));
        var data = new JsonArray();
        for (int r = 0; r < runs.Count; r++)
        {
            var (name, values) = runs[r];
            string color = Palette[r % Palette.Count];
            int firstBad = FirstNonFinite(values);
            int n = firstBad < 0 ? values.Count : firstBad;
            string legend = firstBad < 0 ? name : $"{name} (diverged at {xTitle} {firstBad + 1}: {Check.Format(values[firstBad])})";
            data.Add(new JsonObject
            {
                ["type"] = "scatter",
                ["mode"] = n <= 40 ? "lines+markers" : "lines",
                ["name"] = legend,
                ["legendgroup"] = $"run{r}",
                ["x"] = Numbers(Enumerable.Range(1, n).Select(i => (double)i)),
                ["y"] = Numbers(values.Take(n)),
                ["line"] = new JsonObject { ["color"] = color, ["width"] = 2 },
                ["marker"] = new JsonObject { ["color"] = color, ["size"] = 6 },
            });
            if (firstBad > 0)
            {
                data.Add(new JsonObject
                {
                    ["type"] = "scatter",
                    ["mode"] = "markers+text",
                    ["name"] = $"{name}: diverged",
                    ["legendgroup"] = $"run{r}",
                    ["showlegend"] = false,
                    ["x"] = Numbers([firstBad]),
                    ["y"] = Numbers([values[firstBad - 1]]),
                    ["text"] = new JsonArray($"loss → {Check.Format(values[firstBad])}"),
                    ["textposition"] = "top center",
                    ["cliponaxis"] = false,
                    ["textfont"] = new JsonObject { ["color"] = color },
                    ["marker"] = new JsonObject { ["color"] = color, ["size"] = 14, ["symbol"] = "x" },
                });
            }
        }
        var layout = Layout(title, xTitle, yTitle, showLegend: runs.Count > 1 || data.Count > runs.Count, logY: logY);
        // Epochs and iterations are whole numbers: with only a few of them, tick every one (no "1.5").
        if (runs.Max(run => run.Values.Count) <= 20) layout["xaxis"]!["dtick"] = 1;
        return new Figure(title, data, layout);
    }

    /// <summary>
    /// Loss curves straight from training runs: the loss per epoch, or per iteration (update step) when
    /// <paramref name="perIteration"/> is true. A diverged run is marked where its loss stopped being finite.
    /// </summary>
    public static Figure Training(IEnumerable<TrainingHistory> runs, bool perIteration = false, string? title = null, bool logY = false)
    {
        ArgumentNullException.ThrowIfNull(runs);
        NotEmpty(runs.ToList(), nameof(runs));
        var series = runs.Select(h =>
        {
            IReadOnlyList<double> values = perIteration ? h.IterationLoss
                : h.Diverged ? [.. h.EpochLoss, h.DivergedLoss!.Value]
                : h.EpochLoss;
            return (h.Name, values);
        }).ToArray();
        return LossCurvesOf(series, title ?? (perIteration ? "Loss per iteration" : "Loss per epoch"),
            perIteration ? "iteration" : "epoch", "loss", logY);
    }

    // ---- shared pieces ----

    private static JsonObject Layout(string title, string xTitle, string yTitle, bool showLegend, bool logX = false, bool logY = false)
    {
        ArgumentNullException.ThrowIfNull(title);
        return new JsonObject
        {
            ["title"] = new JsonObject { ["text"] = title, ["x"] = 0.5, ["xanchor"] = "center", ["font"] = new JsonObject { ["size"] = 18 } },
            ["font"] = new JsonObject { ["size"] = 14, ["family"] = "Arial, Helvetica, sans-serif", ["color"] = "#222" },
            ["xaxis"] = Axis(xTitle, logX),
            ["yaxis"] = Axis(yTitle, logY),
            ["showlegend"] = showLegend,
            ["legend"] = new JsonObject { ["bgcolor"] = "rgba(255,255,255,0.8)", ["bordercolor"] = "#ccc", ["borderwidth"] = 1 },
            ["plot_bgcolor"] = "#ffffff",
            ["paper_bgcolor"] = "#ffffff",
            ["hovermode"] = "closest",
            ["margin"] = new JsonObject { ["l"] = 80, ["r"] = 30, ["t"] = 60, ["b"] = 70 },
            ["height"] = 500,
        };
    }

    private static JsonObject Axis(string axisTitle, bool log)
    {
        var axis = new JsonObject
        {
            ["title"] = new JsonObject { ["text"] = axisTitle },
            ["showline"] = true, ["linecolor"] = "#444", ["mirror"] = true,
            ["showgrid"] = true, ["gridcolor"] = "#e6e6e6", ["zeroline"] = false,
            ["ticks"] = "outside",
        };
        if (log)
        {
            axis["type"] = "log";
            axis["exponentformat"] = "power";
            // "10⁻²" labels are wide: let the margin grow so the axis title does not overlap them.
            axis["automargin"] = true;
        }
        return axis;
    }

    private static IEnumerable<JsonObject> ClassTraces(IEnumerable<double> xs, IEnumerable<double> ys, IEnumerable<int> labelSequence, IEnumerable<string> names)
    {
        var x = Listed(xs, "x");
        var y = Listed(ys, "y");
        var labels = Listed(labelSequence, "labels");
        var classNames = Listed(names, "classNames");
        NotEmpty(classNames, nameof(classNames));
        if (x.Count != y.Count || x.Count != labels.Count)
            throw new ArgumentException($"x has {x.Count} values, y has {y.Count} and labels has {labels.Count}; they must be the same length.");
        for (int i = 0; i < labels.Count; i++)
            if (labels[i] < 0 || labels[i] >= classNames.Count)
                throw new ArgumentException($"labels[{i}] = {labels[i]} is not a class index 0…{classNames.Count - 1} ({string.Join(", ", classNames)}).", nameof(labels));
        for (int k = 0; k < classNames.Count; k++)
        {
            int[] members = Enumerable.Range(0, labels.Count).Where(i => labels[i] == k).ToArray();
            yield return new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "markers", ["name"] = $"{classNames[k]} ({members.Length})",
                ["x"] = Numbers(members.Select(i => x[i])), ["y"] = Numbers(members.Select(i => y[i])),
                ["marker"] = new JsonObject
                {
                    ["color"] = Palette[k % Palette.Count], ["size"] = 9, ["opacity"] = 0.85,
                    ["symbol"] = k % 2 == 0 ? "circle" : "diamond",
                    ["line"] = new JsonObject { ["color"] = "white", ["width"] = 1 },
                },
            };
        }
    }

    private static (double[] xs, double[] ys, JsonArray z) Grid(
        Func<double, double, double> f, (double Min, double Max) xRange, (double Min, double Max) yRange, int gridSize, string name, bool allowNonFinite)
    {
        CheckRange(xRange, "xRange");
        CheckRange(yRange, "yRange");
        if (gridSize < 2) throw new ArgumentOutOfRangeException(nameof(gridSize), gridSize, $"gridSize must be at least 2, but was {gridSize}.");
        double[] xs = Linspace(xRange.Min, xRange.Max, gridSize), ys = Linspace(yRange.Min, yRange.Max, gridSize);
        var z = new JsonArray();
        foreach (double b in ys) // z[row][column] = f(x = xs[column], y = ys[row]), as plotly expects
        {
            var row = new JsonArray();
            foreach (double a in xs)
            {
                Interruption.ThrowIfRequested();
                double v = f(a, b);
                if (!double.IsFinite(v) && !allowNonFinite)
                    throw new ArgumentException($"{name}({Check.Format(a)}, {Check.Format(b)}) returned {Check.Format(v)}; it must be a finite number everywhere in the range.", name);
                row.Add(Number(v));
            }
            z.Add(row);
        }
        return (xs, ys, z);
    }

    private static double[] Linspace(double min, double max, int count) =>
        Enumerable.Range(0, count).Select(i => i == count - 1 ? max : min + (max - min) * i / (count - 1)).ToArray();

    private static void CheckRange((double Min, double Max) range, string name)
    {
        if (!double.IsFinite(range.Min) || !double.IsFinite(range.Max) || !(range.Min < range.Max))
            throw new ArgumentException($"{name} must be finite with Min < Max, but was ({Check.Format(range.Min)}, {Check.Format(range.Max)}).", name);
    }

    private static void NotEmpty<T>(IReadOnlyList<T> list, string name)
    {
        ArgumentNullException.ThrowIfNull(list, name);
        if (list.Count == 0) throw new ArgumentException($"{name} is empty; give at least one.", name);
    }

    // The values of a sequence as a list, read once (a learner may pass a List, an array, a Select, a matrix row ...).
    private static IReadOnlyList<T> Listed<T>(IEnumerable<T> values, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        return values as IReadOnlyList<T> ?? values.ToArray();
    }

    private static int FirstNonFinite(IReadOnlyList<double> values)
    {
        for (int i = 0; i < values.Count; i++)
            if (!double.IsFinite(values[i])) return i;
        return -1;
    }

    // A number for plotly; NaN and ±∞ become null, which plotly draws as a gap.
    private static JsonNode? Number(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    private static JsonArray Numbers(IEnumerable<double> values) => new(values.Select(Number).ToArray());

    // A lighter version of a class colour for the background of a decision-boundary map.
    private static string Tint(string hex)
    {
        int r = Convert.ToInt32(hex[1..3], 16), g = Convert.ToInt32(hex[3..5], 16), b = Convert.ToInt32(hex[5..7], 16);
        static int Mix(int c) => (int)Math.Round(c + (255 - c) * 0.35);
        return string.Create(CultureInfo.InvariantCulture, $"rgb({Mix(r)},{Mix(g)},{Mix(b)})");
    }
}
