using Plotly.NET;
using Chart = Plotly.NET.CSharp.Chart;

// Lesson 9: data points and the curves models fitted to them.
namespace FromScratch;

public static partial class Plot
{
    /// <summary>
    /// Data points and model curves in one figure, e.g. daily temperatures (training and validation days
    /// as two point series) with the curves fitted by models of 1, 3, 10 and 30 pieces. Each series has
    /// its own x values. Points are drawn as markers (in the colours after the curves'), curves as lines
    /// on top; non-finite values leave gaps.
    /// </summary>
    /// <param name="points">Point series as (name, x, y), e.g. <c>[("training days", xs, ys)]</c>; may be empty.</param>
    /// <param name="curves">Curve series as (name, x, y), x in increasing order; may be empty (not both).</param>
    /// <param name="title">The figure title.</param>
    /// <param name="xTitle">The x axis title, with units.</param>
    /// <param name="yTitle">The y axis title, with units.</param>
    public static Figure PointsAndCurves<TPoints, TCurves>(
        IEnumerable<(string Name, TPoints X, TPoints Y)> points,
        IEnumerable<(string Name, TCurves X, TCurves Y)> curves,
        string title, string xTitle, string yTitle)
        where TPoints : IEnumerable<double>
        where TCurves : IEnumerable<double>
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(curves);
        var pointList = points.Select(p => (p.Name, X: Listed(p.X, p.Name), Y: Listed(p.Y, p.Name))).ToList();
        var curveList = curves.Select(c => (c.Name, X: Listed(c.X, c.Name), Y: Listed(c.Y, c.Name))).ToList();
        if (pointList.Count + curveList.Count == 0)
            throw new ArgumentException("PointsAndCurves needs at least one point series or curve; both lists are empty.");
        var charts = new List<GenericChart>();
        for (int p = 0; p < pointList.Count; p++)
        {
            var (name, x, y) = pointList[p];
            SameLength(name, x, y);
            var markers = Chart.Scatter<double, double, string>(
                x: x, y: y, mode: StyleParam.Mode.Markers, Name: name,
                MarkerColor: Color.fromString(Palette[(curveList.Count + p) % Palette.Count]),
                UseDefaults: false);
            MarkerOf(markers).Set("symbol", p % 2 == 0 ? "circle" : "diamond").Set("size", 6).Set("opacity", 0.6);
            charts.Add(markers);
        }
        for (int c = 0; c < curveList.Count; c++)
        {
            var (name, x, y) = curveList[c];
            SameLength(name, x, y);
            charts.Add(Chart.Line<double, double, string>(
                x: x, y: y, Name: name, LineColor: Color.fromString(Palette[c % Palette.Count]), LineWidth: 2.5, UseDefaults: false));
        }
        return new Figure(CourseLook(Chart.Combine(charts), title, xTitle, yTitle, showLegend: charts.Count > 1), title);
    }

    /// <summary>Point series and curves written in place, e.g. <c>Plot.PointsAndCurves([("data", [1.0, 2], [3.0, 4])], [], …)</c>.</summary>
    public static Figure PointsAndCurves(
        IReadOnlyList<(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)> points,
        IReadOnlyList<(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)> curves,
        string title, string xTitle, string yTitle) =>
        PointsAndCurves<IReadOnlyList<double>, IReadOnlyList<double>>(points, curves, title, xTitle, yTitle);

    private static void SameLength(string name, IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x, $"{name}.X");
        ArgumentNullException.ThrowIfNull(y, $"{name}.Y");
        if (x.Count != y.Count)
            throw new ArgumentException($"Series '{name}' has {x.Count} x values but {y.Count} y values; they must be the same length.");
    }
}
