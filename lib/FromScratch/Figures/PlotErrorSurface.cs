using System.Globalization;
using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;

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
        var z = new JsonArray(grid.Select(row => (JsonNode)Numbers(row)).ToArray());
        var data = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "contour", ["name"] = logScale ? "log₁₀ E" : "E", ["showlegend"] = false,
                ["x"] = Numbers(xs), ["y"] = Numbers(ys), ["z"] = z,
                ["colorscale"] = "Viridis", ["ncontours"] = 25,
                ["contours"] = new JsonObject { ["coloring"] = "heatmap" },
                ["line"] = new JsonObject { ["width"] = 0.5, ["color"] = "rgba(255,255,255,0.5)" },
                ["colorbar"] = new JsonObject { ["title"] = new JsonObject { ["text"] = logScale ? "log₁₀ E" : "E" } },
                ["hovertemplate"] = $"{xTitle} = %{{x:.3g}}<br>{yTitle} = %{{y:.3g}}<br>{(logScale ? "log₁₀ E" : "E")} = %{{z:.4g}}<extra></extra>",
            },
        };
        for (int p = 0; p < paths.Count; p++)
        {
            var (name, points) = paths[p];
            int firstBad = -1;
            for (int i = 0; i < points.Count && firstBad < 0; i++)
                if (!double.IsFinite(points[i].X) || !double.IsFinite(points[i].Y)) firstBad = i;
            int n = firstBad < 0 ? points.Count : firstBad;
            var symbols = new JsonArray();
            var sizes = new JsonArray();
            for (int i = 0; i < n; i++)
            {
                bool start = i == 0, end = i == n - 1 && n > 1;
                symbols.Add(start ? "square" : end ? (firstBad < 0 ? "star" : "x") : "circle");
                sizes.Add(start ? 12 : end ? 16 : 6);
            }
            string color = PathColors[p % PathColors.Length];
            data.Add(new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "lines+markers",
                ["name"] = firstBad < 0 ? $"{name} ({n} points)" : $"{name} (diverged after step {n})",
                ["x"] = Numbers(points.Take(n).Select(q => q.X)),
                ["y"] = Numbers(points.Take(n).Select(q => q.Y)),
                ["line"] = new JsonObject { ["color"] = color, ["width"] = 2 },
                ["marker"] = new JsonObject
                {
                    ["color"] = color, ["symbol"] = symbols, ["size"] = sizes,
                    ["line"] = new JsonObject { ["color"] = "black", ["width"] = 1 },
                },
                ["hovertemplate"] = $"{name}, step %{{pointNumber}}<br>{xTitle} = %{{x:.4g}}<br>{yTitle} = %{{y:.4g}}<extra></extra>",
            });
        }
        marks ??= [];
        foreach (var (name, x, y) in marks)
        {
            data.Add(new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "markers", ["name"] = name,
                ["x"] = Numbers([x]), ["y"] = Numbers([y]),
                ["marker"] = new JsonObject
                {
                    ["color"] = "white", ["symbol"] = "diamond-open", ["size"] = 18,
                    ["line"] = new JsonObject { ["color"] = "white", ["width"] = 2.5 },
                },
                ["hovertemplate"] = $"{name}<br>{xTitle} = %{{x:.4g}}<br>{yTitle} = %{{y:.4g}}<extra></extra>",
            });
        }
        var layout = Layout(title, xTitle, yTitle, showLegend: paths.Count + marks.Count > 0);
        layout["xaxis"]!["range"] = new JsonArray(xRange.Min, xRange.Max);
        layout["yaxis"]!["range"] = new JsonArray(yRange.Min, yRange.Max);
        layout["legend"] = new JsonObject
        {
            ["orientation"] = "h", ["x"] = 0, ["y"] = -0.2, ["yanchor"] = "top",
            ["bgcolor"] = "#d9d9d9",
        };
        layout["margin"]!["b"] = 120;
        layout["height"] = 560;
        return new Figure(title, data, layout);
    }

    // ---- plotly dictionaries, for the figures of this file and PlotGrids.cs (not yet built with Plotly.NET's
    // Chart functions; Figure turns them into Plotly.NET objects) ----

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

    // A number for plotly; NaN and ±∞ become null, which plotly draws as a gap.
    private static JsonNode? Number(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    private static JsonArray Numbers(IEnumerable<double> values) => new(values.Select(Number).ToArray());
}
