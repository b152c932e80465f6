using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FromScratch.Notebooks.Engine;
using FromScratch.Notebooks.Export;
using FromScratch.Notebooks.Format;
using Markdig;

namespace FromScratch.Notebooks.Site;

/// <summary>One lesson page of the site.</summary>
/// <param name="Notebook">The notebook and its executed copy.</param>
/// <param name="Document">The executed notebook.</param>
/// <param name="Title">The notebook's first heading (or its file name).</param>
internal sealed record Lesson(ExecutedNotebook Notebook, NotebookDocument Document, string Title)
{
    /// <summary>The page's file name, e.g. "03-gradient-descent.html".</summary>
    public string PageName => Notebook.Stem + ".html";
}

/// <summary>What <see cref="SiteBuilder.Build"/> wrote.</summary>
/// <param name="Pages">Every HTML file written (index first), full paths.</param>
/// <param name="Figures">Number of interactive figures over all pages.</param>
internal sealed record SiteResult(IReadOnlyList<string> Pages, int Figures);

/// <summary>
/// Renders executed notebooks into a static, fully offline site: index.html with the lesson list, one page per
/// lesson (markdown through Markdig with readable math, highlighted C#, text outputs with ✔/✘ lines marked,
/// interactive plotly figures, math typeset by KaTeX, previous/next links), plus style.css, plotly.min.js and katex/, all local files.
/// </summary>
internal static partial class SiteBuilder
{
    /// <summary>The course's name, on every page.</summary>
    public const string CourseTitle = "Deep learning from scratch, in C# notebooks";

    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    /// <summary>Writes the site into <paramref name="outFolder"/> (each file atomically) and removes pages of lessons that are gone.</summary>
    public static SiteResult Build(IReadOnlyList<ExecutedNotebook> notebooks, string outFolder, string plotlyJavaScript)
    {
        Directory.CreateDirectory(outFolder);
        var lessons = notebooks.Select(n =>
        {
            var document = n.Load();
            return new Lesson(n, document, TitleOf(document) ?? n.Stem);
        }).ToList();

        WriteIfChanged(Path.Combine(outFolder, "plotly.min.js"), plotlyJavaScript);
        WriteIfChanged(Path.Combine(outFolder, "style.css"), Style);
        VendoredAssets.Write("katex", outFolder);

        var pages = new List<string>();
        string index = Path.Combine(outFolder, "index.html");
        AtomicFile.WriteAllText(index, IndexPage(lessons));
        pages.Add(index);
        int figures = 0;
        for (int i = 0; i < lessons.Count; i++)
        {
            SlideDeck.Write(lessons[i].Document, lessons[i].Title, Path.Combine(outFolder, "slides", lessons[i].PageName), plotlyJavaScript, withCode: false);
            var (html, count) = LessonPage(lessons[i], i > 0 ? lessons[i - 1] : null, i + 1 < lessons.Count ? lessons[i + 1] : null);
            string path = Path.Combine(outFolder, lessons[i].PageName);
            AtomicFile.WriteAllText(path, html);
            pages.Add(path);
            figures += count;
        }
        string? notes = lessons.Count == 0 ? null : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(lessons[0].Notebook.SourcePath))!, "notes");
        if (notes is not null) NotePages(notes, outFolder);
        var keep = new HashSet<string>(pages, StringComparer.Ordinal);
        foreach (string stale in Directory.GetFiles(outFolder, "*.html").Where(p => !keep.Contains(p)))
            File.Delete(stale);
        return new SiteResult(pages, figures);
    }

    /// <summary>The text of the notebook's first markdown heading, without markup; null when there is none.</summary>
    public static string? TitleOf(NotebookDocument notebook)
    {
        foreach (var cell in notebook.Cells.Where(c => c.CellType == "markdown"))
        {
            foreach (string line in cell.Source.Split('\n'))
            {
                var match = Heading().Match(line);
                if (match.Success) return Markdig.Markdown.ToPlainText(match.Groups[1].Value.Trim()).Trim();
            }
        }
        return null;
    }

    private static string IndexPage(IReadOnlyList<Lesson> lessons)
    {
        var body = new StringBuilder();
        body.Append("<h1>").Append(Encode(CourseTitle)).Append("</h1>\n");
        if (lessons.Count == 0) body.Append("<p>No lessons yet.</p>\n");
        else
        {
            // The titles carry the course's own numbering ("Lesson 0 — …"), so the list adds none.
            body.Append("<ul class=\"lessons\">\n");
            foreach (var lesson in lessons)
                body.Append(CultureInfo.InvariantCulture, $"  <li><a href=\"{Attribute(lesson.PageName)}\">{Encode(lesson.Title)}</a> <span class=\"file\">{Encode(Path.GetFileName(lesson.Notebook.SourcePath))}</span> · <a class=\"deck\" href=\"slides/{Attribute(lesson.PageName)}\">slides</a></li>\n");
            body.Append("</ul>\n");
        }
        body.Append("<p class=\"note\">Every lesson was run before this site was built: the outputs and figures are the real ones. ")
            .Append("Run them yourself with <code>dotnet run --project tools/Notebooks</code>.</p>\n");
        return Page(CourseTitle, body.ToString(), nav: "", lessonPage: false);
    }

    private static (string Html, int Figures) LessonPage(Lesson lesson, Lesson? previous, Lesson? next)
    {
        string nav = Navigation(previous, next);
        var body = new StringBuilder();
        int figures = 0;
        var cells = lesson.Document.Cells;
        for (int i = 0; i < cells.Count; i++)
        {
            var cell = cells[i];
            switch (cell.CellType)
            {
                case "markdown":
                    body.Append("<section class=\"markdown\">\n").Append(LocalLinks(MarkdownHtml(cell.Source))).Append("</section>\n");
                    break;
                case "code":
                    string count = cell.Json["execution_count"] is JsonValue n ? n.ToJsonString() : " ";
                    body.Append(CultureInfo.InvariantCulture, $"<section class=\"cell\" id=\"cell{i + 1:00}\">\n<div class=\"prompt\">[{Encode(count)}]</div>\n")
                        .Append("<pre class=\"code\"><code>").Append(CSharpHighlighter.ToHtml(cell.Source)).Append("</code></pre>\n");
                    if (cell.Json["outputs"] is JsonArray outputs)
                        foreach (var output in outputs.OfType<JsonObject>())
                            body.Append(Output(output, lesson.Notebook.Stem, i + 1, ref figures));
                    body.Append("</section>\n");
                    break;
                default:
                    body.Append("<pre class=\"raw\">").Append(Encode(cell.Source)).Append("</pre>\n");
                    break;
            }
        }
        string deck = $"<p class=\"deck\"><a href=\"slides/{Attribute(lesson.PageName)}\">This lesson as slides</a> (offline; S shows the speaker notes)</p>\n";
        string content = nav + deck + body + nav;
        return (Page(lesson.Title, content, nav: "", lessonPage: true), figures);
    }

    private static string MarkdownHtml(string markdown) =>
        MathText.Readable(Markdig.Markdown.ToHtml(MathText.DisplayMathOnOwnLines(markdown), Markdown));

    /// <summary>
    /// Links between the course's files, made to work on the site: a lesson's <c>05-x.ipynb</c> is the page
    /// <c>05-x.html</c>, and a note's <c>notes/x.md</c> is the page <c>notes/x.html</c> (also from inside notes/,
    /// as <c>../05-x.ipynb</c>). Links elsewhere are left alone.
    /// </summary>
    internal static string LocalLinks(string html) =>
        NoteLink().Replace(LessonLink().Replace(html, m => $"href=\"{m.Groups[1].Value}{m.Groups[2].Value}.html{m.Groups[3].Value}\""),
            m => $"href=\"notes/{m.Groups[1].Value}.html{m.Groups[2].Value}\"");

    [GeneratedRegex(@"href=""((?:\.\./)?)([A-Za-z0-9_-]+)\.ipynb(#[^""]*)?""")]
    private static partial Regex LessonLink();

    [GeneratedRegex(@"href=""notes/([A-Za-z0-9_-]+)\.md(#[^""]*)?""")]
    private static partial Regex NoteLink();

    /// <summary>
    /// The course's notes (<c>notebooks/notes/*.md</c>, e.g. the eigenvalue note lessons 5 and 6 link to) as pages in
    /// <c>notes/</c> of the site, with math typeset like the lessons'. Returns the pages written.
    /// </summary>
    internal static IReadOnlyList<string> NotePages(string notesFolder, string outFolder)
    {
        if (!Directory.Exists(notesFolder)) return [];
        var written = new List<string>();
        foreach (string note in Directory.GetFiles(notesFolder, "*.md").Order(StringComparer.Ordinal))
        {
            string markdown = File.ReadAllText(note);
            var heading = Regex.Match(markdown, @"^#\s+(.+)$", RegexOptions.Multiline);
            string title = heading.Success ? Markdig.Markdown.ToPlainText(heading.Groups[1].Value).Trim() : Path.GetFileNameWithoutExtension(note);
            string body = $"<nav class=\"pager\"><a class=\"home\" href=\"../index.html\">All lessons</a></nav>\n<section class=\"markdown\">\n{LocalLinks(MarkdownHtml(markdown))}</section>\n";
            string page = Page(title, body, nav: "", lessonPage: false)
                .Replace("href=\"style.css\"", "href=\"../style.css\"", StringComparison.Ordinal)
                .Replace("href=\"index.html\"", "href=\"../index.html\"", StringComparison.Ordinal)
                .Replace("</head>", VendoredAssets.KatexHead("../katex") + "</head>", StringComparison.Ordinal);
            string path = Path.Combine(outFolder, "notes", Path.GetFileNameWithoutExtension(note) + ".html");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            AtomicFile.WriteAllText(path, page);
            written.Add(path);
        }
        return written;
    }

    private static string Output(JsonObject output, string stem, int cellNumber, ref int figures)
    {
        switch ((string?)output["output_type"])
        {
            case "stream":
                string name = (string?)output["name"] == "stderr" ? "stderr" : "stdout";
                return $"<pre class=\"output {name}\">{Checks(NotebookDocument.FromMultiline(output["text"]))}</pre>\n";
            case "error":
                string traceback = string.Join("\n", (output["traceback"] as JsonArray ?? []).Select(l => (string?)l ?? ""));
                return $"<pre class=\"output error\">{Encode(AnsiEscape().Replace(traceback.Length > 0 ? traceback : $"{output["ename"]}: {output["evalue"]}", ""))}</pre>\n";
            case "execute_result" or "display_data":
                var data = output["data"] as JsonObject ?? [];
                if (data[MimeTypes.Plotly] is JsonObject figure)
                {
                    string id = $"figure-{stem}-cell{cellNumber:00}-{++figures}";
                    return FigureElement(figure, id);
                }
                if (data[MimeTypes.Html] is { } html) return $"<div class=\"output html\">{NotebookDocument.FromMultiline(html)}</div>\n";
                if (data["image/png"] is { } png) return $"<div class=\"output image\"><img alt=\"output\" src=\"data:image/png;base64,{Attribute(NotebookDocument.FromMultiline(png).Trim())}\"></div>\n";
                if (data["image/svg+xml"] is { } svg) return $"<div class=\"output image\">{NotebookDocument.FromMultiline(svg)}</div>\n";
                if (data[MimeTypes.PlainText] is { } text) return $"<pre class=\"output result\">{Checks(NotebookDocument.FromMultiline(text))}</pre>\n";
                return "";
            default:
                return "";
        }
    }

    /// <summary>A figure container plus the script that draws it with the site's local plotly.min.js.</summary>
    internal static string FigureElement(JsonObject figure, string id)
    {
        var config = figure["config"] as JsonObject ?? new JsonObject { ["responsive"] = true, ["displaylogo"] = false };
        int height = NotebookFigures.HeightOf(figure, 500);
        string json = new JsonObject { ["data"] = figure["data"]?.DeepClone() ?? new JsonArray(), ["layout"] = figure["layout"]?.DeepClone() ?? new JsonObject(), ["config"] = config.DeepClone() }.ToJsonString();
        return $"<div class=\"figure\" id=\"{Attribute(id)}\" style=\"height:{height}px\"></div>\n"
            + $"<script>(function () {{ var f = {ScriptSafe(json)}; Plotly.newPlot(\"{id}\", f.data, f.layout, f.config); }})();</script>\n";
    }

    /// <summary>Text output, HTML-encoded, with lines that start with ✔ or ✘ marked as passed or failed checks.</summary>
    internal static string Checks(string text)
    {
        var lines = text.Split('\n');
        return string.Join("\n", lines.Select(line =>
        {
            string trimmed = line.TrimStart();
            if (trimmed.StartsWith('✔')) return $"<span class=\"pass\">{Encode(line)}</span>";
            if (trimmed.StartsWith('✘')) return $"<span class=\"fail\">{Encode(line)}</span>";
            return Encode(line);
        }));
    }

    private static string Navigation(Lesson? previous, Lesson? next)
    {
        var nav = new StringBuilder("<nav class=\"pager\">");
        nav.Append(previous is null ? "<span class=\"prev\"></span>" : $"<a class=\"prev\" rel=\"prev\" href=\"{Attribute(previous.PageName)}\">← {Encode(previous.Title)}</a>");
        nav.Append("<a class=\"home\" href=\"index.html\">All lessons</a>");
        nav.Append(next is null ? "<span class=\"next\"></span>" : $"<a class=\"next\" rel=\"next\" href=\"{Attribute(next.PageName)}\">{Encode(next.Title)} →</a>");
        return nav.Append("</nav>\n").ToString();
    }

    private static string Page(string title, string body, string nav, bool lessonPage) =>
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        + $"<title>{Encode(title)}</title>\n<link rel=\"stylesheet\" href=\"style.css\">\n"
        + (lessonPage ? "<script src=\"plotly.min.js\"></script>\n" + VendoredAssets.KatexHead("katex") : "")
        + "</head>\n<body>\n"
        + $"<header><a href=\"index.html\">{Encode(CourseTitle)}</a></header>\n<main>\n"
        + nav + body
        + "</main>\n</body>\n</html>\n";

    private static void WriteIfChanged(string path, string text)
    {
        if (File.Exists(path) && File.ReadAllText(path) == text) return;
        AtomicFile.WriteAllText(path, text);
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Attribute(string text) => WebUtility.HtmlEncode(text);

    // "</script" in JSON inside a script element would end it; "<\/" means the same to JavaScript.
    internal static string ScriptSafe(string json) => json.Replace("</", "<\\/", StringComparison.Ordinal);

    [GeneratedRegex(@"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"\x1B\[[0-9;]*[A-Za-z]")]
    private static partial Regex AnsiEscape();

    private const string Style = """
        :root { --ink: #1d2330; --muted: #667085; --line: #e3e6ec; --code-bg: #f6f8fa; --accent: #1f77b4; }
        * { box-sizing: border-box; }
        body { margin: 0; color: var(--ink); background: #fff; font: 16px/1.6 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        header { border-bottom: 1px solid var(--line); padding: 0.6rem 1.5rem; background: #fafbfc; }
        header a { color: var(--ink); text-decoration: none; font-weight: 600; }
        main { max-width: 960px; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
        a { color: var(--accent); }
        h1, h2, h3 { line-height: 1.25; }
        .lessons { list-style: none; padding-left: 0; }
        .lessons li { margin: 0.4rem 0; }
        .lessons .file, .note { color: var(--muted); font-size: 0.9rem; }
        .pager { display: flex; justify-content: space-between; gap: 1rem; margin: 1rem 0; padding: 0.5rem 0; border-top: 1px solid var(--line); border-bottom: 1px solid var(--line); font-size: 0.95rem; }
        .pager .next { text-align: right; }
        .cell { position: relative; margin: 1rem 0; }
        .prompt { position: absolute; left: -4.2rem; width: 3.8rem; text-align: right; color: var(--muted); font: 0.8rem/1.9 ui-monospace, Menlo, Consolas, monospace; }
        pre { margin: 0.4rem 0; padding: 0.6rem 0.8rem; overflow-x: auto; font: 0.88rem/1.45 ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; }
        pre.code { background: var(--code-bg); border: 1px solid var(--line); border-radius: 6px; }
        pre.output { border-left: 3px solid var(--line); }
        pre.stderr { background: #fff8e6; }
        pre.error { background: #fdecec; border-left-color: #d62728; color: #7a1010; }
        code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.9em; }
        .kw { color: #0033b3; font-weight: 600; }
        .str { color: #067d17; }
        .com { color: #8c8c8c; font-style: italic; }
        .num { color: #1750eb; }
        .dir { color: #9e4f00; }
        .pass { color: #137333; font-weight: 600; }
        .fail { color: #c5221f; font-weight: 600; }
        .figure { width: 100%; margin: 0.5rem 0; }
        .math { font-family: "Cambria Math", "STIX Two Math", "Latin Modern Math", serif; font-style: italic; white-space: nowrap; }
        div.math { display: block; text-align: center; margin: 0.8rem 0; font-size: 1.1em; }
        table { border-collapse: collapse; margin: 0.8rem 0; }
        th, td { border: 1px solid var(--line); padding: 0.25rem 0.6rem; }
        img { max-width: 100%; }
        @media (max-width: 1100px) { .prompt { position: static; text-align: left; width: auto; } }

        """;
}
