using System.Text.Json.Nodes;

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
        var data = new JsonArray();
        for (int p = 0; p < pointList.Count; p++)
        {
            var (name, x, y) = pointList[p];
            SameLength(name, x, y);
            string color = Palette[(curveList.Count + p) % Palette.Count];
            data.Add(new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "markers", ["name"] = name,
                ["x"] = Numbers(x), ["y"] = Numbers(y),
                ["marker"] = new JsonObject
                {
                    ["color"] = color, ["size"] = 6, ["opacity"] = 0.6,
                    ["symbol"] = p % 2 == 0 ? "circle" : "diamond",
                },
            });
        }
        for (int c = 0; c < curveList.Count; c++)
        {
            var (name, x, y) = curveList[c];
            SameLength(name, x, y);
            data.Add(new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "lines", ["name"] = name,
                ["x"] = Numbers(x), ["y"] = Numbers(y),
                ["line"] = new JsonObject { ["color"] = Palette[c % Palette.Count], ["width"] = 2.5 },
            });
        }
        return new Figure(title, data, Layout(title, xTitle, yTitle, showLegend: data.Count > 1));
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
