using System.Globalization;
using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;

// Lessons 11–12: a matrix as coloured cells (the confusion matrix), bars, and small images in a grid.
namespace FromScratch;

public static partial class Plot
{
    /// <summary>
    /// A matrix as a grid of coloured cells with the values written in them, e.g. a confusion matrix
    /// (rows = actual class, columns = predicted class). Row 0 is at the top.
    /// </summary>
    public static Figure Heatmap(
        Matrix<double> values, IEnumerable<string> columnLabels, IEnumerable<string> rowLabels,
        string title = "Confusion matrix", string xTitle = "predicted class", string yTitle = "actual class", bool showValues = true)
    {
        ArgumentNullException.ThrowIfNull(values);
        var columnNames = Listed(columnLabels, nameof(columnLabels));
        var rowNames = Listed(rowLabels, nameof(rowLabels));
        if (columnNames.Count != values.ColumnCount || rowNames.Count != values.RowCount)
            throw new ArgumentException(
                $"The matrix is {Guard.Shape(values)} but there are {rowNames.Count} row labels and {columnNames.Count} column labels.");
        var z = new JsonArray();
        for (int r = 0; r < values.RowCount; r++)
            z.Add(Numbers(Enumerable.Range(0, values.ColumnCount).Select(c => values[r, c])));
        var trace = new JsonObject
        {
            ["type"] = "heatmap", ["name"] = title, ["z"] = z,
            ["x"] = new JsonArray(columnNames.Select(l => (JsonNode)JsonValue.Create(l)!).ToArray()),
            ["y"] = new JsonArray(rowNames.Select(l => (JsonNode)JsonValue.Create(l)!).ToArray()),
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
    public static Figure Bar(IEnumerable<string> categories, IEnumerable<double> values, string title, string xTitle, string yTitle)
    {
        var categoryList = Listed(categories, nameof(categories));
        var valueList = Listed(values, nameof(values));
        if (categoryList.Count != valueList.Count)
            throw new ArgumentException($"There are {categoryList.Count} categoryList but {valueList.Count} valueList; they must pair up.", "valueList");
        var data = new JsonArray(new JsonObject
        {
            ["type"] = "bar", ["name"] = yTitle,
            ["x"] = new JsonArray(categoryList.Select(c => (JsonNode)JsonValue.Create(c)!).ToArray()),
            ["y"] = Numbers(valueList),
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
        IEnumerable<double[,]> images, IEnumerable<string>? captions = null, int columns = 8,
        string title = "Images", double maxValue = 16)
    {
        var tiles = Listed(images, nameof(images));
        var labels = captions is null ? null : Listed(captions, nameof(captions));
        NotEmpty(tiles, nameof(images));
        Guard.AtLeastOne(columns, nameof(columns));
        Guard.Positive(maxValue, nameof(maxValue));
        if (labels is not null && labels.Count != tiles.Count)
            throw new ArgumentException($"There are {tiles.Count} tiles but {labels.Count} labels.", nameof(captions));
        int h = tiles[0].GetLength(0), w = tiles[0].GetLength(1);
        for (int k = 0; k < tiles.Count; k++)
            if (tiles[k].GetLength(0) != h || tiles[k].GetLength(1) != w)
                throw new ArgumentException($"Image {k} is {tiles[k].GetLength(0)}×{tiles[k].GetLength(1)} but image 0 is {h}×{w}; all tiles must have the same size.", nameof(images));

        columns = Math.Min(columns, tiles.Count);
        int rows = (tiles.Count + columns - 1) / columns;
        const int gapX = 1, gapY = 3; // empty pixels between tiles; the vertical gap holds the caption
        int width = columns * (w + gapX) - gapX, height = rows * (h + gapY);
        var z = new double?[height, width];
        var annotations = new JsonArray();
        for (int k = 0; k < tiles.Count; k++)
        {
            int top = (k / columns) * (h + gapY) + gapY, left = (k % columns) * (w + gapX);
            for (int r = 0; r < h; r++)
                for (int c = 0; c < w; c++)
                    z[top + r, left + c] = double.IsFinite(tiles[k][r, c]) ? tiles[k][r, c] : null;
            if (labels is not null)
                annotations.Add(new JsonObject
                {
                    ["x"] = left + (w - 1) / 2.0, ["y"] = top - 0.6, ["text"] = labels[k], ["showarrow"] = false,
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
}
