using Plotly.NET;
using Plotly.NET.CSharp;
using Plotly.NET.LayoutObjects;
using Plotly.NET.TraceObjects;
using Chart = Plotly.NET.CSharp.Chart;

// Lessons 1, 5, 8: the loss E(w₁, w₂) as a contour map, with the paths of gradient descent and the optimizers.
namespace FromScratch;

public static partial class Plot
{
    /// <summary>
    /// Contour map of a loss E(w₁, w₂) over two parameters, with optimizer paths drawn on it: each path is a
    /// line through its steps, starting at a square and ending at a star. A path that leaves the range is
    /// clipped at the border; a path with a non-finite point is drawn up to it and marked "diverged".
    /// </summary>
    /// <param name="loss">E(w₁, w₂).</param>
    /// <param name="xRange">The w₁ range.</param>
    /// <param name="yRange">The w₂ range.</param>
    /// <param name="paths">Optional optimizer paths, e.g. <c>[("SGD", sgdSteps), ("Adam", adamSteps)]</c>.</param>
    /// <param name="title">The figure title.</param>
    /// <param name="xTitle">The x axis title (the first parameter's name).</param>
    /// <param name="yTitle">The y axis title (the second parameter's name).</param>
    /// <param name="gridSize">Grid points per axis at which E is evaluated.</param>
    /// <param name="logScale">Colour by log₁₀ E (for surfaces whose values span orders of magnitude).</param>
    /// <param name="marks">Optional single points drawn on top as white diamonds with a legend entry, e.g.
    /// <c>[("lowest grid point", w, b)]</c> to compare where a path ends with a minimum found another way.</param>
    public static Figure ErrorSurface<TPoints>(
        Func<double, double, double> loss, (double Min, double Max) xRange, (double Min, double Max) yRange,
        IEnumerable<(string Name, TPoints Points)> paths,
        string title = "Error surface", string xTitle = "w₁", string yTitle = "w₂", int gridSize = 80, bool logScale = false,
        IEnumerable<(string Name, double X, double Y)>? marks = null)
        where TPoints : IEnumerable<(double X, double Y)>
    {
        ArgumentNullException.ThrowIfNull(paths);
        return ErrorSurfaceOf(loss, xRange, yRange, paths.Select(p => (p.Name, Points: Listed(p.Points, p.Name))).ToList(),
            title, xTitle, yTitle, gridSize, logScale, marks?.ToList());
    }

    /// <summary>The contour map of <paramref name="loss"/> alone, or with single <paramref name="marks"/>: see the overload with paths.</summary>
    public static Figure ErrorSurface(
        Func<double, double, double> loss, (double Min, double Max) xRange, (double Min, double Max) yRange,
        string title = "Error surface", string xTitle = "w₁", string yTitle = "w₂", int gridSize = 80, bool logScale = false,
        IEnumerable<(string Name, double X, double Y)>? marks = null) =>
        ErrorSurfaceOf(loss, xRange, yRange, [], title, xTitle, yTitle, gridSize, logScale, marks?.ToList());

    private static Figure ErrorSurfaceOf(
        Func<double, double, double> loss, (double Min, double Max) xRange, (double Min, double Max) yRange,
        IReadOnlyList<(string Name, IReadOnlyList<(double X, double Y)> Points)> paths,
        string title, string xTitle, string yTitle, int gridSize, bool logScale, IReadOnlyList<(string Name, double X, double Y)>? marks)
    {
        ArgumentNullException.ThrowIfNull(loss);
        Func<double, double, double> shown = logScale ? (a, b) => Math.Log10(loss(a, b)) : loss;
        var (xs, ys, grid) = Grid(shown, xRange, yRange, gridSize, nameof(loss), allowNonFinite: true);
        string zName = logScale ? "log₁₀ E" : "E";
        var surface = Chart.Contour<double, double, double, string>(
            zData: grid, X: xs, Y: ys, Name: zName, ShowLegend: false, ColorScale: StyleParam.Colorscale.Viridis,
            NContours: 25, ContoursColoring: StyleParam.ContourColoring.Heatmap,
            ContourLinesColor: Color.fromString("rgba(255,255,255,0.5)"), UseDefaults: false);
        // Thin contour lines; set by name, as Plotly.NET's ContourLinesWidth writes 0.5 as 0.
        GenericChart.getTraces(surface).Single().Part<Line>("line").Set("width", 0.5);
        surface.SetOnTraces("colorbar", new ColorBar().Set("title", new Title().Set("text", zName)))
            .SetOnTraces("hovertemplate", $"{xTitle} = %{{x:.3g}}<br>{yTitle} = %{{y:.3g}}<br>{zName} = %{{z:.4g}}<extra></extra>");
        var charts = new List<GenericChart> { surface };
        for (int p = 0; p < paths.Count; p++)
        {
            // A path: a square at its start, a star at its end (✕ if it diverged), dots between.
            var (name, points) = paths[p];
            int firstBad = -1;
            for (int i = 0; i < points.Count && firstBad < 0; i++)
                if (!double.IsFinite(points[i].X) || !double.IsFinite(points[i].Y)) firstBad = i;
            int n = firstBad < 0 ? points.Count : firstBad;
            bool IsEnd(int i) => i == n - 1 && n > 1;
            var color = Color.fromString(PathColors[p % PathColors.Length]);
            var path = Chart.Line<double, double, string>(
                x: points.Take(n).Select(q => q.X).ToArray(), y: points.Take(n).Select(q => q.Y).ToArray(), ShowMarkers: true,
                Name: firstBad < 0 ? $"{name} ({n} points)" : $"{name} (diverged after step {n})",
                LineColor: color, LineWidth: 2, MarkerColor: color, UseDefaults: false);
            MarkerOf(path)
                .Set("symbol", Enumerable.Range(0, n).Select(i => i == 0 ? "square" : IsEnd(i) ? (firstBad < 0 ? "star" : "x") : "circle").ToArray())
                .Set("size", Enumerable.Range(0, n).Select(i => i == 0 ? 12 : IsEnd(i) ? 16 : 6).ToArray())
                .Set("line", new Line().Set("color", Color.fromString("black")).Set("width", 1));
            path.SetOnTraces("hovertemplate", $"{name}, step %{{pointNumber}}<br>{xTitle} = %{{x:.4g}}<br>{yTitle} = %{{y:.4g}}<extra></extra>");
            charts.Add(path);
        }
        marks ??= [];
        foreach (var (name, x, y) in marks)
        {
            var mark = Chart.Scatter<double, double, string>(
                x: new[] { x }, y: new[] { y }, mode: StyleParam.Mode.Markers, Name: name, MarkerColor: Color.fromString("white"), UseDefaults: false);
            MarkerOf(mark).Set("symbol", "diamond-open").Set("size", 18)
                .Set("line", new Line().Set("color", Color.fromString("white")).Set("width", 2.5));
            mark.SetOnTraces("hovertemplate", $"{name}<br>{xTitle} = %{{x:.4g}}<br>{yTitle} = %{{y:.4g}}<extra></extra>");
            charts.Add(mark);
        }
        var chart = CourseLook(Chart.Combine(charts), title, xTitle, yTitle, showLegend: paths.Count + marks.Count > 0)
            .WithXAxisStyle<double, double, double>(MinMax: Tuple.Create(xRange.Min, xRange.Max))
            .WithYAxisStyle<double, double, double>(MinMax: Tuple.Create(yRange.Min, yRange.Max));
        // The legend under the plot, on grey (white path colours stay readable), in place of the course's box.
        GenericChart.getLayout(chart)
            .Set("legend", new Legend().Set("orientation", StyleParam.Orientation.Horizontal)
                .Set("x", 0).Set("y", -0.2).Set("yanchor", StyleParam.YAnchorPosition.Top).Set("bgcolor", Color.fromString("#d9d9d9")))
            .Set("height", 560)
            .Part<Margin>("margin").Set("b", 120);
        return new Figure(chart, title);
    }
}
