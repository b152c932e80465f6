namespace FromScratch;

/// <summary>
/// A drawing the library makes (SVG), such as the graph behind an autograd <see cref="Autograd.Value"/> (lesson 13).
/// As a cell's value it shows as the picture, in our kernel and in the official .NET kernel; the site and the
/// slide decks show it too. <see cref="SaveSvg"/> writes it to a file for a slide or a document.
/// </summary>
[Display.TypeFormatterSource(typeof(Display.DiagramFormatterSource),
    PreferredMimeTypes = [Display.MimeTypes.Html, Display.MimeTypes.PlainText])]
public sealed class Diagram
{
    private readonly string _svg;
    private readonly string _description;

    private Diagram(string svg, string description)
    {
        _svg = svg;
        _description = description;
    }

    /// <summary>
    /// Lesson 13: every value <paramref name="output"/> was computed from, as a box with its number and its gradient
    /// ∂ (after <c>Backward()</c>), and every operation as a circle between its inputs and its result.
    /// </summary>
    public static Diagram ComputationGraph(Autograd.Value output)
    {
        var graph = new Autograd.ComputationGraph(output);
        return new Diagram(graph.ToSvg(), graph.ToString());
    }

    /// <summary>The drawing as a standalone SVG document.</summary>
    public string ToSvg() => _svg;

    /// <summary>Writes the drawing to <paramref name="path"/> as an SVG file (atomically).</summary>
    public void SaveSvg(string path) => AtomicFile.WriteAllText(path, _svg);

    /// <summary>What the drawing shows, in one line, e.g. "Computation graph of 9 values, output = 0.11 (∂ = 1)".</summary>
    public override string ToString() => _description;
}
