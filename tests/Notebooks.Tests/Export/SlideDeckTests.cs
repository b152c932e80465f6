using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FromScratch.Notebooks.Format;
using FromScratch.Notebooks.Site;

namespace FromScratch.Notebooks.Tests.Export;

/// <summary>Lessons as offline reveal.js decks: structure from headings and slideshow metadata, and a real browser run.</summary>
public partial class SlideDeckTests(BuiltSite site) : IClassFixture<BuiltSite>
{
    private static NotebookDocument Notebook(params (string Type, string Source, string? SlideType)[] cells)
    {
        var array = new JsonArray();
        int n = 0;
        foreach (var (type, source, slideType) in cells)
        {
            var metadata = new JsonObject();
            if (slideType is not null) metadata["slideshow"] = new JsonObject { ["slide_type"] = slideType };
            var cell = new JsonObject { ["cell_type"] = type, ["id"] = $"c{n++}", ["metadata"] = metadata, ["source"] = source };
            if (type == "code") { cell["outputs"] = new JsonArray(); cell["execution_count"] = null; }
            array.Add(cell);
        }
        return NotebookDocument.Parse(new JsonObject { ["cells"] = array, ["metadata"] = new JsonObject(), ["nbformat"] = 4, ["nbformat_minor"] = 5 }.ToJsonString(), "t.ipynb");
    }

    private static string Deck(NotebookDocument notebook, bool withCode = false)
    {
        string path = Path.Combine(TestSupport.TempFolder(), "deck.html");
        SlideDeck.Write(notebook, "t", path, "/* plotly */", withCode);
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(path)!, "reveal", "reveal.js")));
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(path)!, "katex", "katex.min.js")));
        return File.ReadAllText(path);
    }

    private static string[] Slides(string deck) =>
        SlideSection().Matches(deck[deck.IndexOf("<div class=\"slides\">", StringComparison.Ordinal)..]).Select(m => m.Groups[1].Value).ToArray();

    [Fact]
    public void Headings_start_slides_and_long_prose_goes_to_the_notes()
    {
        string longProse = string.Join(' ', Enumerable.Repeat("This sentence explains the idea in more words.", 8));
        var deck = Deck(Notebook(
            ("markdown", "# Title\n\nShort opening line.\n\n" + longProse, null),
            ("markdown", "## Rule\n\n$$E = \\frac{1}{m}\\sum (y - \\hat y)^2$$\n\n- one\n- two\n\nExpected output: 0.5.", null),
            ("code", "var x = 1;", null)));
        string[] slides = Slides(deck);
        Assert.Equal(2, slides.Length);
        Assert.Contains("<h1", slides[0]);
        Assert.Contains("Short opening line.", slides[0][..slides[0].IndexOf("<aside", StringComparison.Ordinal)]);
        Assert.Contains("<aside class=\"notes\">", slides[0]);
        Assert.Contains(longProse, slides[0][slides[0].IndexOf("<aside", StringComparison.Ordinal)..]);
        Assert.Contains("data-display=\"true\"", slides[1]);     // the formula stays on the slide
        Assert.Contains("<li>one</li>", slides[1]);
        Assert.Contains("Expected output", slides[1][slides[1].IndexOf("<aside", StringComparison.Ordinal)..]);
        Assert.DoesNotContain("var x", deck);                     // code only with --code
        Assert.Contains("<span class=\"kw\">var</span> x", Deck(Notebook(("markdown", "# T", null), ("code", "var x = 1;", null)), withCode: true));
    }

    [Fact]
    public void Slideshow_metadata_overrides_the_defaults()
    {
        var deck = Deck(Notebook(
            ("markdown", "# Title", null),
            ("markdown", "Secret for the speaker.", "notes"),
            ("markdown", "Never shown.", "skip"),
            ("markdown", "A new slide without a heading.", "slide"),
            ("markdown", "Below it.", "subslide"),
            ("markdown", "Appears on a click.", "fragment")));
        string[] slides = Slides(deck);
        Assert.DoesNotContain("Never shown.", deck);
        Assert.Contains("Secret for the speaker.", slides[0][slides[0].IndexOf("<aside", StringComparison.Ordinal)..]);
        Assert.Equal(3, slides.Length);
        Assert.Contains("A new slide without a heading.", slides[1]);
        Assert.Contains("Below it.", slides[2]);
        Assert.Contains("<div class=\"fragment\">\n<p>Appears on a click.</p>", slides[2]);
        // The subslide sits in a vertical stack with the slide above it.
        Assert.Matches(@"<section>\s*<section>\s*<p>A new slide without a heading\.</p>\s*</section>\s*<section>\s*<p>Below it\.", deck);
    }

    [SkippableFact]
    public async Task A_deck_opens_offline_steps_through_every_slide_and_draws_every_figure_and_formula()
    {
        Browser.Require();
        site.Page("index.html");
        string deck = Path.Combine(site.Folder, "slides", "01-optimizers.html");
        Assert.Contains("href=\"slides/01-optimizers.html\"", site.Page("01-optimizers.html"));
        int expectedFigures = Regex.Matches(File.ReadAllText(deck), "<div class=\"figure\" data-figure=").Count;
        Assert.True(expectedFigures >= 2);

        await using var browser = await HeadlessBrowser.LaunchAsync();
        await using var tab = await browser.OpenPageAsync(1600, 900);
        await tab.NavigateAsync(new Uri(deck).AbsoluteUri);
        var report = (await tab.EvaluateAsync("""
            (async () => {
              const wait = ms => new Promise(r => setTimeout(r, ms));
              for (let i = 0; i < 200 && !(window.Reveal && Reveal.isReady()); i++) await wait(50);
              const total = Reveal.getTotalSlides();
              let visited = 1;
              while (!Reveal.isLastSlide() && visited < 500) { Reveal.next(); visited++; await wait(30); }
              const drawn = () => document.querySelectorAll('div.figure .main-svg').length > 0
                && Array.from(document.querySelectorAll('div.figure')).every(f => f.querySelector('.main-svg'));
              for (let i = 0; i < 200 && !drawn(); i++) await wait(50);
              const figures = Array.from(document.querySelectorAll('div.figure'));
              return {
                total, visited,
                figures: figures.length,
                drawn: figures.filter(f => f.querySelector('.main-svg')).length,
                formulas: document.querySelectorAll('.math[data-tex]').length,
                typeset: document.querySelectorAll('.math[data-tex] .katex').length,
              };
            })()
            """))!.AsObject();
        Assert.True((int)report["total"]! >= 3, report.ToJsonString());
        Assert.True((int)report["visited"]! >= (int)report["total"]!, report.ToJsonString()); // every slide was shown
        Assert.Equal(expectedFigures, (int)report["figures"]!);
        Assert.Equal(expectedFigures, (int)report["drawn"]!);
        Assert.True((int)report["formulas"]! > 0 && (int)report["typeset"]! == (int)report["formulas"]!, report.ToJsonString());
        Assert.True(tab.ConsoleErrors.Count == 0, string.Join("\n", tab.ConsoleErrors));

        // A picture of the first figure's slide, kept with the test results for a person to look at.
        await tab.EvaluateAsync("""
            (async () => {
              const index = Reveal.getSlides().findIndex(s => s.querySelector('div.figure'));
              Reveal.slide(...Object.values(Reveal.getIndices(Reveal.getSlides()[index])));
              await new Promise(r => setTimeout(r, 500));
            })()
            """);
        string shot = Path.Combine(TestSupport.RepoRoot, "out", "test-screenshots", "slide-deck-figure.png");
        await tab.ScreenshotAsync(shot);
        Assert.True(new FileInfo(shot).Length > 10_000, $"{shot} is nearly empty");
    }

    [GeneratedRegex(@"<section>\n(?!<section>)(.*?)</section>", RegexOptions.Singleline)]
    private static partial Regex SlideSection();
}
