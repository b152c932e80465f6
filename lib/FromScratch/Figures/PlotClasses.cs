using Plotly.NET;
using Plotly.NET.CSharp;
using Plotly.NET.TraceObjects;
using Chart = Plotly.NET.CSharp.Chart;

// Lessons 0, 2, 4, 12: points coloured by class and what a classifier answers over the input plane.
namespace FromScratch;

public static partial class Plot
{
    /// <summary>
    /// Points coloured by class, e.g. weight against height coloured F/M.
    /// <paramref name="labels"/> holds class indices; <c>classNames[k]</c> names class k.
    /// </summary>
    public static Figure ScatterByClass(
        IEnumerable<double> x, IEnumerable<double> y, IEnumerable<int> labels, IEnumerable<string> classNames,
        string title, string xTitle, string yTitle)
    {
        var traces = ClassTraces(x, y, labels, classNames).ToList();
        return new Figure(CourseLook(Chart.Combine(traces), title, xTitle, yTitle, showLegend: traces.Count > 1), title);
    }

    /// <summary>
    /// What a classifier answers everywhere in a 2-D input range: the prediction ŷ = predict(x₁, x₂) as a
    /// colour map, the decision boundary ŷ = <paramref name="boundary"/> as a black line, and the labelled points on top.
    /// </summary>
    /// <param name="predict">The model's output for an input (x₁, x₂), e.g. a probability of class 1.</param>
    /// <param name="xRange">The x₁ range to colour.</param>
    /// <param name="yRange">The x₂ range to colour.</param>
    /// <param name="x">The x₁ of each data point.</param>
    /// <param name="y">The x₂ of each data point.</param>
    /// <param name="labels">The class index of each data point.</param>
    /// <param name="classNames">The name of each class index.</param>
    /// <param name="title">The figure title.</param>
    /// <param name="xTitle">The x axis title (with unit).</param>
    /// <param name="yTitle">The y axis title (with unit).</param>
    /// <param name="gridSize">Grid points per axis at which predict is evaluated.</param>
    /// <param name="boundary">The output level drawn as the decision boundary.</param>
    public static Figure DecisionBoundary(
        Func<double, double, double> predict, (double Min, double Max) xRange, (double Min, double Max) yRange,
        IEnumerable<double> x, IEnumerable<double> y, IEnumerable<int> labels, IEnumerable<string> classNames,
        string title = "Decision boundary", string xTitle = "x₁", string yTitle = "x₂", int gridSize = 100, double boundary = 0.5)
    {
        ArgumentNullException.ThrowIfNull(predict);
        var (xs, ys, z) = Grid(predict, xRange, yRange, gridSize, nameof(predict), allowNonFinite: false);
        var names = Listed(classNames, nameof(classNames));
        string low = names.Count > 0 ? Palette[0] : "#1f77b4", high = names.Count > 1 ? Palette[1] : "#d62728";
        var map = Chart.Heatmap<double, double, double, string>(
            zData: z, X: xs, Y: ys, Name: "ŷ",
            ColorScale: Scale((0, Tint(low)), (0.5, "#f7f7f7"), (1, Tint(high))),
            UseDefaults: false);
        map.SetOnTraces("zmin", 0).SetOnTraces("zmax", 1)
            .SetOnTraces("colorbar", new ColorBar().Set("title", new Title().Set("text", "ŷ"))
                .Set("len", 0.6).Set("y", 0.3).Set("yanchor", "middle"))
            .SetOnTraces("hovertemplate", "x₁ = %{x:.3g}<br>x₂ = %{y:.3g}<br>ŷ = %{z:.3f}<extra></extra>");
        // The decision boundary: the one contour line at ŷ = boundary.
        var line = Chart.Contour<double, double, double, string>(
            zData: z, X: xs, Y: ys, Name: $"boundary ŷ = {Check.Format(boundary)}", ShowLegend: true, ShowScale: false,
            ContoursColoring: StyleParam.ContourColoring.NoColoring, UseDefaults: false);
        line.SetOnTraces("contours", GenericChart.getTraces(line).Single().Part<Contours>("contours")
                .Set("start", boundary).Set("end", boundary).Set("size", 1))
            .SetOnTraces("line", new Line().Set("color", Color.fromString("black")).Set("width", 2.5))
            .SetOnTraces("hoverinfo", "skip");
        var chart = CourseLook(Chart.Combine([map, line, .. ClassTraces(x, y, labels, names)]), title, xTitle, yTitle, showLegend: true)
            .WithXAxisStyle<double, double, double>(MinMax: Tuple.Create(xRange.Min, xRange.Max))
            .WithYAxisStyle<double, double, double>(MinMax: Tuple.Create(yRange.Min, yRange.Max));
        return new Figure(chart, title);
    }
}
