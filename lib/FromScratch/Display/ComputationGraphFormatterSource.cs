namespace FromScratch.Display;

/// <summary>How a <see cref="Autograd.ComputationGraph"/> displays: its SVG drawing as HTML, and a one-line text.</summary>
internal sealed class ComputationGraphFormatterSource
{
    /// <summary>The graph's two formatters: the SVG picture (inline HTML), plain text.</summary>
    public IEnumerable<object> CreateTypeFormatters() =>
    [
        new TypeFormatter(MimeTypes.Html, typeof(Autograd.ComputationGraph),
            (value, writer) => { writer.Write(((Autograd.ComputationGraph)value).ToSvg()); return true; }),
        new TypeFormatter(MimeTypes.PlainText, typeof(Autograd.ComputationGraph),
            (value, writer) => { writer.Write(value.ToString()); return true; }),
    ];
}
