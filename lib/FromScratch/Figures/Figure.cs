using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Html;
using Plotly.NET;

namespace FromScratch;

/// <summary>
/// A plotly figure made by <see cref="Plot"/>: the one chart type the notebooks see.
/// A notebook shows it through <see cref="ToPlotlyJson"/> (MIME application/vnd.plotly.v1+json) or
/// <see cref="ToHtml"/>; <see cref="SaveHtml"/> writes a page that works offline. Everything needed
/// to draw it, plotly.js included, comes from the Plotly.NET assembly: no CDN, no network.
/// </summary>
public sealed class Figure : IHtmlContent
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        // Escapes <, > and & so the JSON can sit inside a <script> element safely.
        Encoder = JavaScriptEncoder.Default,
        WriteIndented = false,
    };

    private static readonly Lazy<string> plotlyJavaScript = new(LoadPlotlyJavaScript);
    private static int nextId;

    private readonly JsonArray data;
    private readonly JsonObject layout;

    internal Figure(string title, JsonArray data, JsonObject layout)
    {
        Title = title;
        this.data = data;
        this.layout = layout;
    }

    /// <summary>The figure's title.</summary>
    public string Title { get; }

    /// <summary>Number of traces (data series) in the figure.</summary>
    public int TraceCount => data.Count;

    /// <summary>
    /// The plotly figure as JSON: <c>{"data":[...],"layout":{...}}</c>. Notebook hosts display it under
    /// MIME type application/vnd.plotly.v1+json (they find this method by name).
    /// </summary>
    public string ToPlotlyJson() =>
        new JsonObject { ["data"] = data.DeepClone(), ["layout"] = layout.DeepClone() }.ToJsonString(JsonOptions);

    /// <summary>
    /// A self-contained HTML fragment: a div with a unique id and a script that draws the figure into it.
    /// plotly.js is included inline (and only run if the page has no Plotly yet), so it works offline.
    /// </summary>
    public string ToHtml()
    {
        string id = "fromscratch-figure-" + Interlocked.Increment(ref nextId).ToString(System.Globalization.CultureInfo.InvariantCulture)
                    + "-" + Guid.NewGuid().ToString("N")[..8];
        string data = this.data.ToJsonString(JsonOptions);
        string layout = this.layout.ToJsonString(JsonOptions);
        return
            $"<div id=\"{id}\" style=\"width:100%;max-width:900px;height:{Height}px;\"></div>\n" +
            "<script type=\"text/javascript\">\n" +
            // define/module/exports are hidden from plotly.js's module header so that it always sets window.Plotly,
            // also in pages that use require.js (classic Jupyter) or CommonJS.
            "if (typeof window.Plotly === 'undefined') {\n(function (define, module, exports) {\n" + ScriptSafe(PlotlyJavaScript) +
            "\n}).call(window, undefined, undefined, undefined);\n}\n" +
            "</script>\n" +
            "<script type=\"text/javascript\">\n" +
            $"Plotly.newPlot('{id}', {data}, {layout}, {{\"responsive\": true, \"displaylogo\": false}});\n" +
            "</script>\n";
    }

    /// <summary>
    /// The plotly.js library (version 2.28.0, minified) as shipped inside Plotly.NET, read once and cached,
    /// so a host can load it a single time for many figures.
    /// </summary>
    public static string PlotlyJavaScript => plotlyJavaScript.Value;

    /// <summary>Writes a complete HTML page with the figure to <paramref name="path"/>, atomically (temp file, then rename).</summary>
    public void SaveHtml(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string full = Path.GetFullPath(path);
        string page =
            "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n" +
            $"<title>{System.Net.WebUtility.HtmlEncode(Title)}</title>\n</head>\n<body>\n" +
            ToHtml() +
            "</body>\n</html>\n";
        AtomicFile.WriteAllText(full, page);
    }

    /// <summary>
    /// Writes the figure as a PNG image of <paramref name="width"/>·<paramref name="scale"/> × <paramref name="height"/>·<paramref name="scale"/>
    /// pixels, drawn by plotly.js in a headless Chromium-family browser found on this machine (CHROME_PATH, then
    /// chromium, google-chrome, msedge). Throws a <see cref="FileNotFoundException"/> listing the paths tried when
    /// there is none; <see cref="SaveHtml"/> needs no browser. The file is written atomically.
    /// </summary>
    /// <param name="path">The .png file to write.</param>
    /// <param name="width">Width in CSS pixels.</param>
    /// <param name="height">Height in CSS pixels; default: the figure's own height.</param>
    /// <param name="scale">Pixel density; 2 gives sharp images on slides and high-resolution screens.</param>
    public void SavePng(string path, int width = DefaultWidth, int? height = null, double scale = 1) =>
        SaveImage(path, ImageFormat.Png, width, height, scale);

    /// <summary>
    /// Writes the figure as an SVG drawing (vector: sharp at any size), made by plotly.js in a headless
    /// Chromium-family browser like <see cref="SavePng"/>. The file is written atomically.
    /// </summary>
    /// <param name="path">The .svg file to write.</param>
    /// <param name="width">Width in CSS pixels.</param>
    /// <param name="height">Height in CSS pixels; default: the figure's own height.</param>
    public void SaveSvg(string path, int width = DefaultWidth, int? height = null) =>
        SaveImage(path, ImageFormat.Svg, width, height, 1);

    /// <summary>Default image width in CSS pixels (the width figures have in a notebook).</summary>
    public const int DefaultWidth = 900;

    private void SaveImage(string path, ImageFormat format, int width, int? height, double scale)
    {
        ArgumentNullException.ThrowIfNull(path);
        string full = Path.GetFullPath(path);
        var request = new FigureImageRequest(ToPlotlyJson(), format, width, height ?? Height, scale);
        FigureExport.SaveAsync([(request, full)], PlotlyJavaScript).GetAwaiter().GetResult();
    }

    /// <summary>
    /// The figure as a Plotly.NET chart, for learners who want to go further with Plotly.NET's own functions.
    /// A fresh chart is built on every call, so changing it does not change this figure.
    /// </summary>
    public GenericChart Chart
    {
        get
        {
            var traces = data.Select(node =>
            {
                var obj = (JsonObject)node!;
                var trace = new Trace2D((string?)obj["type"] ?? "scatter");
                foreach (var (key, value) in obj)
                    if (key != "type") trace.SetProperty(key, ToPlain(value));
                return (Trace)trace;
            }).ToArray();
            var plotlyLayout = new Layout();
            foreach (var (key, value) in layout)
                plotlyLayout.SetProperty(key, ToPlain(value));
            return GenericChart.setLayout(plotlyLayout, GenericChart.ofTraceObjects(false, traces));
        }
    }

    /// <summary>Writes <see cref="ToHtml"/> (the HTML display of the figure in a notebook).</summary>
    public void WriteTo(TextWriter writer, HtmlEncoder encoder) => writer.Write(ToHtml());

    /// <summary>A short text description, e.g. "Figure: Loss per epoch (3 traces)".</summary>
    public override string ToString() => $"Figure: {Title} ({TraceCount} trace{(TraceCount == 1 ? "" : "s")})";

    private int Height => (int?)layout["height"] ?? 500;

    // "</script" inside the inlined library would end the script element early.
    private static string ScriptSafe(string js) => js.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);

    private static string LoadPlotlyJavaScript()
    {
        Assembly plotly = typeof(GenericChart).Assembly;
        string? name = plotly.GetManifestResourceNames()
            .FirstOrDefault(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal));
        if (name is null)
            throw new InvalidOperationException(
                $"The Plotly.NET assembly ({plotly.FullName}) has no embedded plotly-*.min.js; its resources are: {string.Join(", ", plotly.GetManifestResourceNames())}.");
        using var stream = plotly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    // JSON nodes → plain .NET values (dictionaries, arrays, numbers) that Plotly.NET's serializer writes back unchanged.
    private static object? ToPlain(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(p => p.Key, p => ToPlain(p.Value)),
        JsonArray a => a.Select(ToPlain).ToArray(),
        JsonValue v when v.TryGetValue(out double d) => d,
        JsonValue v when v.TryGetValue(out int i) => i,
        JsonValue v when v.TryGetValue(out bool b) => b,
        JsonValue v when v.TryGetValue(out string? s) => s,
        _ => node.ToJsonString(),
    };
}
