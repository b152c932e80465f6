using System.Text.Json.Nodes;
using FromScratch.Notebooks.Engine;
using static FromScratch.Notebooks.Tests.TestSupport;

namespace FromScratch.Notebooks.Tests;

/// <summary>
/// The engine honours .NET Interactive's convention-based formatting (a TypeFormatterSourceAttribute found by
/// name), before its duck-typed fallbacks: a learner's own type and the library's types display as in the
/// official kernel.
/// </summary>
public class DisplayConventionTests
{
    // A learner's cell, exactly as it would be written for the official kernel.
    private const string LearnerType = """
        public class TypeFormatterSourceAttribute : Attribute
        {
            public TypeFormatterSourceAttribute(Type t) { FormatterSourceType = t; }
            public Type FormatterSourceType { get; }
            public string[] PreferredMimeTypes { get; set; }
        }
        public class Formatter
        {
            public Formatter(string mimeType) { MimeType = mimeType; }
            public string MimeType { get; }
            public Type Type => typeof(Money);
            public bool Format(object value, System.IO.TextWriter writer)
            {
                var m = (Money)value;
                if (m.Cents < 0) return false;
                writer.Write(MimeType == "text/html" ? $"<b>{m.Cents / 100.0:0.00} €</b>" : $"{{\"cents\":{m.Cents}}}");
                return true;
            }
        }
        public class MoneySource
        {
            public IEnumerable<object> CreateTypeFormatters() =>
                new[] { new Formatter("text/html"), new Formatter("application/json") };
        }
        [TypeFormatterSource(typeof(MoneySource), PreferredMimeTypes = new[] { "text/html", "application/json" })]
        public class Money { public int Cents; public override string ToString() => $"{Cents} cents"; }
        [TypeFormatterSource(typeof(MoneySource))]
        public class PlainMoney : Money { }
        """;

    private static async Task<List<CellOutput>> Run(NotebookSession session, string code, int cell)
    {
        var outputs = new List<CellOutput>();
        var result = await session.ExecuteAsync(code, new CellLocation(cell, cell), outputs.Add);
        Assert.True(result.Status == CellStatus.Ok, string.Join("\n", outputs.OfType<ErrorOutput>().Select(e => e.EValue)));
        return outputs;
    }

    private static NotebookSession NewSession() =>
        new(new NotebookSessionOptions { NotebookPath = Path.Combine(RepoRoot, "notebooks", "convention.ipynb"), Packages = LibraryPackages() });

    [Fact]
    public async Task A_learners_type_with_a_formatter_source_displays_in_its_preferred_mime_types()
    {
        var session = NewSession();
        await Run(session, LearnerType, 1);
        var result = Assert.IsType<ResultOutput>((await Run(session, "new Money { Cents = 1250 }", 2)).Single()).Bundle.Data;
        Assert.Equal("<b>12.50 €</b>", result["text/html"].GetValue<string>());
        Assert.Equal(1250, result["application/json"]!["cents"]!.GetValue<int>());
        Assert.Equal("1250 cents", result["text/plain"].GetValue<string>());
        var display = Assert.IsType<DisplayOutput>((await Run(session, "display(new Money { Cents = 5 });", 3)).Single()).Bundle.Data;
        Assert.Equal("<b>0.05 €</b>", display["text/html"].GetValue<string>());
    }

    [Fact]
    public async Task Without_preferred_mime_types_only_html_is_shown_as_in_the_official_kernel_and_a_refusal_falls_back()
    {
        var session = NewSession();
        await Run(session, LearnerType, 1);
        var data = Assert.IsType<ResultOutput>((await Run(session, "new PlainMoney { Cents = 100 }", 2)).Single()).Bundle.Data;
        Assert.Equal(["text/html", "text/plain"], data.Keys.Order());
        // Both formatters return false for a negative amount: the value falls back to its plain text.
        data = Assert.IsType<ResultOutput>((await Run(session, "new Money { Cents = -1 }", 3)).Single()).Bundle.Data;
        Assert.Equal(["text/plain"], data.Keys);
        Assert.Equal("-1 cents", data["text/plain"].GetValue<string>());
    }

    [Fact]
    public async Task A_formatter_source_that_breaks_the_convention_is_an_error_naming_it()
    {
        var session = NewSession();
        await Run(session, LearnerType, 1);
        var outputs = new List<CellOutput>();
        await session.ExecuteAsync("public class MoneySource2 { }\n[TypeFormatterSource(typeof(MoneySource2))] public class Odd { }\nnew Odd()", new CellLocation(2, 2), outputs.Add);
        var error = Assert.IsType<ErrorOutput>(outputs.Single());
        Assert.Contains("MoneySource2", error.EValue);
        Assert.Contains("CreateTypeFormatters()", error.EValue);
    }

    [Fact]
    public async Task Library_figures_and_histories_display_by_the_convention_with_plotly_js_once_per_session()
    {
        var session = NewSession();
        await Run(session, "#r \"../build/lib/FromScratch.dll\"\nusing FromScratch;", 1);
        string figure = "Plot.Lines(new double[] { 1, 2 }, new (string, IReadOnlyList<double>)[] { (\"a\", new double[] { 3, 4 }) }, \"t\", \"x\", \"y\")";
        var first = Assert.IsType<ResultOutput>((await Run(session, figure, 2)).Single()).Bundle;
        var second = Assert.IsType<ResultOutput>((await Run(session, figure, 3)).Single()).Bundle;
        foreach (var bundle in new[] { first, second })
        {
            Assert.IsType<JsonObject>(bundle.Data[MimeTypes.Plotly], exactMatch: false);
            Assert.Equal("Figure: t (1 trace)", bundle.PlainText);
            Assert.NotNull(bundle.Figure);
        }
        Assert.True(first.Data[MimeTypes.Html].GetValue<string>().Length > 1_000_000, "the first figure carries plotly.js");
        Assert.True(second.Data[MimeTypes.Html].GetValue<string>().Length < 100_000, "a later figure does not");

        var history = Assert.IsType<ResultOutput>((await Run(session,
            "var h = new TrainingHistory(\"run\"); h.RecordIteration(1, 0.5); h.RecordEpoch(0.5); h", 4)).Single()).Bundle;
        Assert.Contains("<table class=\"fromscratch-history\">", history.Data[MimeTypes.Html].GetValue<string>());
        Assert.Equal("run: 1 epochs, final loss = 0.5", history.PlainText);
    }
}
