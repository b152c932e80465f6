using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FromScratch.Notebooks.Export;

/// <summary>
/// The `--preset slide` look, made by rewriting the plotly JSON before export: 16:9 at 1600×900, larger
/// fonts, thicker lines and bigger markers, white background, no modebar, and the same colour for the
/// same series in every figure of a notebook (e.g. "Adam" keeps its colour from the first figure it appears in).
/// </summary>
internal sealed class SlidePreset
{
    /// <summary>Slide size in CSS pixels (16:9).</summary>
    public const int Width = 1600, Height = 900;

    private const double FontScale = 1.7;
    private const int BaseFont = 24, TitleFont = 36;

    // The library's Plot.Palette (Tableau 10), repeated here because the tool does not load the library.
    private static readonly string[] Palette =
        ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    private readonly Dictionary<string, string> _seriesColors = new(StringComparer.Ordinal);

    /// <summary>The colour given to a series so far (by its base name), for tests and the index.</summary>
    public IReadOnlyDictionary<string, string> SeriesColors => _seriesColors;

    /// <summary>
    /// Rewrites <paramref name="figure"/> in place. Use one <see cref="SlidePreset"/> per notebook so that
    /// colours stay consistent across its figures.
    /// </summary>
    public void Apply(JsonObject figure)
    {
        var layout = figure["layout"] as JsonObject ?? [];
        figure["layout"] = layout;
        var data = figure["data"] as JsonArray ?? [];

        layout.Remove("width");
        layout.Remove("height");
        layout["autosize"] = true;
        layout["paper_bgcolor"] = "#ffffff";
        layout["plot_bgcolor"] = "#ffffff";
        var font = Object(layout, "font");
        font["size"] = BaseFont;
        font["color"] ??= "#222";
        if (layout["title"] is JsonValue titleText) layout["title"] = new JsonObject { ["text"] = titleText.DeepClone() };
        if (layout["title"] is JsonObject title) Object(title, "font")["size"] = TitleFont;
        Object(layout, "legend")["font"] = new JsonObject { ["size"] = BaseFont - 2 };
        layout["margin"] = new JsonObject { ["l"] = 130, ["r"] = 50, ["t"] = 100, ["b"] = 110 };
        foreach (var (key, value) in layout.ToList())
        {
            if (value is not JsonObject axis || !(key.StartsWith("xaxis", StringComparison.Ordinal) || key.StartsWith("yaxis", StringComparison.Ordinal))) continue;
            Object(axis, "tickfont")["size"] = BaseFont - 2;
            if (axis["title"] is JsonObject axisTitle) Object(axisTitle, "font")["size"] = BaseFont + 2;
            if (axis["linewidth"] is null && axis["showline"] is JsonValue) axis["linewidth"] = 2;
        }
        if (layout["annotations"] is JsonArray annotations)
            foreach (var annotation in annotations.OfType<JsonObject>())
                ScaleFont(Object(annotation, "font"), 14);

        // Figures with a colour map keep their colours: the map's tints are chosen to match the classes.
        bool hasColorMap = data.OfType<JsonObject>().Any(t => t["colorscale"] is not null || (string?)t["type"] is "heatmap" or "contour" or "surface");
        int traceIndex = 0;
        foreach (var trace in data.OfType<JsonObject>())
        {
            var line = trace["line"] as JsonObject;
            if (line is not null || (string?)trace["type"] is null or "scatter" && ((string?)trace["mode"] ?? "lines").Contains("lines"))
            {
                line ??= Object(trace, "line");
                double width = line["width"] is JsonValue w && w.TryGetValue(out double lw) ? lw : 2;
                line["width"] = Math.Max(4, 2 * width);
            }
            if (trace["marker"] is JsonObject marker && marker["size"] is JsonValue size && size.TryGetValue(out double s))
                marker["size"] = Math.Round(s * 1.6, 1);
            if (trace["textfont"] is JsonObject textFont) ScaleFont(textFont, 14);
            else if (trace["text"] is not null) trace["textfont"] = new JsonObject { ["size"] = BaseFont - 2 };
            if (!hasColorMap) Recolor(trace, traceIndex);
            traceIndex++;
        }

        figure["config"] = new JsonObject { ["displayModeBar"] = false, ["responsive"] = true, ["displaylogo"] = false };
    }

    /// <summary>"SGD (diverged at epoch 5: NaN)" and "SGD: diverged" are both the series "SGD"; "F (50)" is "F".</summary>
    public static string SeriesName(string name)
    {
        string trimmed = Regex.Replace(name, @":\s*diverged\s*$", "");
        trimmed = Regex.Replace(trimmed, @"\s*\([^()]*\)\s*$", "");
        return trimmed.Length == 0 ? name : trimmed;
    }

    private void Recolor(JsonObject trace, int traceIndex)
    {
        string key = trace["name"] is JsonValue n && n.TryGetValue(out string? name) ? SeriesName(name) : $"trace {traceIndex}";
        if (!_seriesColors.TryGetValue(key, out string? color))
        {
            color = Palette[_seriesColors.Count % Palette.Length];
            _seriesColors[key] = color;
        }
        // Only single colours are replaced; per-point colour arrays keep their meaning.
        if (trace["line"] is JsonObject line && line["color"] is null or JsonValue) line["color"] = color;
        if (trace["marker"] is JsonObject marker && marker["color"] is null or JsonValue) marker["color"] = color;
        else if (trace["marker"] is null) trace["marker"] = new JsonObject { ["color"] = color };
        if (trace["textfont"] is JsonObject textFont && textFont["color"] is JsonValue) textFont["color"] = color;
    }

    private static void ScaleFont(JsonObject font, double fallback)
    {
        double size = font["size"] is JsonValue v && v.TryGetValue(out double s) ? s : fallback;
        font["size"] = Math.Round(size * FontScale);
    }

    private static JsonObject Object(JsonObject parent, string name)
    {
        if (parent[name] is JsonObject existing) return existing;
        var created = new JsonObject();
        parent[name] = created;
        return created;
    }
}
