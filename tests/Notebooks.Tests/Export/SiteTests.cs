using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FromScratch.Notebooks.Export;
using FromScratch.Notebooks.Format;
using FromScratch.Notebooks.Site;

namespace FromScratch.Notebooks.Tests.Export;

/// <summary>The temp course rendered once as a site.</summary>
public sealed class BuiltSite : IAsyncLifetime
{
    public TempCourse Course { get; } = new();
    public (int ExitCode, string Log) Run { get; private set; }
    public string Folder => Path.Combine(Course.Out, "site");
    public string[] Pages => Directory.GetFiles(Folder, "*.html").Order(StringComparer.Ordinal).ToArray();

    public async Task InitializeAsync() => Run = await Course.Site();

    public Task DisposeAsync()
    {
        Course.Dispose();
        return Task.CompletedTask;
    }

    public string Page(string name)
    {
        Assert.True(Run.ExitCode == 0, $"site exited {Run.ExitCode}:\n{Run.Log}");
        return File.ReadAllText(Path.Combine(Folder, name));
    }
}

public partial class SiteTests(BuiltSite site) : IClassFixture<BuiltSite>
{
    [Fact]
    public void Index_lists_every_lesson_by_its_first_heading_in_file_order()
    {
        string index = site.Page("index.html");
        var links = LessonLink().Matches(index).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();
        Assert.Equal([("01-optimizers.html", "Optimizers compared"), ("02-template.html", "02-template"), ("03-fake.html", "03-fake")], links);
        Assert.Equal(["01-optimizers.html", "02-template.html", "03-fake.html", "index.html"], site.Pages.Select(p => Path.GetFileName(p)).ToArray());
    }

    [Fact]
    public void Lesson_pages_link_previous_and_next()
    {
        string first = site.Page("01-optimizers.html"), middle = site.Page("02-template.html"), last = site.Page("03-fake.html");
        Assert.DoesNotContain("rel=\"prev\"", first);
        Assert.Contains("rel=\"next\" href=\"02-template.html\"", first);
        Assert.Contains("rel=\"prev\" href=\"01-optimizers.html\"", middle);
        Assert.Contains("rel=\"next\" href=\"03-fake.html\"", middle);
        Assert.Contains("rel=\"prev\" href=\"02-template.html\"", last);
        Assert.DoesNotContain("rel=\"next\"", last);
    }

    [Fact]
    public void Nothing_is_loaded_from_the_network_and_plotly_js_is_one_local_file()
    {
        site.Page("index.html");
        Assert.Single(Directory.GetFiles(site.Folder, "*.js"));
        Assert.Contains("plotly.js v2.", File.ReadAllText(Path.Combine(site.Folder, "plotly.min.js"))[..200]);
        foreach (string page in site.Pages)
        {
            string html = File.ReadAllText(page);
            // Any element that loads something (script, stylesheet, image, frame, media) must load a local file.
            foreach (Match m in LoadingElement().Matches(html))
                Assert.Fail($"{Path.GetFileName(page)} loads from the network: {m.Value}");
            Assert.Contains("<link rel=\"stylesheet\" href=\"style.css\">", html);
            Assert.DoesNotContain("plotly.js v2", html); // not inlined: every page shares the one file
            if (Path.GetFileName(page) != "index.html") Assert.Contains("<script src=\"plotly.min.js\"></script>", html);
        }
    }

    [Fact]
    public void Lesson_page_has_markdown_math_highlighted_code_outputs_and_figures()
    {
        string html = site.Page("01-optimizers.html");
        Assert.Contains("<h1 id=\"optimizers-compared\">Optimizers compared</h1>", html);
        Assert.Contains("<span class=\"math\" data-tex=\"w \\gets w - \\eta \\cdot \\nabla L\">w ← w - η · ∇ L</span>", html);
        Assert.Contains("<span class=\"dir\">#r &quot;../build/lib/FromScratch.dll&quot;</span>", html);
        Assert.Contains("<span class=\"kw\">var</span> sgd = <span class=\"kw\">new</span> <span class=\"kw\">double</span>[] { <span class=\"num\">1.0</span>", html);
        Assert.Contains("<span class=\"com\">// the answer</span>", html);
        Assert.Contains("<span class=\"pass\">✔ loss falls: 1 → 0.25</span>", html);
        Assert.Contains("<pre class=\"output result\">42</pre>", html);
        Assert.Equal(4, FigureDiv().Matches(html).Count); // three course figures and a chart of Plotly.NET's own API
    }

    [SkippableFact]
    public async Task Every_page_loads_in_a_browser_without_console_errors_and_draws_every_figure()
    {
        Browser.Require();
        site.Page("index.html");
        var expected = Directory.GetFiles(Path.Combine(site.Course.Out, "notebooks"), "*.ipynb")
            .ToDictionary(p => Path.GetFileNameWithoutExtension(p) + ".html",
                p => NotebookFigures.Read(NotebookDocument.Load(p), "x").Select(f => f.Figure["data"]!.AsArray().Count).ToArray());
        expected["index.html"] = [];
        Assert.Contains(expected.Values, traces => traces.Length > 0);

        await using var browser = await HeadlessBrowser.LaunchAsync();
        foreach (string page in site.Pages)
        {
            string name = Path.GetFileName(page);
            await using var tab = await browser.OpenPageAsync();
            await tab.NavigateAsync(new Uri(page).AbsoluteUri);
            // Wait (up to 20 s) until every figure container holds a plotly drawing, then count per container.
            var counts = await tab.EvaluateAsync("""
                (async () => {
                  const figures = () => Array.from(document.querySelectorAll('div.figure'));
                  const deadline = Date.now() + 20000;
                  while (Date.now() < deadline && !figures().every(f => f.querySelector('.main-svg'))) await new Promise(r => setTimeout(r, 50));
                  return figures().map(f => ({ svgs: f.querySelectorAll('.main-svg').length, traces: f.querySelectorAll('g.trace').length }));
                })()
                """) as JsonArray;
            Assert.True(tab.ConsoleErrors.Count == 0, $"{name}: console errors:\n{string.Join("\n", tab.ConsoleErrors)}");
            Assert.NotNull(counts);
            Assert.Equal(expected[name].Length, counts.Count);
            for (int i = 0; i < counts.Count; i++)
            {
                Assert.True((int)counts[i]!["svgs"]! > 0, $"{name}: figure {i + 1} was not drawn");
                Assert.True(expected[name][i] == (int)counts[i]!["traces"]!, $"{name}: figure {i + 1} shows {counts[i]!["traces"]} traces, the notebook has {expected[name][i]}");
            }
            string title = (string?)await tab.EvaluateAsync("document.title") ?? "";
            Assert.False(string.IsNullOrWhiteSpace(title), $"{name} has no title");
        }
    }

    [SkippableFact]
    public async Task The_browser_test_sees_console_errors_and_undrawn_figures()
    {
        // The check above must be able to fail: a page with a missing script and a figure nobody draws.
        Browser.Require();
        string folder = TestSupport.TempFolder();
        string page = Path.Combine(folder, "broken.html");
        File.WriteAllText(page, "<!DOCTYPE html><html><head><script src=\"missing.js\"></script></head><body><div class=\"figure\"></div><script>console.error('boom');</script></body></html>");
        await using (var browser = await HeadlessBrowser.LaunchAsync())
        await using (var tab = await browser.OpenPageAsync())
        {
            await tab.NavigateAsync(new Uri(page).AbsoluteUri);
            // The console events may arrive just after the load event: wait for them (the limit only guards against a hang).
            for (var deadline = DateTime.UtcNow.AddSeconds(30); tab.ConsoleErrors.Count < 2 && DateTime.UtcNow < deadline;)
                await Task.Delay(50);
            Assert.Contains(tab.ConsoleErrors, e => e.Contains("boom", StringComparison.Ordinal));
            Assert.Contains(tab.ConsoleErrors, e => e.Contains("missing.js", StringComparison.Ordinal));
            Assert.Equal(0, (int)(await tab.EvaluateAsync("document.querySelectorAll('div.figure .main-svg').length"))!);
            await Assert.ThrowsAsync<BrowserException>(() => tab.EvaluateAsync("undefinedFunction()"));
        }
        Directory.Delete(folder, recursive: true);
    }

    [Theory]
    [InlineData("var x = 1;", "<span class=\"kw\">var</span> x = <span class=\"num\">1</span>;")]
    [InlineData("s = \"a \\\"b\\\" // no\"; // yes", "s = <span class=\"str\">&quot;a \\&quot;b\\&quot; // no&quot;</span>; <span class=\"com\">// yes</span>")]
    [InlineData("@\"C:\\x\"\"y\" + $\"{n}\"", "<span class=\"str\">@&quot;C:\\x&quot;&quot;y&quot;</span> + <span class=\"str\">$&quot;{n}&quot;</span>")]
    [InlineData("a < 1e-6 && b > 0x1F", "a &lt; <span class=\"num\">1e-6</span> &amp;&amp; b &gt; <span class=\"num\">0x1F</span>")]
    [InlineData("/* c */ int i2 = 'x';", "<span class=\"com\">/* c */</span> <span class=\"kw\">int</span> i2 = <span class=\"str\">&#39;x&#39;</span>;")]
    [InlineData("#r \"a.dll\"\n  x[#0]", "<span class=\"dir\">#r &quot;a.dll&quot;</span>\n  x[#<span class=\"num\">0</span>]")]
    [InlineData("\"\"\"raw \" text\"\"\"", "<span class=\"str\">&quot;&quot;&quot;raw &quot; text&quot;&quot;&quot;</span>")]
    public void Highlighter_marks_keywords_strings_comments_numbers_and_directives(string code, string html) =>
        Assert.Equal(html, CSharpHighlighter.ToHtml(code));

    [Theory]
    [InlineData(@"\hat{y} = \sigma(z)", "y\u0302 = σ(z)")] // y + combining circumflex
    [InlineData(@"dW = \frac{1}{m} dZ \cdot A^T", "dW = (1)/(m) dZ · Aᵀ")]
    [InlineData(@"x_1^2 + W^{[l]}", "x₁² + W^([l])")]
    public void Math_becomes_readable_text(string tex, string text) => Assert.Equal(text, MathText.ToText(tex));

    [Fact]
    public void Check_lines_are_marked_and_html_encoded()
    {
        Assert.Equal("<span class=\"pass\">✔ a &lt; b</span>\nplain\n<span class=\"fail\">  ✘ bad</span>",
            SiteBuilder.Checks("✔ a < b\nplain\n  ✘ bad"));
    }

    [GeneratedRegex(@"<li><a href=""([^""]+)"">([^<]+)</a>")]
    private static partial Regex LessonLink();

    [GeneratedRegex(@"<(?:script|link|img|iframe|audio|video|source|embed)\b[^>]*\b(?:src|href)\s*=\s*[""']?\s*(?:https?:)?//[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex LoadingElement();

    [GeneratedRegex(@"<div class=""figure"" id=""figure-01-optimizers-cell\d\d-\d+""")]
    private static partial Regex FigureDiv();
}
