using System.Globalization;
using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;

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
        var data = new JsonArray();
        foreach (var trace in ClassTraces(x, y, labels, classNames)) data.Add(trace);
        return new Figure(title, data, Layout(title, xTitle, yTitle, showLegend: data.Count > 1));
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
        var data = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "heatmap", ["name"] = "ŷ", ["x"] = Numbers(xs), ["y"] = Numbers(ys), ["z"] = z,
                ["colorscale"] = new JsonArray(new JsonArray(0, Tint(low)), new JsonArray(0.5, "#f7f7f7"), new JsonArray(1, Tint(high))),
                ["zmin"] = 0, ["zmax"] = 1,
                ["colorbar"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "ŷ" }, ["len"] = 0.6, ["y"] = 0.3, ["yanchor"] = "middle" },
                ["hovertemplate"] = "x₁ = %{x:.3g}<br>x₂ = %{y:.3g}<br>ŷ = %{z:.3f}<extra></extra>",
            },
            new JsonObject
            {
                ["type"] = "contour", ["name"] = $"boundary ŷ = {Check.Format(boundary)}", ["showlegend"] = true, ["showscale"] = false,
                ["x"] = Numbers(xs), ["y"] = Numbers(ys), ["z"] = z.DeepClone(),
                ["contours"] = new JsonObject { ["start"] = boundary, ["end"] = boundary, ["size"] = 1, ["coloring"] = "none" },
                ["line"] = new JsonObject { ["color"] = "black", ["width"] = 2.5 },
                ["hoverinfo"] = "skip",
            },
        };
        foreach (var trace in ClassTraces(x, y, labels, names)) data.Add(trace);
        var layout = Layout(title, xTitle, yTitle, showLegend: true);
        layout["xaxis"]!["range"] = new JsonArray(xRange.Min, xRange.Max);
        layout["yaxis"]!["range"] = new JsonArray(yRange.Min, yRange.Max);
        return new Figure(title, data, layout);
    }
}
