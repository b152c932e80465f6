using System.Globalization;
using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;

namespace FromScratch;

/// <summary>
/// The figures of the lessons. Every helper takes plain data (lists of numbers, functions, matrices),
/// gives the figure a title and axis titles, adds a legend when there is more than one series, and
/// returns a <see cref="Figure"/> that a notebook displays.
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
    public static Figure LossCurves(
        IReadOnlyList<(string Name, IReadOnlyList<double> Values)> runs,
        string title = "Loss", string xTitle = "epoch", string yTitle = "loss", bool logY = false)
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
    public static Figure Training(IReadOnlyList<TrainingHistory> runs, bool perIteration = false, string? title = null, bool logY = false)
    {
        NotEmpty(runs, nameof(runs));
        var series = runs.Select(h =>
        {
            IReadOnlyList<double> values = perIteration ? h.IterationLoss
                : h.Diverged ? [.. h.EpochLoss, h.DivergedLoss!.Value]
                : h.EpochLoss;
            return (h.Name, values);
        }).ToArray();
        return LossCurves(series, title ?? (perIteration ? "Loss per iteration" : "Loss per epoch"),
            xTitle: perIteration ? "iteration" : "epoch", logY: logY);
    }

    /// <summary>
    /// Points coloured by class, e.g. weight against height coloured F/M.
    /// <paramref name="labels"/> holds class indices; <c>classNames[k]</c> names class k.
    /// </summary>
    public static Figure ScatterByClass(
        IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<int> labels, IReadOnlyList<string> classNames,
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
        IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<int> labels, IReadOnlyList<string> classNames,
        string title = "Decision boundary", string xTitle = "x₁", string yTitle = "x₂", int gridSize = 100, double boundary = 0.5)
    {
        ArgumentNullException.ThrowIfNull(predict);
        var (xs, ys, z) = Grid(predict, xRange, yRange, gridSize, nameof(predict), allowNonFinite: false);
        string low = classNames.Count > 0 ? Palette[0] : "#1f77b4", high = classNames.Count > 1 ? Palette[1] : "#d62728";
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
        foreach (var trace in ClassTraces(x, y, labels, classNames)) data.Add(trace);
        var layout = Layout(title, xTitle, yTitle, showLegend: true);
        layout["xaxis"]!["range"] = new JsonArray(xRange.Min, xRange.Max);
        layout["yaxis"]!["range"] = new JsonArray(yRange.Min, yRange.Max);
        return new Figure(title, data, layout);
    }

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
    public static Figure ErrorSurface(
        Func<double, double, double> loss, (double Min, double Max) xRange, (double Min, double Max) yRange,
        IReadOnlyList<(string Name, IReadOnlyList<(double X, double Y)> Points)>? paths = null,
        string title = "Error surface", string xTitle = "w₁", string yTitle = "w₂", int gridSize = 80, bool logScale = false,
        IReadOnlyList<(string Name, double X, double Y)>? marks = null)
    {
        ArgumentNullException.ThrowIfNull(loss);
        Func<double, double, double> shown = logScale ? (a, b) => Math.Log10(loss(a, b)) : loss;
        var (xs, ys, z) = Grid(shown, xRange, yRange, gridSize, nameof(loss), allowNonFinite: true);
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
        paths ??= [];
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

    /// <summary>
    /// One or several named series over the same x values. Non-finite values leave gaps.
    /// </summary>
    public static Figure Lines(
        IReadOnlyList<double> x, IReadOnlyList<(string Name, IReadOnlyList<double> Y)> series,
        string title, string xTitle, string yTitle, bool logX = false, bool logY = false, bool markers = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        NotEmpty(series, nameof(series));
        var data = new JsonArray();
        for (int s = 0; s < series.Count; s++)
        {
            var (name, y) = series[s];
            if (y.Count != x.Count)
                throw new ArgumentException($"Series '{name}' has {y.Count} values but there are {x.Count} x values.", nameof(series));
            data.Add(new JsonObject
            {
                ["type"] = "scatter", ["mode"] = markers ? "lines+markers" : "lines", ["name"] = name,
                ["x"] = Numbers(x), ["y"] = Numbers(y),
                ["line"] = new JsonObject { ["color"] = Palette[s % Palette.Count], ["width"] = 2 },
                ["marker"] = new JsonObject { ["color"] = Palette[s % Palette.Count], ["size"] = 7 },
            });
        }
        return new Figure(title, data, Layout(title, xTitle, yTitle, showLegend: series.Count > 1, logX: logX, logY: logY));
    }

    /// <summary>
    /// A result against a hyper-parameter on a log x axis, e.g. final loss against learning rate η for
    /// η = 0.0001 … 1. Runs whose result is NaN or ±∞ (they diverged) are shown as red ✕ at the top of the plot.
    /// </summary>
    public static Figure Sweep(
        IReadOnlyList<double> x, IReadOnlyList<double> y,
        string title = "Final loss against learning rate", string xTitle = "learning rate η", string yTitle = "final loss",
        bool logX = true, bool logY = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count)
            throw new ArgumentException($"There are {x.Count} x values but {y.Count} y values; they must pair up.", nameof(y));
        if (x.Count == 0) throw new ArgumentException("Sweep needs at least one point.", nameof(x));
        int notPositive = Enumerable.Range(0, x.Count).FirstOrDefault(i => !(x[i] > 0), -1);
        if (logX && notPositive >= 0)
            throw new ArgumentException($"A log x axis needs x > 0, but x[{notPositive}] = {Check.Format(x[notPositive])}.", nameof(x));
        var finite = Enumerable.Range(0, x.Count).Where(i => double.IsFinite(y[i])).ToArray();
        var diverged = Enumerable.Range(0, x.Count).Where(i => !double.IsFinite(y[i])).ToArray();
        var data = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "lines+markers", ["name"] = yTitle,
                ["x"] = Numbers(finite.Select(i => x[i])), ["y"] = Numbers(finite.Select(i => y[i])),
                ["line"] = new JsonObject { ["color"] = Palette[0], ["width"] = 2 },
                ["marker"] = new JsonObject { ["color"] = Palette[0], ["size"] = 9 },
            },
        };
        if (diverged.Length > 0)
        {
            double top = finite.Length > 0 ? finite.Max(i => y[i]) : 1;
            data.Add(new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "markers+text", ["name"] = "diverged (NaN or ∞)",
                ["x"] = Numbers(diverged.Select(i => x[i])), ["y"] = Numbers(diverged.Select(_ => top)),
                ["text"] = new JsonArray(diverged.Select(i => (JsonNode)JsonValue.Create(Check.Format(y[i]))!).ToArray()),
                ["textposition"] = "bottom center",
                ["marker"] = new JsonObject { ["color"] = Palette[1], ["size"] = 14, ["symbol"] = "x" },
            });
        }
        return new Figure(title, data, Layout(title, xTitle, yTitle, showLegend: diverged.Length > 0, logX: logX, logY: logY));
    }

    /// <summary>
    /// A matrix as a grid of coloured cells with the values written in them, e.g. a confusion matrix
    /// (rows = actual class, columns = predicted class). Row 0 is at the top.
    /// </summary>
    public static Figure Heatmap(
        Matrix<double> values, IReadOnlyList<string> columnLabels, IReadOnlyList<string> rowLabels,
        string title = "Confusion matrix", string xTitle = "predicted class", string yTitle = "actual class", bool showValues = true)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (columnLabels.Count != values.ColumnCount || rowLabels.Count != values.RowCount)
            throw new ArgumentException(
                $"The matrix is {Guard.Shape(values)} but there are {rowLabels.Count} row labels and {columnLabels.Count} column labels.");
        var z = new JsonArray();
        for (int r = 0; r < values.RowCount; r++)
            z.Add(Numbers(Enumerable.Range(0, values.ColumnCount).Select(c => values[r, c])));
        var trace = new JsonObject
        {
            ["type"] = "heatmap", ["name"] = title, ["z"] = z,
            ["x"] = new JsonArray(columnLabels.Select(l => (JsonNode)JsonValue.Create(l)!).ToArray()),
            ["y"] = new JsonArray(rowLabels.Select(l => (JsonNode)JsonValue.Create(l)!).ToArray()),
            ["colorscale"] = new JsonArray(new JsonArray(0, "#f7fbff"), new JsonArray(0.5, "#6baed6"), new JsonArray(1, "#08306b")), ["xgap"] = 1, ["ygap"] = 1,
            ["hovertemplate"] = $"{yTitle}: %{{y}}<br>{xTitle}: %{{x}}<br>value: %{{z}}<extra></extra>",
        };
        if (showValues)
        {
            trace["texttemplate"] = "%{z:.4~g}";
            trace["textfont"] = new JsonObject { ["size"] = 13 };
        }
        var layout = Layout(title, xTitle, yTitle, showLegend: false);
        layout["xaxis"]!["type"] = "category";
        layout["xaxis"]!["showgrid"] = false;
        layout["yaxis"]!["type"] = "category";
        layout["yaxis"]!["showgrid"] = false;
        layout["yaxis"]!["autorange"] = "reversed";
        return new Figure(title, new JsonArray(trace), layout);
    }

    /// <summary>A bar chart: one bar per category.</summary>
    public static Figure Bar(IReadOnlyList<string> categories, IReadOnlyList<double> values, string title, string xTitle, string yTitle)
    {
        if (categories.Count != values.Count)
            throw new ArgumentException($"There are {categories.Count} categories but {values.Count} values; they must pair up.", nameof(values));
        var data = new JsonArray(new JsonObject
        {
            ["type"] = "bar", ["name"] = yTitle,
            ["x"] = new JsonArray(categories.Select(c => (JsonNode)JsonValue.Create(c)!).ToArray()),
            ["y"] = Numbers(values),
            ["marker"] = new JsonObject { ["color"] = Palette[0] },
        });
        var layout = Layout(title, xTitle, yTitle, showLegend: false);
        layout["xaxis"]!["type"] = "category";
        return new Figure(title, data, layout);
    }

    /// <summary>
    /// Small grey-scale images in a grid with a caption above each, e.g. misclassified digits with
    /// "true 3, predicted 8". Each image is rows × columns of intensities from 0 (white) to <paramref name="maxValue"/> (black).
    /// </summary>
    public static Figure ImageGrid(
        IReadOnlyList<double[,]> images, IReadOnlyList<string>? captions = null, int columns = 8,
        string title = "Images", double maxValue = 16)
    {
        NotEmpty(images, nameof(images));
        Guard.AtLeastOne(columns, nameof(columns));
        Guard.Positive(maxValue, nameof(maxValue));
        if (captions is not null && captions.Count != images.Count)
            throw new ArgumentException($"There are {images.Count} images but {captions.Count} captions.", nameof(captions));
        int h = images[0].GetLength(0), w = images[0].GetLength(1);
        for (int k = 0; k < images.Count; k++)
            if (images[k].GetLength(0) != h || images[k].GetLength(1) != w)
                throw new ArgumentException($"Image {k} is {images[k].GetLength(0)}×{images[k].GetLength(1)} but image 0 is {h}×{w}; all images must have the same size.", nameof(images));

        columns = Math.Min(columns, images.Count);
        int rows = (images.Count + columns - 1) / columns;
        const int gapX = 1, gapY = 3; // empty pixels between tiles; the vertical gap holds the caption
        int width = columns * (w + gapX) - gapX, height = rows * (h + gapY);
        var z = new double?[height, width];
        var annotations = new JsonArray();
        for (int k = 0; k < images.Count; k++)
        {
            int top = (k / columns) * (h + gapY) + gapY, left = (k % columns) * (w + gapX);
            for (int r = 0; r < h; r++)
                for (int c = 0; c < w; c++)
                    z[top + r, left + c] = double.IsFinite(images[k][r, c]) ? images[k][r, c] : null;
            if (captions is not null)
                annotations.Add(new JsonObject
                {
                    ["x"] = left + (w - 1) / 2.0, ["y"] = top - 0.6, ["text"] = captions[k], ["showarrow"] = false,
                    ["yanchor"] = "bottom", ["font"] = new JsonObject { ["size"] = 12 },
                });
        }
        var zJson = new JsonArray();
        for (int r = 0; r < height; r++)
        {
            var row = new JsonArray();
            for (int c = 0; c < width; c++) row.Add(z[r, c] is double v ? JsonValue.Create(v) : null);
            zJson.Add(row);
        }
        var data = new JsonArray(new JsonObject
        {
            ["type"] = "heatmap", ["name"] = title, ["z"] = zJson, ["zmin"] = 0, ["zmax"] = maxValue,
            ["colorscale"] = new JsonArray(new JsonArray(0, "#ffffff"), new JsonArray(1, "#000000")),
            ["showscale"] = false, ["hoverongaps"] = false,
            ["hovertemplate"] = "value %{z}<extra></extra>",
        });
        var hidden = new JsonObject
        {
            ["visible"] = false, ["showgrid"] = false, ["zeroline"] = false,
        };
        var layout = new JsonObject
        {
            ["title"] = new JsonObject { ["text"] = title, ["font"] = new JsonObject { ["size"] = 18 } },
            ["font"] = new JsonObject { ["size"] = 14, ["family"] = "Arial, Helvetica, sans-serif" },
            ["xaxis"] = hidden.DeepClone(),
            ["yaxis"] = hidden,
            ["annotations"] = annotations,
            ["plot_bgcolor"] = "#ffffff",
            ["margin"] = new JsonObject { ["l"] = 20, ["r"] = 20, ["t"] = 60, ["b"] = 20 },
            ["height"] = Math.Clamp(80 + rows * 110, 200, 1600),
            ["showlegend"] = false,
        };
        layout["yaxis"]!["autorange"] = "reversed";
        layout["yaxis"]!["scaleanchor"] = "x";
        return new Figure(title, data, layout);
    }

    /// <summary>
    /// A flat list of pixels (e.g. one column of the digits' X, 64 values) as an image of the given width,
    /// read row by row: pixel k goes to row k / width, column k % width.
    /// </summary>
    public static double[,] Image(IEnumerable<double> pixels, int width = 8)
    {
        Guard.AtLeastOne(width, nameof(width));
        double[] p = pixels.ToArray();
        if (p.Length == 0 || p.Length % width != 0)
            throw new ArgumentException($"{p.Length} pixels do not fill rows of width {width}.", nameof(pixels));
        var image = new double[p.Length / width, width];
        for (int k = 0; k < p.Length; k++) image[k / width, k % width] = p[k];
        return image;
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

    private static IEnumerable<JsonObject> ClassTraces(IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<int> labels, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(labels);
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
