using System.Globalization;
using System.Net;
using System.Text;

namespace FromScratch;

// Lessons 0, 2, 11, 12: the few shapes the course's diagrams are drawn with (see Diagram).

/// <summary>
/// A small SVG writer for the library's diagrams: circles, boxes with lines of text, arrows and labels, in
/// pixel coordinates with y pointing down. Text is escaped; numbers are written with a dot.
/// </summary>
internal sealed class SvgCanvas(int width, int height)
{
    public const string Ink = "#333", Muted = "#888", Blue = "#1f77b4", Orange = "#ff7f0e", Red = "#c0392b", Green = "#2a9d4b";

    private readonly StringBuilder _body = new();

    /// <summary>A filled circle with a bold label in its middle.</summary>
    public SvgCanvas Circle(double cx, double cy, double r, string label, string stroke = Ink, string fill = "#f7f7f7", double strokeWidth = 1.5)
    {
        _body.Append(F($"<circle cx=\"{cx}\" cy=\"{cy}\" r=\"{r}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{strokeWidth}\"/>\n"));
        return Text(cx, cy + 5, label, anchor: "middle", bold: true, size: 15);
    }

    /// <summary>A rounded box; its lines of text are centred, the first in bold when <paramref name="boldTitle"/>.</summary>
    public SvgCanvas Box(double x, double y, double w, double h, IReadOnlyList<string> lines, string stroke = Ink,
        string fill = "#f7f7f7", bool boldTitle = true, bool dashed = false)
    {
        string dash = dashed ? " stroke-dasharray=\"5 4\"" : "";
        _body.Append(F($"<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"7\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.5\"{dash}/>\n"));
        double lineHeight = 17, top = y + h / 2 - (lines.Count - 1) * lineHeight / 2 + 5;
        for (int i = 0; i < lines.Count; i++)
            Text(x + w / 2, top + i * lineHeight, lines[i], anchor: "middle", bold: boldTitle && i == 0);
        return this;
    }

    /// <summary>A straight arrow from (x1, y1) to (x2, y2), its head at the end.</summary>
    public SvgCanvas Arrow(double x1, double y1, double x2, double y2, string color = Muted, double width = 1.5, bool dashed = false)
    {
        string dash = dashed ? " stroke-dasharray=\"5 4\"" : "";
        _body.Append(F($"<line x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\" stroke=\"{color}\" stroke-width=\"{width}\"{dash} "))
             .Append(F($"marker-end=\"url(#head-{Marker(color)})\"/>\n"));
        return this;
    }

    /// <summary>The arrow from circle (x1, y1, r1) to circle (x2, y2, r2), edge to edge.</summary>
    public SvgCanvas ArrowBetween(double x1, double y1, double r1, double x2, double y2, double r2, string color = Muted, double width = 1.5)
    {
        double dx = x2 - x1, dy = y2 - y1, length = Math.Sqrt(dx * dx + dy * dy);
        return Arrow(x1 + dx / length * r1, y1 + dy / length * r1, x2 - dx / length * (r2 + 2), y2 - dy / length * (r2 + 2), color, width);
    }

    /// <summary>Text at (x, y) (its baseline), left-aligned unless <paramref name="anchor"/> says "middle" or "end".</summary>
    public SvgCanvas Text(double x, double y, string text, string anchor = "start", bool bold = false, double size = 13,
        string color = Ink, bool italic = false)
    {
        string weight = bold ? " font-weight=\"bold\"" : "", style = italic ? " font-style=\"italic\"" : "";
        _body.Append(F($"<text x=\"{x}\" y=\"{y}\" text-anchor=\"{anchor}\" font-size=\"{size}\" fill=\"{color}\"{weight}{style}>"))
             .Append(WebUtility.HtmlEncode(text)).Append("</text>\n");
        return this;
    }

    /// <summary>Text on a white patch, so it reads where it crosses a line (an edge's weight name).</summary>
    public SvgCanvas Tag(double x, double y, string text, string color = Ink, bool bold = false)
    {
        double w = 7.2 * text.Length + 8;
        _body.Append(F($"<rect x=\"{x - w / 2}\" y=\"{y - 13}\" width=\"{w}\" height=\"18\" rx=\"3\" fill=\"white\" fill-opacity=\"0.92\"/>\n"));
        return Text(x, y, text, anchor: "middle", bold: bold, color: color);
    }

    /// <summary>The finished SVG document: a white background, one arrow head per colour used, the shapes.</summary>
    public override string ToString()
    {
        var svg = new StringBuilder();
        svg.Append(F($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" "))
           .Append("font-family=\"Helvetica, Arial, sans-serif\">\n<defs>\n");
        foreach (string color in _markers)
            svg.Append(F($"<marker id=\"head-{color.TrimStart('#')}\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">"))
               .Append(F($"<path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"{color}\"/></marker>\n"));
        svg.Append("</defs>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n").Append(_body);
        return svg.Append("</svg>\n").ToString();
    }

    private readonly SortedSet<string> _markers = new(StringComparer.Ordinal);

    private string Marker(string color)
    {
        _markers.Add(color);
        return color.TrimStart('#');
    }

    /// <summary>A number as the diagrams print it: 4 significant digits, e.g. 0.7311 or −12.5.</summary>
    public static string Number(double x) => x.ToString("G4", CultureInfo.InvariantCulture).Replace('-', '−');

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
