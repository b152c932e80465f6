using System.Globalization;
using System.Text;

namespace FromScratch.Display;

/// <summary>
/// How a <see cref="Figure"/> displays, in every kernel: <c>application/vnd.plotly.v1+json</c> (the figure's
/// JSON, for front ends that draw plotly themselves), <c>text/html</c> (a div and a script that draws it offline)
/// and <c>text/plain</c> (<see cref="Figure.ToString"/>).
/// The HTML carries plotly.js itself only the first time in a process (a kernel process runs one notebook, so
/// once per notebook): later figures wait for <c>window.Plotly</c>. The course's own engine writes a figure's HTML
/// itself with its per-notebook rule and only asks this source for the JSON, so the two never both embed it.
/// </summary>
internal sealed class FigureFormatterSource
{
    private static int plotlyJavaScriptSent;
    private static int nextId;

    /// <summary>The figure's three formatters: plotly JSON, HTML, plain text.</summary>
    public IEnumerable<object> CreateTypeFormatters() =>
    [
        new TypeFormatter(MimeTypes.Plotly, typeof(Figure), (value, writer) => Write(writer, ((Figure)value).ToPlotlyJson())),
        new TypeFormatter(MimeTypes.Html, typeof(Figure), (value, writer) => Write(writer, Html((Figure)value))),
        new TypeFormatter(MimeTypes.PlainText, typeof(Figure), (value, writer) => Write(writer, value.ToString() ?? "")),
    ];

    /// <summary>
    /// Makes the next figure's HTML carry plotly.js again (e.g. after the outputs that carried it were cleared
    /// while the kernel kept running).
    /// </summary>
    public static void ResendPlotlyJavaScript() => Interlocked.Exchange(ref plotlyJavaScriptSent, 0);

    /// <summary>
    /// The HTML display of <paramref name="figure"/>: plotly.js first when this process has not sent it yet
    /// (run with define/module/exports hidden, so it sets window.Plotly also on pages with RequireJS), then a div
    /// and a script that draws the figure as soon as window.Plotly exists.
    /// </summary>
    internal static string Html(Figure figure)
    {
        var html = new StringBuilder();
        if (Interlocked.Exchange(ref plotlyJavaScriptSent, 1) == 0)
        {
            html.Append("<script type=\"text/javascript\">(function (define, module, exports) {\n")
                .Append(Figure.PlotlyJavaScript.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase))
                .Append("\n}).call(window);</script>\n");
        }
        string id = string.Create(CultureInfo.InvariantCulture,
            $"fromscratch-figure-{Interlocked.Increment(ref nextId)}-{Guid.NewGuid().ToString("N")[..8]}");
        // ToPlotlyJson escapes <, > and &, so the JSON cannot end the script element.
        html.Append(CultureInfo.InvariantCulture, $"<div id=\"{id}\" style=\"width:100%;max-width:900px;\"></div>\n")
            .Append("<script type=\"text/javascript\">(function () {\n")
            .Append("  var figure = ").Append(figure.ToPlotlyJson()).Append(";\n")
            .Append(CultureInfo.InvariantCulture, $"  function draw() {{ window.Plotly.newPlot(\"{id}\", figure.data, figure.layout, {{responsive: true, displaylogo: false}}); }}\n")
            .Append("  if (window.Plotly) { draw(); return; }\n")
            .Append("  var tries = 0, timer = setInterval(function () {\n")
            .Append("    if (window.Plotly) { clearInterval(timer); draw(); } else if (++tries > 400) { clearInterval(timer); }\n")
            .Append("  }, 50);\n")
            .Append("})();</script>");
        return html.ToString();
    }

    private static bool Write(TextWriter writer, string text)
    {
        writer.Write(text);
        return true;
    }
}
