using System.Text.Json.Nodes;

namespace FromScratch.Notebooks.Engine;

/// <summary>
/// One output of a cell, as the engine reports it to its host while the cell runs.
/// The shapes mirror Jupyter's output types, so both the notebook writer and the Jupyter kernel
/// can pass them on unchanged.
/// </summary>
public abstract record CellOutput;

/// <summary>Text written to Console.Out ("stdout") or Console.Error ("stderr").</summary>
/// <param name="Name">"stdout" or "stderr".</param>
/// <param name="Text">The text, usually one or more whole lines.</param>
public sealed record StreamOutput(string Name, string Text) : CellOutput;

/// <summary>A value shown with <c>display(...)</c>: Jupyter's display_data (or update_display_data).</summary>
/// <param name="Bundle">The value formatted into every MIME type that fits it.</param>
/// <param name="DisplayId">Set for an output the cell redraws in place later (a live loss curve).</param>
/// <param name="Update">True: this replaces the earlier output with the same <paramref name="DisplayId"/>
/// (Jupyter's update_display_data) instead of adding one.</param>
public sealed record DisplayOutput(MimeBundle Bundle, string? DisplayId = null, bool Update = false) : CellOutput;

/// <summary>The value of the cell's trailing expression: Jupyter's execute_result.</summary>
/// <param name="Bundle">The value formatted into every MIME type that fits it.</param>
public sealed record ResultOutput(MimeBundle Bundle) : CellOutput;

/// <summary>A compile error, an exception, a refused directive, a timeout or an interrupt: Jupyter's error output.</summary>
/// <param name="EName">The error's name, e.g. "CompilationError" or the exception type name.</param>
/// <param name="EValue">The one-line message.</param>
/// <param name="Traceback">Lines naming notebook, cell and line, then the details.</param>
public sealed record ErrorOutput(string EName, string EValue, IReadOnlyList<string> Traceback) : CellOutput;

/// <summary>
/// A value formatted into MIME types: "text/plain" always, "text/html" for HTML content and
/// figures, "application/vnd.plotly.v1+json" (a JSON object, not a string) for figures.
/// </summary>
/// <param name="Data">MIME type → JSON value (strings for text types, an object for JSON types).</param>
/// <param name="Figure">Set when the value was a figure, so a host can also save it as a file.</param>
public sealed record MimeBundle(IReadOnlyDictionary<string, JsonNode> Data, FigureData? Figure)
{
    /// <summary>The text/plain rendering.</summary>
    public string PlainText => Data.TryGetValue(MimeTypes.PlainText, out var t) ? t.GetValue<string>() : "";
}

/// <summary>A figure seen by the formatter.</summary>
/// <param name="PlotlyJson">The figure as plotly JSON, <c>{"data":[...],"layout":{...}}</c>.</param>
/// <param name="PlotlyJavaScript">The plotly.js source that draws it, when the engine could find one; null otherwise.</param>
public sealed record FigureData(string PlotlyJson, string? PlotlyJavaScript)
{
    /// <summary>A complete, self-contained, offline HTML page showing this figure (plotly.js inline).</summary>
    public string ToStandaloneHtml(string title) => FigureHtml.StandalonePage(this, title);
}

/// <summary>The MIME type names the engine produces.</summary>
public static class MimeTypes
{
    /// <summary>text/plain</summary>
    public const string PlainText = "text/plain";
    /// <summary>text/html</summary>
    public const string Html = "text/html";
    /// <summary>application/vnd.plotly.v1+json, rendered natively by VS Code and JupyterLab.</summary>
    public const string Plotly = "application/vnd.plotly.v1+json";
}
