using Plotly.NET;
using Chart = Plotly.NET.CSharp.Chart;

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
        var curves = functions.Select((named, f) => Chart.Line<double, double, string>(
            x: xs, y: xs.Select(named.F).ToArray(), Name: named.Name,
            LineColor: Color.fromString(Palette[f % Palette.Count]), LineWidth: 2.5, UseDefaults: false));
        var chart = CourseLook(Chart.Combine(curves), title, xTitle, yTitle, showLegend: functions.Count > 1);
        return new Figure(chart, title);
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
        var lines = new List<GenericChart>();
        for (int s = 0; s < listed.Count; s++)
        {
            var (name, y) = listed[s];
            if (y.Count != xs.Count)
                throw new ArgumentException($"Series '{name}' has {y.Count} values but there are {xs.Count} x values.", nameof(series));
            var color = Color.fromString(Palette[s % Palette.Count]);
            var line = Chart.Line<double, double, string>(
                x: xs, y: y, ShowMarkers: markers, Name: name, LineColor: color, LineWidth: 2, MarkerColor: color, UseDefaults: false);
            MarkerOf(line).Set("size", 7);
            lines.Add(line);
        }
        var chart = CourseLook(Chart.Combine(lines), title, xTitle, yTitle, showLegend: listed.Count > 1, logX: logX, logY: logY);
        return new Figure(chart, title);
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
        var blue = Color.fromString(Palette[0]);
        var results = Chart.Line<double, double, string>(
            x: finite.Select(i => xs[i]).ToArray(), y: finite.Select(i => ys[i]).ToArray(), ShowMarkers: true, Name: yTitle,
            LineColor: blue, LineWidth: 2, MarkerColor: blue, UseDefaults: false);
        MarkerOf(results).Set("size", 9);
        var charts = new List<GenericChart> { results };
        if (diverged.Length > 0)
        {
            // Diverged runs: a red ✕ at the height of the highest finite result, labelled with the value.
            double top = finite.Length > 0 ? finite.Max(i => ys[i]) : 1;
            var marks = Chart.Scatter<double, double, string>(
                x: diverged.Select(i => xs[i]).ToArray(), y: diverged.Select(_ => top).ToArray(), mode: StyleParam.Mode.Markers_Text,
                Name: "diverged (NaN or ∞)", MultiText: diverged.Select(i => Check.Format(ys[i])).ToArray(),
                TextPosition: StyleParam.TextPosition.BottomCenter,
                MarkerColor: Color.fromString(Palette[1]), UseDefaults: false);
            MarkerOf(marks).Set("size", 14).Set("symbol", "x");
            charts.Add(marks);
        }
        var chart = CourseLook(Chart.Combine(charts), title, xTitle, yTitle, showLegend: diverged.Length > 0, logX: logX, logY: logY);
        return new Figure(chart, title);
    }
}
