using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FromScratch.Notebooks.Engine;
using FromScratch.Notebooks.Export;
using FromScratch.Notebooks.Format;
using Markdig;
using Markdig.Syntax;

namespace FromScratch.Notebooks.Site;

/// <summary>
/// One executed lesson as an offline reveal.js slide deck (<c>export --format slides</c>, and the site's decks).
/// The defaults: every heading starts a slide (the lesson's title makes the title slide), a slide keeps its
/// headings, lists, tables, formulas and its first short paragraph, and the rest of the prose goes into the speaker
/// notes (press S); every figure gets a slide of its own, live (plotly, sliders kept), styled like the slide preset;
/// code cells and their text output appear only when asked (<c>--code</c>). A cell's <c>slideshow.slide_type</c>
/// metadata — <c>slide</c>, <c>subslide</c>, <c>fragment</c>, <c>skip</c>, <c>notes</c>, as for
/// <c>jupyter nbconvert --to slides</c> — overrides the defaults for that cell.
/// </summary>
internal static class SlideDeck
{
    /// <summary>The deck's canvas in CSS pixels: the slide preset's size, so its fonts and lines look the same.</summary>
    public const int Width = SlidePreset.Width, Height = SlidePreset.Height;

    /// <summary>Prose longer than this (in characters of plain text) goes into the speaker notes.</summary>
    private const int ShortParagraph = 260;

    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    /// <summary>A slide being filled: its visible HTML and its speaker notes.</summary>
    private sealed class Slide(bool vertical)
    {
        public bool Vertical { get; } = vertical;
        public StringBuilder Body { get; } = new();
        public StringBuilder Notes { get; } = new();
        public bool HasParagraph { get; set; }
        public bool IsEmpty => Body.Length == 0 && Notes.Length == 0;
    }

    /// <summary>
    /// Writes the deck of <paramref name="document"/> to <paramref name="path"/> (atomically) and the files it loads —
    /// reveal/, katex/ and plotly.min.js — into the same folder. Returns the number of slides and of figures.
    /// </summary>
    public static (int Slides, int Figures) Write(NotebookDocument document, string title, string path, string plotlyJavaScript, bool withCode)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        VendoredAssets.Write("reveal", folder);
        VendoredAssets.Write("katex", folder);
        string plotlyPath = Path.Combine(folder, "plotly.min.js");
        if (!File.Exists(plotlyPath) || File.ReadAllText(plotlyPath) != plotlyJavaScript) AtomicFile.WriteAllText(plotlyPath, plotlyJavaScript);

        var slides = Build(document, withCode, out var figures);
        AtomicFile.WriteAllText(path, Page(title, slides, figures));
        return (slides.Count(s => !s.IsEmpty), figures.Count);
    }

    private static List<Slide> Build(NotebookDocument document, bool withCode, out List<JsonObject> figures)
    {
        figures = [];
        var preset = new SlidePreset(); // one per deck: a series keeps its colour across the lesson
        var slides = new List<Slide> { new(vertical: false) };
        Slide Current() => slides[^1];
        Slide Start(bool vertical)
        {
            if (Current().IsEmpty) slides.RemoveAt(slides.Count - 1);
            slides.Add(new Slide(vertical));
            return Current();
        }
        string heading = "";

        foreach (var cell in document.Cells)
        {
            string type = cell.Json["metadata"]?["slideshow"]?["slide_type"]?.GetValue<string>() ?? "-";
            if (type == "skip") continue;
            if (type == "slide") Start(vertical: false);
            else if (type == "subslide") Start(vertical: true);
            bool toNotes = type == "notes", fragment = type == "fragment";
            var target = new StringBuilder();

            if (cell.CellType == "markdown")
            {
                string markdown = MathText.DisplayMathOnOwnLines(cell.Source);
                foreach (var block in Markdig.Markdown.Parse(markdown, Markdown))
                {
                    string html = MathText.Readable(Markdig.Markdown.ToHtml(markdown.Substring(block.Span.Start, block.Span.Length), Markdown));
                    if (block is HeadingBlock h && h.Level <= 3 && !toNotes)
                    {
                        // A heading starts a slide (### a vertical one below it), unless the slide is still empty.
                        Flush(Current(), target, fragment);
                        if (!Current().IsEmpty) Start(vertical: h.Level == 3);
                        heading = Markdig.Markdown.ToPlainText(markdown.Substring(block.Span.Start, block.Span.Length)).Trim();
                        Current().Body.Append(html);
                        continue;
                    }
                    if (toNotes || !fragment && IsProse(block, markdown, Current())) // a fragment is shown, as asked
                        Current().Notes.Append(html);
                    else
                    {
                        if (block is ParagraphBlock) Current().HasParagraph = true;
                        target.Append(html);
                    }
                }
            }
            else if (cell.IsCode)
            {
                if (withCode && !toNotes)
                    target.Append("<pre class=\"code\"><code>").Append(CSharpHighlighter.ToHtml(cell.Source)).Append("</code></pre>\n");
                foreach (var output in (cell.Json["outputs"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    if (output["data"]?[MimeTypes.Plotly] is JsonObject figure)
                    {
                        Flush(Current(), target, fragment);
                        var copy = (JsonObject)figure.DeepClone();
                        preset.Apply(copy);
                        figures.Add(copy);
                        var slide = Start(vertical: false);
                        if (heading.Length > 0) slide.Body.Append(CultureInfo.InvariantCulture, $"<h3>{WebUtility.HtmlEncode(heading)}</h3>\n");
                        slide.Body.Append(CultureInfo.InvariantCulture, $"<div class=\"figure\" data-figure=\"{figures.Count - 1}\"></div>\n");
                        Start(vertical: false);
                        continue;
                    }
                    if (withCode && (string?)output["output_type"] == "stream")
                        target.Append("<pre class=\"output\">").Append(SiteBuilder.Checks(NotebookDocument.FromMultiline(output["text"]))).Append("</pre>\n");
                }
            }
            if (toNotes) Current().Notes.Append(target);
            else Flush(Current(), target, fragment);
        }
        if (Current().IsEmpty) slides.RemoveAt(slides.Count - 1);
        // A slide with nothing to show but notes (prose after a figure, say) would be blank: its notes join the slide before.
        for (int i = slides.Count - 1; i > 0; i--)
        {
            if (slides[i].Body.ToString().Trim().Length > 0) continue;
            slides[i - 1].Notes.Append(slides[i].Notes);
            slides.RemoveAt(i);
        }
        return slides;
    }

    private static void Flush(Slide slide, StringBuilder html, bool fragment)
    {
        if (html.Length == 0) return;
        if (fragment) slide.Body.Append("<div class=\"fragment\">\n").Append(html).Append("</div>\n");
        else slide.Body.Append(html);
        html.Clear();
    }

    /// <summary>Long prose, "Expected output" lines and second paragraphs go to the notes; formulas never do.</summary>
    private static bool IsProse(Block block, string markdown, Slide slide)
    {
        if (block is not ParagraphBlock) return false;
        string source = markdown.Substring(block.Span.Start, block.Span.Length).Trim();
        if (source.StartsWith("$$", StringComparison.Ordinal)) return false;
        if (source.StartsWith("Expected output", StringComparison.OrdinalIgnoreCase)) return true;
        return slide.HasParagraph || Markdig.Markdown.ToPlainText(source).Length > ShortParagraph;
    }

    private static string Page(string title, List<Slide> slides, List<JsonObject> figures)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append(CultureInfo.InvariantCulture, $"<title>{WebUtility.HtmlEncode(title)}</title>\n")
            .Append("<link rel=\"stylesheet\" href=\"reveal/reveal.css\">\n<link rel=\"stylesheet\" href=\"reveal/theme/white.css\">\n")
            .Append(VendoredAssets.KatexHead("katex"))
            .Append("<script src=\"plotly.min.js\"></script>\n")
            .Append("<style>\n")
            .Append("  .reveal { font-size: 34px; }\n")
            .Append("  .reveal .slides section { text-align: left; }\n")
            .Append("  .reveal h1, .reveal h2, .reveal h3 { text-transform: none; }\n")
            .Append("  .reveal .figure { width: 1500px; height: 720px; margin: 0 auto; }\n")
            .Append("  .reveal pre.code, .reveal pre.output { font-size: 0.5em; box-shadow: none; background: #f6f8fa; width: 100%; }\n")
            .Append("  .reveal .pass { color: #1a7f37; } .reveal .fail { color: #cf222e; }\n")
            .Append("  .reveal .math.katex-display, .reveal div.math { text-align: center; }\n")
            .Append("</style>\n</head>\n<body>\n<div class=\"reveal\">\n<div class=\"slides\">\n");
        bool inStack = false;
        for (int i = 0; i < slides.Count; i++)
        {
            var slide = slides[i];
            bool nextVertical = i + 1 < slides.Count && slides[i + 1].Vertical;
            if (!slide.Vertical && nextVertical) { html.Append("<section>\n"); inStack = true; }
            html.Append("<section>\n").Append(slide.Body);
            if (slide.Notes.Length > 0) html.Append("<aside class=\"notes\">\n").Append(slide.Notes).Append("</aside>\n");
            html.Append("</section>\n");
            if (inStack && !nextVertical) { html.Append("</section>\n"); inStack = false; }
        }
        html.Append("</div>\n</div>\n")
            .Append("<script src=\"reveal/reveal.js\"></script>\n<script src=\"reveal/plugin/notes.js\"></script>\n")
            .Append("<script>\n")
            .Append("var figures = ").Append(SiteBuilder.ScriptSafe(new JsonArray([.. figures.Select(f => (JsonNode)f)]).ToJsonString())).Append(";\n")
            .Append("function drawFigures(slide) {\n")
            .Append("  if (!slide) return;\n")
            .Append("  slide.querySelectorAll('div.figure[data-figure]:not(.drawn)').forEach(function (div) {\n")
            .Append("    var f = figures[+div.getAttribute('data-figure')];\n")
            .Append("    div.classList.add('drawn');\n")
            .Append("    Plotly.newPlot(div, f.data, f.layout, f.config);\n")
            .Append("  });\n")
            .Append("}\n")
            .Append(CultureInfo.InvariantCulture, $"Reveal.initialize({{ hash: true, width: {Width}, height: {Height}, margin: 0.04, plugins: [RevealNotes] }})\n")
            .Append("  .then(function () { drawFigures(Reveal.getCurrentSlide()); });\n")
            .Append("Reveal.on('slidechanged', function (event) { drawFigures(event.currentSlide); });\n")
            .Append("</script>\n</body>\n</html>\n");
        return html.ToString();
    }
}
