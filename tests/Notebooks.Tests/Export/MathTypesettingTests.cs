using System.Text.Json.Nodes;
using FromScratch.Notebooks.Export;
using FromScratch.Notebooks.Site;

namespace FromScratch.Notebooks.Tests.Export;

/// <summary>
/// Every formula of every lesson is typeset by KaTeX on the site, offline: in a browser with no network, no page
/// shows a TeX command in its visible text and KaTeX reports no formula it could not read.
/// </summary>
public class MathTypesettingTests
{
    /// <summary>The site of the lessons as written (their markdown is what matters here; no outputs are needed).</summary>
    private static (string Folder, string[] Pages) LessonSite()
    {
        string folder = TestSupport.TempFolder();
        var lessons = Directory.GetFiles(Path.Combine(TestSupport.RepoRoot, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal)
            .Select(p => new ExecutedNotebook(p, p)).ToList();
        var result = SiteBuilder.Build(lessons, folder, plotlyJavaScript: "window.Plotly = { newPlot: function () {} };");
        return (folder, result.Pages.Where(p => Path.GetFileName(p) != "index.html").ToArray());
    }

    /// <summary>Visible text outside code, once KaTeX has run: TeX commands left in it, and formulas KaTeX rejected.</summary>
    private const string LeftoverTeX = """
        (async () => {
          const deadline = Date.now() + 20000;
          const pending = () => Array.from(document.querySelectorAll('.math[data-tex]')).filter(e => !e.querySelector('.katex'));
          while (Date.now() < deadline && pending().length > 0) await new Promise(r => setTimeout(r, 50));
          const formulas = document.querySelectorAll('.math[data-tex]').length;
          const errors = Array.from(document.querySelectorAll('.katex-error')).map(e => e.getAttribute('title') || e.textContent);
          const copy = document.body.cloneNode(true);
          copy.querySelectorAll('pre, code, script, .katex-mathml').forEach(e => e.remove());
          document.body.appendChild(copy); // innerText needs the copy laid out
          const text = copy.innerText;
          copy.remove();
          const commands = [...new Set(text.match(/\\[A-Za-z]+|\$\$?[^$\s][^$]*\$/g) || [])];
          return { formulas, untypeset: pending().length, errors, commands };
        })()
        """;

    [SkippableFact]
    public async Task Every_formula_of_every_lesson_is_typeset_offline()
    {
        Browser.Require();
        var (folder, pages) = LessonSite();
        Assert.True(File.Exists(Path.Combine(folder, "katex", "katex.min.js")));
        Assert.True(File.Exists(Path.Combine(folder, "katex", "fonts", "KaTeX_Main-Regular.woff2")));
        Assert.True(File.Exists(Path.Combine(folder, "katex", "LICENSE")));
        int total = 0;
        await using var browser = await HeadlessBrowser.LaunchAsync();
        foreach (string page in pages)
        {
            string name = Path.GetFileName(page);
            await using var tab = await browser.OpenPageAsync();
            await tab.NavigateAsync(new Uri(page).AbsoluteUri);
            var report = (await tab.EvaluateAsync(LeftoverTeX))!.AsObject();
            int formulas = (int)report["formulas"]!;
            total += formulas;
            Assert.True((int)report["untypeset"]! == 0, $"{name}: {report["untypeset"]} of {formulas} formulas were not typeset");
            Assert.True(report["errors"]!.AsArray().Count == 0, $"{name}: KaTeX could not read: {report["errors"]!.ToJsonString()}");
            Assert.True(report["commands"]!.AsArray().Count == 0, $"{name}: TeX left in the visible text: {report["commands"]!.ToJsonString()}");
            Assert.True(tab.ConsoleErrors.Count == 0, $"{name}: console errors:\n{string.Join("\n", tab.ConsoleErrors)}");
        }
        Assert.True(total > 200, $"only {total} formulas over {pages.Length} lessons: is math still marked for typesetting?");
        Directory.Delete(folder, recursive: true);
    }

    [SkippableFact]
    public async Task The_check_sees_TeX_that_was_not_typeset()
    {
        // Without KaTeX's script the same page shows the readable fallback and the raw TeX check must fire.
        Browser.Require();
        string folder = TestSupport.TempFolder();
        string page = Path.Combine(folder, "plain.html");
        File.WriteAllText(page, "<!DOCTYPE html><html><body><p>Rule: <span class=\"math\" data-tex=\"\\frac{1}{m}\">(1)/(m)</span>"
            + " and \\hat{y} = $x$.</p><pre>\\n in code is fine</pre></body></html>");
        await using (var browser = await HeadlessBrowser.LaunchAsync())
        await using (var tab = await browser.OpenPageAsync())
        {
            await tab.NavigateAsync(new Uri(page).AbsoluteUri);
            var report = (await tab.EvaluateAsync(LeftoverTeX.Replace("20000", "200", StringComparison.Ordinal)))!.AsObject();
            Assert.Equal(1, (int)report["untypeset"]!);
            Assert.Equal("""["\\hat","$x$"]""", report["commands"]!.ToJsonString());
        }
        Directory.Delete(folder, recursive: true);
    }

    [Theory]
    [InlineData("a\n\n$$x = 1\n+ 2$$\n\nb", "a\n\n\n$$\nx = 1\n+ 2\n$$\n\n\nb")]
    [InlineData("inline $$x = 1$$ stays", "inline $$x = 1$$ stays")]
    [InlineData("$$a$$\n$$b\nc$$", "\n$$\na\n$$\n\n\n$$\nb\nc\n$$\n")]
    [InlineData("x:\n\n$$a = 1$$\n\ny", "x:\n\n\n$$\na = 1\n$$\n\n\ny")]
    public void Display_math_across_lines_gets_lines_of_its_own(string markdown, string expected) =>
        Assert.Equal(expected, MathText.DisplayMathOnOwnLines(markdown));

    [Fact]
    public void The_site_writes_KaTeX_next_to_the_pages_and_loads_it_from_there()
    {
        var (folder, pages) = LessonSite();
        string html = File.ReadAllText(pages[0]);
        Assert.Contains("<link rel=\"stylesheet\" href=\"katex/katex.min.css\">", html);
        Assert.Contains("<script src=\"katex/katex.min.js\"></script>", html);
        Assert.Contains("class=\"math\" data-tex=\"", html);
        Assert.Contains(pages, p => File.ReadAllText(p).Contains("data-display=\"true\"", StringComparison.Ordinal)); // $$…$$ stay display formulas
        Assert.Contains("renderToString", File.ReadAllText(Path.Combine(folder, "katex", "katex.min.js")));
        Assert.Contains("Khan Academy", File.ReadAllText(Path.Combine(folder, "katex", "LICENSE")));
        Directory.Delete(folder, recursive: true);
    }
}
