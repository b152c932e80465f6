using MathNet.Numerics.LinearAlgebra;
using Plotly.NET;
using Plotly.NET.LayoutObjects;
using Chart = Plotly.NET.CSharp.Chart;

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
        var rows = Enumerable.Range(0, values.RowCount).Select(r => values.Row(r).ToArray()).ToArray();
        var cells = Chart.Heatmap<double, string, string, string>(
            zData: rows, X: columnNames.ToArray(), Y: rowNames.ToArray(), Name: title, XGap: 1, YGap: 1,
            ColorScale: Scale((0, "#f7fbff"), (0.5, "#6baed6"), (1, "#08306b")), UseDefaults: false);
        cells.SetOnTraces("hovertemplate", $"{yTitle}: %{{y}}<br>{xTitle}: %{{x}}<br>value: %{{z}}<extra></extra>");
        if (showValues) cells.SetOnTraces("texttemplate", "%{z:.4~g}").SetOnTraces("textfont", new Font().Set("size", 13));
        var chart = CourseLook(cells, title, xTitle, yTitle, showLegend: false);
        Axis(chart, "xaxis").Set("type", StyleParam.AxisType.Category).Set("showgrid", false);
        // Row 0 at the top, as a matrix is written.
        Axis(chart, "yaxis").Set("type", StyleParam.AxisType.Category).Set("showgrid", false).Set("autorange", StyleParam.AutoRange.Reversed);
        return new Figure(chart, title);
    }

    /// <summary>A bar chart: one bar per category.</summary>
    public static Figure Bar(IEnumerable<string> categories, IEnumerable<double> values, string title, string xTitle, string yTitle)
    {
        var categoryList = Listed(categories, nameof(categories));
        var valueList = Listed(values, nameof(values));
        if (categoryList.Count != valueList.Count)
            throw new ArgumentException($"There are {categoryList.Count} categoryList but {valueList.Count} valueList; they must pair up.", "valueList");
        var bars = Chart.Column<double, string, string>(
            values: valueList.ToArray(), Keys: categoryList.ToArray(), Name: yTitle, MarkerColor: Color.fromString(Palette[0]), UseDefaults: false);
        var chart = CourseLook(bars, title, xTitle, yTitle, showLegend: false);
        Axis(chart, "xaxis").Set("type", StyleParam.AxisType.Category);
        return new Figure(chart, title);
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
        var z = Enumerable.Range(0, height).Select(_ => Enumerable.Repeat(double.NaN, width).ToArray()).ToArray(); // NaN: a gap
        var annotations = new List<Annotation>();
        for (int k = 0; k < tiles.Count; k++)
        {
            int top = (k / columns) * (h + gapY) + gapY, left = (k % columns) * (w + gapX);
            for (int r = 0; r < h; r++)
                for (int c = 0; c < w; c++)
                    z[top + r][left + c] = tiles[k][r, c];
            if (labels is not null)
                annotations.Add(new Annotation().Set("x", left + (w - 1) / 2.0).Set("y", top - 0.6).Set("text", labels[k])
                    .Set("showarrow", false).Set("yanchor", StyleParam.YAnchorPosition.Bottom).Set("font", new Font().Set("size", 12)));
        }
        var pixels = Chart.Heatmap<double, double, double, string>(
            zData: z, Name: title, ColorScale: Scale((0, "#ffffff"), (1, "#000000")), ShowScale: false, UseDefaults: false);
        pixels.SetOnTraces("zmin", 0).SetOnTraces("zmax", maxValue).SetOnTraces("hoverongaps", false)
            .SetOnTraces("hovertemplate", "value %{z}<extra></extra>");
        // Not the course's framed axes: images only, square pixels, row 0 at the top.
        var chart = Plotly.NET.Chart.withTitle(title, new Font().Set("size", 18)).Invoke(pixels);
        LinearAxis Hidden() => new LinearAxis().Set("visible", false).Set("showgrid", false).Set("zeroline", false);
        GenericChart.getLayout(chart)
            .Set("font", new Font().Set("size", 14).Set("family", "Arial, Helvetica, sans-serif"))
            .Set("xaxis", Hidden())
            .Set("yaxis", Hidden().Set("autorange", StyleParam.AutoRange.Reversed).Set("scaleanchor", "x"))
            .Set("annotations", annotations.ToArray())
            .Set("plot_bgcolor", Color.fromString("#ffffff"))
            .Set("margin", new Margin().Set("l", 20).Set("r", 20).Set("t", 60).Set("b", 20))
            .Set("height", Math.Clamp(80 + rows * 110, 200, 1600))
            .Set("showlegend", false);
        return new Figure(chart, title);
    }

    // A Plotly.NET colour scale from (position 0…1, CSS colour) stops.
    private static StyleParam.Colorscale Scale(params (double At, string Color)[] stops) =>
        StyleParam.Colorscale.NewCustom(stops.Select(s => Tuple.Create(s.At, Color.fromString(s.Color))));

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
