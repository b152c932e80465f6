namespace FromScratch.Display;

/// <summary>How a <see cref="Diagram"/> displays: its SVG drawing as HTML, and a one-line text.</summary>
internal sealed class DiagramFormatterSource
{
    /// <summary>The diagram's two formatters: the SVG picture (inline HTML), plain text.</summary>
    public IEnumerable<object> CreateTypeFormatters() =>
    [
        new TypeFormatter(MimeTypes.Html, typeof(Diagram), (value, writer) => { writer.Write(((Diagram)value).ToSvg()); return true; }),
        new TypeFormatter(MimeTypes.PlainText, typeof(Diagram), (value, writer) => { writer.Write(value.ToString()); return true; }),
    ];
}
