using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plotly.NET;
using Plotly.NET.CSharp;

namespace FromScratch;

/// <summary>
/// A figure made by <see cref="Plot"/>: a Plotly.NET chart (<see cref="Chart"/>) with the course's look. Restyle it
/// with the fluent helpers here (<see cref="WithTitle"/>, <see cref="WithXAxis"/>, <see cref="WithColors"/>,
/// <see cref="Combine(Figure[])"/> …) or with Plotly.NET's own functions — a Figure converts to and from a
/// <see cref="GenericChart"/> implicitly, so <c>Figure f = myChart;</c> and <c>GenericChart c = figure;</c> both work.
/// A notebook shows it through <see cref="ToPlotlyJson"/> (MIME application/vnd.plotly.v1+json) or
/// <see cref="ToHtml"/>; <see cref="SaveHtml"/> writes a page that works offline. Everything needed
/// to draw it, plotly.js included, comes from the Plotly.NET assembly: no CDN, no network.
/// </summary>
[Display.TypeFormatterSource(typeof(Display.FigureFormatterSource),
    PreferredMimeTypes = [Display.MimeTypes.Html, Display.MimeTypes.Plotly, Display.MimeTypes.PlainText])]
public sealed partial class Figure
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        // Escapes <, > and & so the JSON can sit inside a <script> element safely.
        Encoder = JavaScriptEncoder.Default,
        WriteIndented = false,
    };

    private static readonly Lazy<string> plotlyJavaScript = new(LoadPlotlyJavaScript);
    private static int nextId;

    private readonly GenericChart chart;

    /// <summary>
    /// A figure of any Plotly.NET chart, e.g. <c>new Figure(Chart.Point&lt;double, double, string&gt;(xs, ys))</c>, so it can be
    /// saved as PNG, SVG or HTML like the course's own figures. <paramref name="title"/> defaults to the chart's title.
    /// </summary>
    public Figure(GenericChart chart, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(chart);
        this.chart = chart;
        Title = title ?? TitleOf(chart) ?? "Figure";
    }

    /// <summary>
    /// The Plotly.NET chart behind this figure, for going further with Plotly.NET's own functions, e.g.
    /// <c>figure.Chart.WithXAxisStyle(TitleText: "epoch")</c> (Plotly.NET.CSharp) or
    /// <c>Chart.withTitle("…", null).Invoke(figure.Chart)</c>. Plotly.NET's style functions change the chart they are
    /// given: to keep this figure as it is, restyle through <see cref="With"/>, which works on a copy.
    /// </summary>
    public GenericChart Chart => chart;

    /// <summary>The figure's chart, for Plotly.NET functions that take a <see cref="GenericChart"/>.</summary>
    public static implicit operator GenericChart(Figure figure)
    {
        ArgumentNullException.ThrowIfNull(figure);
        return figure.Chart;
    }

    /// <summary>Any Plotly.NET chart as a figure (to display, save or combine it like the course's figures).</summary>
    public static implicit operator Figure(GenericChart chart) => new(chart);

    /// <summary>The figure's title.</summary>
    public string Title { get; }

    /// <summary>Number of traces (data series) in the figure.</summary>
    public int TraceCount => GenericChart.countTrace(chart);

    /// <summary>
    /// The plotly figure as JSON: <c>{"data":[...],"layout":{...}}</c>, written by Plotly.NET. Notebook hosts display
    /// it under MIME type application/vnd.plotly.v1+json (they find this method by name).
    /// </summary>
    public string ToPlotlyJson()
    {
        var (data, layout) = DataAndLayout();
        return new JsonObject { ["data"] = data, ["layout"] = layout }.ToJsonString(JsonOptions);
    }

    /// <summary>A copy of this figure restyled by <paramref name="restyle"/>, e.g. <c>f.With(c => c.WithSize(600, 400))</c>.</summary>
    public Figure With(Func<GenericChart, GenericChart> restyle)
    {
        ArgumentNullException.ThrowIfNull(restyle);
        var copy = PlotlyObjects.Copy(chart);
        return new Figure(restyle(copy) ?? throw new InvalidOperationException("restyle returned no chart."));
    }

    /// <summary>The same figure with another title (Plotly.NET's <c>Chart.withTitle</c>).</summary>
    public Figure WithTitle(string title)
    {
        ArgumentNullException.ThrowIfNull(title);
        return new Figure(With(c => Plotly.NET.Chart.withTitle(title, null).Invoke(c)).Chart, title);
    }

    /// <summary>
    /// The same figure with its x axis restyled (Plotly.NET.CSharp's <c>WithXAxisStyle</c>): a new title, a log or linear
    /// scale, a range. What is not given stays as it was.
    /// </summary>
    public Figure WithXAxis(string? title = null, bool? logScale = null, (double Min, double Max)? range = null) =>
        WithTitleKept(With(c => Plotly.NET.CSharp.GenericChartExtensions.WithXAxisStyle<double, double, double>(c,
            TitleText: title is null ? default(Optional<string>) : title,
            AxisType: logScale is bool log ? (log ? StyleParam.AxisType.Log : StyleParam.AxisType.Linear) : default(Optional<StyleParam.AxisType>),
            MinMax: range is { } r ? new Tuple<double, double>(r.Min, r.Max) : default(Optional<Tuple<double, double>>))));

    /// <summary>The same figure with its y axis restyled: a new title, a log or linear scale, a range.</summary>
    public Figure WithYAxis(string? title = null, bool? logScale = null, (double Min, double Max)? range = null) =>
        WithTitleKept(With(c => Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<double, double, double>(c,
            TitleText: title is null ? default(Optional<string>) : title,
            AxisType: logScale is bool log ? (log ? StyleParam.AxisType.Log : StyleParam.AxisType.Linear) : default(Optional<StyleParam.AxisType>),
            MinMax: range is { } r ? new Tuple<double, double>(r.Min, r.Max) : default(Optional<Tuple<double, double>>))));

    /// <summary>The same figure drawn <paramref name="width"/> × <paramref name="height"/> CSS pixels (Plotly.NET's <c>WithSize</c>).</summary>
    public Figure WithSize(int width, int height) =>
        WithTitleKept(With(c => Plotly.NET.CSharp.GenericChartExtensions.WithSize(c, width, height)));

    /// <summary>
    /// The same figure with its traces coloured in order by <paramref name="colors"/> (CSS colours such as "#1f77b4" or
    /// "orange"; the list repeats if there are more traces). Lines and markers of a trace take its colour.
    /// </summary>
    public Figure WithColors(params string[] colors)
    {
        ArgumentNullException.ThrowIfNull(colors);
        if (colors.Length == 0) throw new ArgumentException("Give at least one colour.", nameof(colors));
        return WithTitleKept(With(c =>
        {
            int k = 0;
            foreach (var trace in GenericChart.getTraces(c)) PlotlyObjects.Recolor(trace, colors[k++ % colors.Length]);
            return c;
        }));
    }

    /// <summary>This figure with the traces of <paramref name="others"/> drawn on top (Plotly.NET's <c>Chart.Combine</c>); the layout is this one's.</summary>
    public Figure Combine(params Figure[] others)
    {
        ArgumentNullException.ThrowIfNull(others);
        return Combine(others.Prepend(this)); // the static Combine below
    }

    /// <summary>
    /// Several figures as one (Plotly.NET's <c>Chart.Combine</c>): every trace of every figure in one plot, with the first
    /// figure's title and axes, e.g. <c>Figure.Combine(Plot.LossCurves(…), myChart)</c>.
    /// </summary>
    public static Figure Combine(IEnumerable<Figure> figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        var list = figures.ToList();
        if (list.Count == 0) throw new ArgumentException("Give at least one figure to combine.", nameof(figures));
        var copies = list.Select(f => f.With(c => c).Chart).ToList();
        return new Figure(Plotly.NET.CSharp.Chart.Combine(copies), list[0].Title);
    }

    private Figure WithTitleKept(Figure restyled) => new(restyled.Chart, Title);

    private (JsonNode Data, JsonNode Layout) DataAndLayout()
    {
        var (data, layout) = PlotlyObjects.Json(chart);
        return (data, layout);
    }

    private static string? TitleOf(GenericChart chart) =>
        PlotlyObjects.Json(chart).Layout["title"] switch
        {
            JsonValue text when text.TryGetValue(out string? s) => s,
            JsonObject title when title["text"] is JsonValue text && text.TryGetValue(out string? s) => s,
            _ => null,
        };

    /// <summary>
    /// A self-contained HTML fragment: a div with a unique id and a script that draws the figure into it.
    /// plotly.js is included inline (and only run if the page has no Plotly yet), so it works offline.
    /// </summary>
    public string ToHtml()
    {
        string id = "fromscratch-figure-" + Interlocked.Increment(ref nextId).ToString(System.Globalization.CultureInfo.InvariantCulture)
                    + "-" + Guid.NewGuid().ToString("N")[..8];
        var (dataNode, layoutNode) = DataAndLayout();
        string data = dataNode.ToJsonString(JsonOptions);
        string layout = layoutNode.ToJsonString(JsonOptions);
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

    /// <summary>Writes <see cref="ToHtml"/> (the HTML display of the figure in a notebook).</summary>
    public void WriteTo(TextWriter writer, HtmlEncoder encoder) => writer.Write(ToHtml());

    /// <summary>A short text description, e.g. "Figure: Loss per epoch (3 traces)".</summary>
    public override string ToString() => $"Figure: {Title} ({TraceCount} trace{(TraceCount == 1 ? "" : "s")})";

    private int Height => DataAndLayout().Layout["height"] is JsonValue h && h.TryGetValue(out double v) ? (int)v : 500;

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
}
