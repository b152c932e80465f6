using System.Globalization;
using Plotly.NET;
using Plotly.NET.LayoutObjects;
using Plotly.NET.TraceObjects;
using Plotly.NET.CSharp;
using Chart = Plotly.NET.CSharp.Chart;

// Lessons 0–12: loss curves (this file); the other figures are in Plot*.cs beside it.
namespace FromScratch;

/// <summary>
/// The figures of the lessons. Every helper takes plain data (lists, arrays or any sequence of numbers, functions,
/// matrices), gives the figure a title and axis titles, adds a legend when there is more than one series, and
/// returns a <see cref="Figure"/>: a Plotly.NET chart a notebook displays and a learner can restyle.
/// Each trace is made by Plotly.NET.CSharp's <c>Chart.Line</c>, <c>Chart.Scatter</c>, <c>Chart.Heatmap</c>,
/// <c>Chart.Contour</c> … and the traces of a figure are joined with <c>Chart.Combine</c>; the few plotly attributes
/// those functions take no parameter for are set by their plotly.js names (<c>PlotlyObjects.Set</c>).
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
        var charts = new List<GenericChart>();
        for (int r = 0; r < runs.Count; r++)
        {
            var (name, values) = runs[r];
            var color = Color.fromString(Palette[r % Palette.Count]);
            int firstBad = FirstNonFinite(values);
            int n = firstBad < 0 ? values.Count : firstBad;
            string legend = firstBad < 0 ? name : $"{name} (diverged at {xTitle} {firstBad + 1}: {Check.Format(values[firstBad])})";
            var curve = Chart.Line<double, double, string>(
                x: Enumerable.Range(1, n).Select(i => (double)i).ToArray(), y: values.Take(n).ToArray(), ShowMarkers: n <= 40, Name: legend,
                LineColor: color, LineWidth: 2, MarkerColor: color, UseDefaults: false);
            curve.WithTraceInfo(LegendGroup: $"run{r}");
            MarkerOf(curve).Set("size", 6);
            charts.Add(curve);
            if (firstBad > 0)
            {
                // ✕ at the last finite value, labelled with what came next.
                var mark = Chart.Scatter<double, double, string>(
                    x: [firstBad], y: [values[firstBad - 1]], mode: StyleParam.Mode.Markers_Text, Name: $"{name}: diverged",
                    MultiText: new[] { $"loss → {Check.Format(values[firstBad])}" }, TextPosition: StyleParam.TextPosition.TopCenter,
                    MarkerColor: color, UseDefaults: false);
                mark.WithTraceInfo(LegendGroup: $"run{r}", ShowLegend: false);
                MarkerOf(mark).Set("size", 14).Set("symbol", "x"); // plotly's name (Plotly.NET writes symbols as numbers)
                mark.SetOnTraces("cliponaxis", false).SetOnTraces("textfont", new Font().Set("color", color));
                charts.Add(mark);
            }
        }
        var chart = CourseLook(Chart.Combine(charts), title, xTitle, yTitle, showLegend: charts.Count > 1, logY: logY);
        // Epochs and iterations are whole numbers: with only a few of them, tick every one (no "1.5").
        if (runs.Max(run => run.Values.Count) <= 20) Axis(chart, "xaxis").Set("dtick", 1);
        return new Figure(chart, title);
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

    /// <summary>
    /// The course's look on a chart of traces: a centred title, Arial 14 in dark grey, framed axes with light grid
    /// lines and ticks outside, a legend on a white box, white background, 500 px high. No Plotly.NET template.
    /// </summary>
    private static GenericChart CourseLook(
        GenericChart chart, string title, string xTitle, string yTitle, bool showLegend, bool logX = false, bool logY = false)
    {
        ArgumentNullException.ThrowIfNull(title);
        chart = Plotly.NET.Chart.withTitle(title, new Font().Set("size", 18)).Invoke(chart);
        chart = CourseAxes(chart, xTitle, yTitle, logX, logY);
        chart = chart.WithLegendStyle(
            BGColor: Color.fromString("rgba(255,255,255,0.8)"), BorderColor: Color.fromString("#ccc"), BorderWidth: 1);
        var layout = GenericChart.getLayout(chart);
        layout.Part<Title>("title").Set("x", 0.5).Set("xanchor", StyleParam.XAnchorPosition.Center);
        layout.Set("font", new Font()
                .Set("size", 14).Set("family", "Arial, Helvetica, sans-serif").Set("color", Color.fromString("#222")))
            .Set("showlegend", showLegend)
            .Set("plot_bgcolor", Color.fromString("#ffffff"))
            .Set("paper_bgcolor", Color.fromString("#ffffff"))
            .Set("hovermode", StyleParam.HoverMode.Closest)
            .Set("margin", new Margin().Set("l", 80).Set("r", 30).Set("t", 60).Set("b", 70))
            .Set("height", 500);
        return chart;
    }

    private static GenericChart CourseAxes(GenericChart chart, string xTitle, string yTitle, bool logX, bool logY)
    {
        var line = Color.fromString("#444");
        var grid = Color.fromString("#e6e6e6");
        Optional<StyleParam.AxisType> Type(bool log) => log ? StyleParam.AxisType.Log : default(Optional<StyleParam.AxisType>);
        chart = chart
            .WithXAxisStyle<double, double, double>(TitleText: xTitle, AxisType: Type(logX),
                ShowLine: true, LineColor: line, Mirror: StyleParam.Mirror.True, ShowGrid: true, GridColor: grid, ZeroLine: false)
            .WithYAxisStyle<double, double, double>(TitleText: yTitle, AxisType: Type(logY),
                ShowLine: true, LineColor: line, Mirror: StyleParam.Mirror.True, ShowGrid: true, GridColor: grid, ZeroLine: false);
        foreach (var (id, log) in new[] { ("xaxis", logX), ("yaxis", logY) })
        {
            var axis = Axis(chart, id).Set("ticks", StyleParam.TickOptions.Outside);
            // "10⁻²" labels are wide: let the margin grow so the axis title does not overlap them.
            if (log) axis.Set("exponentformat", StyleParam.ExponentFormat.Power).Set("automargin", true);
        }
        return chart;
    }

    // The chart's x or y axis ("xaxis", "yaxis"), a Plotly.NET LinearAxis, made if missing.
    private static LinearAxis Axis(GenericChart chart, string id) => GenericChart.getLayout(chart).Part<LinearAxis>(id);

    // The marker of a one-trace chart, to set what Plotly.NET.CSharp has no parameter for (its size).
    private static Marker MarkerOf(GenericChart chart) => GenericChart.getTraces(chart).Single().Part<Marker>("marker");

    // Lessons 0, 2, 4, 12: one marker trace per class, in the class's colour (circles and diamonds alternate).
    private static IEnumerable<GenericChart> ClassTraces(IEnumerable<double> xs, IEnumerable<double> ys, IEnumerable<int> labelSequence, IEnumerable<string> names)
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
        var traces = new List<GenericChart>();
        for (int k = 0; k < classNames.Count; k++)
        {
            int[] members = Enumerable.Range(0, labels.Count).Where(i => labels[i] == k).ToArray();
            var points = Chart.Scatter<double, double, string>(
                x: members.Select(i => x[i]).ToArray(), y: members.Select(i => y[i]).ToArray(), mode: StyleParam.Mode.Markers,
                Name: $"{classNames[k]} ({members.Length})", MarkerColor: Color.fromString(Palette[k % Palette.Count]),
                UseDefaults: false);
            MarkerOf(points).Set("symbol", k % 2 == 0 ? "circle" : "diamond").Set("size", 9).Set("opacity", 0.85)
                .Set("line", new Line().Set("color", Color.fromString("white")).Set("width", 1));
            traces.Add(points);
        }
        return traces;
    }

    // f on a gridSize × gridSize grid: z[row][column] = f(x = xs[column], y = ys[row]), as plotly expects.
    private static (double[] xs, double[] ys, double[][] z) Grid(
        Func<double, double, double> f, (double Min, double Max) xRange, (double Min, double Max) yRange, int gridSize, string name, bool allowNonFinite)
    {
        CheckRange(xRange, "xRange");
        CheckRange(yRange, "yRange");
        if (gridSize < 2) throw new ArgumentOutOfRangeException(nameof(gridSize), gridSize, $"gridSize must be at least 2, but was {gridSize}.");
        double[] xs = Linspace(xRange.Min, xRange.Max, gridSize), ys = Linspace(yRange.Min, yRange.Max, gridSize);
        var z = ys.Select(b => xs.Select(a =>
        {
            Interruption.ThrowIfRequested();
            double v = f(a, b);
            if (!double.IsFinite(v) && !allowNonFinite)
                throw new ArgumentException($"{name}({Check.Format(a)}, {Check.Format(b)}) returned {Check.Format(v)}; it must be a finite number everywhere in the range.", name);
            return v;
        }).ToArray()).ToArray();
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

    // A lighter version of a class colour for the background of a decision-boundary map.
    private static string Tint(string hex)
    {
        int r = Convert.ToInt32(hex[1..3], 16), g = Convert.ToInt32(hex[3..5], 16), b = Convert.ToInt32(hex[5..7], 16);
        static int Mix(int c) => (int)Math.Round(c + (255 - c) * 0.35);
        return string.Create(CultureInfo.InvariantCulture, $"rgb({Mix(r)},{Mix(g)},{Mix(b)})");
    }
}
