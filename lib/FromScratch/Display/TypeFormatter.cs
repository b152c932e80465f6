namespace FromScratch.Display;

/// <summary>
/// One formatter of the display convention (see <see cref="TypeFormatterSourceAttribute"/>): writes values of
/// <see cref="Type"/> as <see cref="MimeType"/>. Kernels call it by the member names, not through this class.
/// </summary>
/// <param name="mimeType">The MIME type written, e.g. "text/html".</param>
/// <param name="type">The type of value it formats.</param>
/// <param name="write">Writes one value; returns false when it cannot format that value.</param>
internal sealed class TypeFormatter(string mimeType, Type type, Func<object, TextWriter, bool> write)
{
    /// <summary>The MIME type written, e.g. "text/html".</summary>
    public string MimeType { get; } = mimeType;

    /// <summary>The type of value formatted.</summary>
    public Type Type { get; } = type;

    /// <summary>Writes <paramref name="instance"/> to <paramref name="writer"/>; false when it cannot.</summary>
    public bool Format(object instance, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        return instance is not null && Type.IsInstanceOfType(instance) && write(instance, writer);
    }
}

/// <summary>The MIME types the library's formatters write.</summary>
internal static class MimeTypes
{
    /// <summary>text/plain</summary>
    public const string PlainText = "text/plain";

    /// <summary>text/html</summary>
    public const string Html = "text/html";

    /// <summary>application/vnd.plotly.v1+json: the figure as plotly JSON, drawn natively by VS Code and JupyterLab.</summary>
    public const string Plotly = "application/vnd.plotly.v1+json";
}
