using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json.Nodes;

namespace FromScratch.Notebooks.Engine;

/// <summary>How often a session's figure HTML carries the plotly.js source.</summary>
public enum PlotlyJsEmbedding
{
    /// <summary>
    /// The first figure of a session carries plotly.js inline; later figures wait for window.Plotly.
    /// Keeps a lesson with ten figures at ~4 MB instead of ~40 MB, and an nbconvert HTML export
    /// (one page, outputs in order) still draws every figure offline.
    /// </summary>
    OncePerSession,

    /// <summary>Every figure's HTML carries plotly.js (each output stands alone; large notebooks).</summary>
    EveryFigure,
}

/// <summary>
/// Formats a value into every MIME type that fits it. Works by duck typing, never by referencing
/// the course library: a figure is any object with a public instance <c>string ToPlotlyJson()</c>;
/// HTML content is any object implementing an interface named
/// <c>Microsoft.AspNetCore.Html.IHtmlContent</c> (whichever copy of that assembly it came from).
/// One formatter per session: it remembers whether plotly.js was already sent.
/// </summary>
public sealed class ValueFormatter(string figureIdPrefix, PlotlyJsEmbedding embedding = PlotlyJsEmbedding.OncePerSession)
{
    private const int MaxItems = 100;
    private bool _plotlyJsSent;
    private int _figureCount;

    /// <summary>
    /// Random per formatter (so per session): figure element ids are unique across restarts, sessions
    /// and notebooks open in one page ("fs-3fa9c2d1-lesson-figure-1"), so a figure is never drawn
    /// into another cell's output.
    /// </summary>
    private readonly string _sessionTag = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));

    /// <summary>The kernelspec whose folder serves plotly.min.js to figures without a carrier (see <see cref="FigureHtml.Fragment"/>).</summary>
    public string KernelSpecName { get; init; } = FigureHtml.DefaultKernelSpecName;

    /// <summary>Forgets that plotly.js was sent (e.g. a front end cleared its outputs).</summary>
    public void ResetPlotlyJs() => _plotlyJsSent = false;

    /// <summary>
    /// Formats <paramref name="value"/> into a <see cref="MimeBundle"/>. <paramref name="carryPlotlyJs"/> false: a
    /// figure's HTML never carries plotly.js (an output redrawn in place, whose earlier copies are replaced; the
    /// session sends a <see cref="PlotlyCarrier"/> beside it instead).
    /// </summary>
    public MimeBundle Format(object? value, bool carryPlotlyJs = true)
    {
        var data = new Dictionary<string, JsonNode>();
        value = PlotlyNetCharts.AsFigure(value); // a Plotly.NET chart shows as a figure (PlotlyNetCharts.cs)
        // First the display convention both kernels share (FormatterConvention); a value whose formatters give
        // plotly JSON is a figure, and its HTML is written below with this session's plotly.js rule.
        var conventional = value is null ? null : FormatterConvention.Format(value);
        if (conventional is not null && !conventional.ContainsKey(MimeTypes.Plotly))
            return FormatterConvention.ToBundle(conventional, PlainText(value));
        if (value is not null && (conventional?.GetValueOrDefault(MimeTypes.Plotly)
            ?? (FindToPlotlyJson(value.GetType())?.Invoke(value, null) as string)) is { } json)
        {
            JsonNode parsed = JsonNode.Parse(json) ?? throw new InvalidOperationException($"{value.GetType().Name}.ToPlotlyJson() returned JSON null");
            var figure = new FigureData(json, FindPlotlyJavaScript(value.GetType()));
            bool embed = carryPlotlyJs && (embedding == PlotlyJsEmbedding.EveryFigure || !_plotlyJsSent);
            string id = $"fs-{_sessionTag}-{figureIdPrefix}-figure-{++_figureCount}";
            data[MimeTypes.Plotly] = parsed;
            data[MimeTypes.Html] = FigureHtml.Fragment(figure, id, embed && figure.PlotlyJavaScript is not null, KernelSpecName, compressPlotlyJs: true);
            data[MimeTypes.PlainText] = conventional?.GetValueOrDefault(MimeTypes.PlainText)
                ?? (OverridesToString(value.GetType()) ? value.ToString() ?? "" : DescribeFigure(value, parsed));
            if (embed && figure.PlotlyJavaScript is not null) _plotlyJsSent = true;
            return new MimeBundle(data, figure);
        }
        if (value is not null && WriteHtml(value) is { } html)
        {
            data[MimeTypes.Html] = html;
            data[MimeTypes.PlainText] = OverridesToString(value.GetType()) ? value.ToString() ?? "" : html;
            return new MimeBundle(data, null);
        }
        data[MimeTypes.PlainText] = PlainText(value);
        return new MimeBundle(data, null);
    }

    /// <summary>
    /// An output of its own that carries plotly.js (and shows nothing), when this session has not sent it yet;
    /// null otherwise. For figures redrawn in place: the carrier stays in the notebook when they are replaced.
    /// </summary>
    public MimeBundle? PlotlyCarrier(FigureData figure)
    {
        if (_plotlyJsSent && embedding == PlotlyJsEmbedding.OncePerSession) return null;
        if (figure.PlotlyJavaScript is not { } js) return null;
        _plotlyJsSent = true;
        string html = FigureHtml.Carrier(js);
        return new MimeBundle(new Dictionary<string, JsonNode> { [MimeTypes.Html] = html, [MimeTypes.PlainText] = "" }, null);
    }

    /// <summary>The text/plain form: strings as they are, sequences as [a, b, c], numbers in invariant culture.</summary>
    public static string PlainText(object? value) => value switch
    {
        null => "null",
        string s => s,
        bool b => b ? "true" : "false",
        char c => c.ToString(),
        IFormattable f when value.GetType().IsPrimitive || value is decimal => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items when !OverridesToString(value.GetType()) => Sequence(items),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Sequence(IEnumerable items)
    {
        var text = new StringBuilder("[");
        int count = 0;
        foreach (var item in items)
        {
            if (count == MaxItems) { text.Append(", …"); break; }
            if (count++ > 0) text.Append(", ");
            text.Append(item is string s ? $"\"{s}\"" : PlainText(item));
        }
        return text.Append(']').ToString();
    }

    private static bool OverridesToString(Type type) =>
        type.GetMethod(nameof(ToString), Type.EmptyTypes)?.DeclaringType is { } declaring
        && declaring != typeof(object) && declaring != typeof(ValueType);

    private static MethodInfo? FindToPlotlyJson(Type type) =>
        type.GetMethod("ToPlotlyJson", BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes) is { } m && m.ReturnType == typeof(string) ? m : null;

    private static string DescribeFigure(object value, JsonNode figure)
    {
        var traces = figure["data"] as JsonArray ?? [];
        var kinds = traces.Select(t => t?["type"]?.GetValue<string>() ?? "scatter").Distinct();
        return $"{value.GetType().Name}: {traces.Count} trace(s) ({string.Join(", ", kinds)})";
    }

    /// <summary>
    /// HTML of an IHtmlContent, found by the interface's full name so that two loaded copies of
    /// Microsoft.AspNetCore.Html.Abstractions (the engine's and the notebook's) both work.
    /// </summary>
    private static string? WriteHtml(object value)
    {
        var contract = value.GetType().GetInterfaces().FirstOrDefault(i => i.FullName == "Microsoft.AspNetCore.Html.IHtmlContent");
        var writeTo = contract?.GetMethod("WriteTo");
        if (writeTo is null) return null;
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        writeTo.Invoke(value, [writer, HtmlEncoder.Default]);
        return writer.ToString();
    }

    /// <summary>
    /// plotly.js for a figure. First the figure type's own static <c>PlotlyJavaScript</c> (the library
    /// bundles the plotly.js that matches the JSON it writes); else the plotly.js embedded in a
    /// loaded Plotly.NET assembly. The engine carries no copy of its own: it would be a second
    /// source of truth and 4 MB more in the tool.
    /// </summary>
    internal static string? FindPlotlyJavaScript(Type figureType)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Static | BindingFlags.FlattenHierarchy;
        if (figureType.GetProperty("PlotlyJavaScript", flags)?.GetValue(null) is string fromProperty) return fromProperty;
        if (figureType.GetField("PlotlyJavaScript", flags)?.GetValue(null) is string fromField) return fromField;
        return PlotlyNetJavaScript.Value;
    }

    private static readonly Lazy<string?> PlotlyNetJavaScript = new(() =>
    {
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name == "Plotly.NET"))
        {
            string? name = assembly.GetManifestResourceNames()
                .FirstOrDefault(n => n.Contains("plotly", StringComparison.OrdinalIgnoreCase) && n.EndsWith(".min.js", StringComparison.OrdinalIgnoreCase));
            if (name is null) continue;
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        return null;
    });
}

/// <summary>The HTML the engine writes for a figure: a fragment for notebook outputs, a page for files.</summary>
public static class FigureHtml
{
    /// <summary>The kernelspec name `kernel install` uses unless told otherwise.</summary>
    public const string DefaultKernelSpecName = "fromscratch-csharp";

    /// <summary>The file, in the kernelspec folder, that figures load plotly.js from when no output in the page carries it.</summary>
    public const string KernelSpecPlotlyFile = "plotly.min.js";

    /// <summary>
    /// A div plus a script that draws the figure as soon as window.Plotly exists. With
    /// <paramref name="embedPlotlyJs"/>, plotly.js itself comes first, inline, run with
    /// define/module/exports hidden so it sets window.Plotly even on a page with RequireJS
    /// (classic Jupyter and nbconvert pages load it). Without it, and when no earlier output of
    /// the page has set window.Plotly (the carrier was re-run or cleared, or outputs render out
    /// of order), the script fetches plotly.js from the Jupyter server:
    /// <c>&lt;base_url&gt;kernelspecs/&lt;name&gt;/plotly.min.js</c>, the copy `kernel install` puts in
    /// the kernelspec folder (served by Notebook 6/7 and JupyterLab, offline), for
    /// <paramref name="kernelSpecName"/> and the notebook's own kernelspec name; it evaluates it with
    /// define/module/exports hidden, once per page. Where neither works (a static page without a
    /// carrier) the figure's div says why after 20 s instead of staying blank.
    /// </summary>
    /// <remarks>
    /// With <paramref name="compressPlotlyJs"/> (notebook outputs), a plotly.js larger than 100 kB is
    /// embedded gzip-compressed in base64 (1.4 MB instead of 3.6 MB, which keeps an executed lesson
    /// under 4.5 MB) and unpacked with the browser's DecompressionStream; figures wait for it as
    /// for any carrier. Standalone figure files keep plotly.js as it is.
    /// </remarks>
    public static string Fragment(FigureData figure, string id, bool embedPlotlyJs, string kernelSpecName = DefaultKernelSpecName,
        bool compressPlotlyJs = false)
    {
        var html = new StringBuilder();
        if (embedPlotlyJs && figure.PlotlyJavaScript is { } js) html.Append(Carrier(js, compressPlotlyJs));
        string kernel = System.Text.Json.JsonSerializer.Serialize(kernelSpecName);
        html.Append(CultureInfo.InvariantCulture, $"<div id=\"{id}\" class=\"fromscratch-figure\"></div>\n")
            .Append("<script type=\"text/javascript\">(function () {\n")
            .Append("  var figure = ").Append(EscapeScript(figure.PlotlyJson)).Append(";\n")
            .Append(CultureInfo.InvariantCulture, $"  var id = \"{id}\";\n")
            .Append("  function draw() { window.Plotly.newPlot(id, figure.data, figure.layout || {}, figure.config || {responsive: true}); }\n")
            .Append("  if (window.Plotly) { draw(); return; }\n")
            .Append("  function load() {\n")
            .Append("    if (window.fromScratchPlotly || typeof fetch !== 'function' || location.protocol === 'file:') return;\n")
            .Append(CultureInfo.InvariantCulture, $"    var names = [{kernel}];\n")
            .Append("    try { var k = window.Jupyter.notebook.metadata.kernelspec.name; if (k && names.indexOf(k) < 0) names.push(k); } catch (e) {}\n")
            .Append("    var base = (document.body && document.body.getAttribute('data-base-url')) || '/';\n")
            .Append("    try { var c = document.getElementById('jupyter-config-data'); if (c) base = JSON.parse(c.textContent).baseUrl || base; } catch (e) {}\n")
            .Append("    if (base.charAt(base.length - 1) !== '/') base += '/';\n")
            .Append("    window.fromScratchPlotly = names.reduce(function (p, name) {\n")
            .Append("      return p.catch(function () {\n")
            .Append(CultureInfo.InvariantCulture, $"        return fetch(base + 'kernelspecs/' + encodeURIComponent(name) + '/{KernelSpecPlotlyFile}', {{credentials: 'same-origin'}})\n")
            .Append("          .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); });\n")
            .Append("      });\n")
            .Append("    }, Promise.reject(new Error('none'))).then(function (code) {\n")
            .Append("      if (!window.Plotly) new Function('define', 'module', 'exports', code).call(window);\n")
            .Append("    });\n")
            .Append("    window.fromScratchPlotly.catch(function () {});\n")
            .Append("  }\n")
            .Append("  load();\n")
            .Append("  var tries = 0, timer = setInterval(function () {\n")
            .Append("    if (window.Plotly) { clearInterval(timer); draw(); }\n")
            .Append("    else if (!window.fromScratchPlotly && tries % 20 === 0) { load(); }\n")
            .Append("    if (!window.Plotly && ++tries > 400) {\n")
            .Append("      clearInterval(timer);\n")
            .Append("      var div = document.getElementById(id);\n")
            .Append("      if (div) div.textContent = 'This figure needs plotly.js, which this page does not have: run the cell again, '\n")
            .Append("        + 'or install the kernel again (kernel install) so that its kernelspec serves plotly.min.js.';\n")
            .Append("    }\n")
            .Append("  }, 50);\n")
            .Append("})();</script>");
        return html.ToString();
    }

    /// <summary>
    /// A script that defines window.Plotly from <paramref name="plotlyJavaScript"/> unless the page has it (gzip-compressed
    /// and base64-encoded when <paramref name="compress"/> and the library is large).
    /// </summary>
    public static string Carrier(string plotlyJavaScript, bool compress = true)
    {
        var html = new StringBuilder();
        if (plotlyJavaScript is { Length: > 100_000 } big && compress)
        {
            html.Append("<script type=\"text/javascript\">(function () {\n")
                .Append("  if (window.Plotly || window.fromScratchPlotly || typeof DecompressionStream !== 'function') return;\n")
                .Append("  var packed = \"").Append(Compressed(big)).Append("\";\n")
                .Append("  var bytes = Uint8Array.from(atob(packed), function (c) { return c.charCodeAt(0); });\n")
                .Append("  window.fromScratchPlotly = new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text()\n")
                .Append("    .then(function (code) { if (!window.Plotly) new Function('define', 'module', 'exports', code).call(window); })\n")
                .Append("    .catch(function () { window.fromScratchPlotly = null; });\n")
                .Append("})();</script>\n");
        }
        else
        {
            html.Append("<script type=\"text/javascript\">(function (define, module, exports) {\n")
                .Append(EscapeScript(plotlyJavaScript))
                .Append("\n}).call(window);</script>\n");
        }
        return html.ToString();
    }

    /// <summary>A complete offline HTML page for one figure (plotly.js inline, no network).</summary>
    public static string StandalonePage(FigureData figure, string title) =>
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
        + $"<title>{HtmlEncoder.Default.Encode(title)}</title>\n</head>\n<body>\n"
        + Fragment(figure, "figure", embedPlotlyJs: true)
        + (figure.PlotlyJavaScript is null ? "\n<p>plotly.js was not available when this file was written.</p>" : "")
        + "\n</body>\n</html>\n";

    private static readonly ConditionalWeakTable<string, string> CompressedCache = new();

    /// <summary>gzip + base64 of <paramref name="javaScript"/>, computed once per plotly.js string.</summary>
    private static string Compressed(string javaScript) => CompressedCache.GetValue(javaScript, js =>
    {
        using var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.SmallestSize))
            gzip.Write(Encoding.UTF8.GetBytes(js));
        return Convert.ToBase64String(buffer.ToArray());
    });

    /// <summary>"&lt;/script" inside a script block would end it early; "&lt;\/script" means the same to JavaScript.</summary>
    private static string EscapeScript(string code) =>
        System.Text.RegularExpressions.Regex.Replace(code, "</(script)", "<\\/$1", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
}
