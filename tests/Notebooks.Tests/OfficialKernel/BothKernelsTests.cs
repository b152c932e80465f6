using System.Text.Json.Nodes;
using FromScratch.Notebooks.Format;
using FromScratch.Notebooks.Tests.Kernel;
using static FromScratch.Notebooks.Tests.OfficialKernel.ExecutedOutputs;
using static FromScratch.Notebooks.Tests.TestSupport;

namespace FromScratch.Notebooks.Tests.OfficialKernel;

/// <summary>
/// One small notebook through both kernels with Debian's nbconvert — the official .NET (C#) kernel and ours — and
/// the outputs compared: the same default usings (what compiles, and what does not: File needs using System.IO in
/// both), the same console text, figures with plotly JSON + HTML in both, and the library's and a learner's
/// convention-formatted values with the same HTML.
/// </summary>
public class BothKernelsTests(OfficialKernelSpec official, TemporaryKernelSpec ours) : IClassFixture<OfficialKernelSpec>, IClassFixture<TemporaryKernelSpec>
{
    private const string Plotly = "application/vnd.plotly.v1+json";

    private static readonly string[] Cells =
    [
        "#r \"../build/lib/FromScratch.dll\"\nusing FromScratch;",
        // Default usings: System.Linq, System.Collections.Generic, System.Text, System.Threading.Tasks, System.Collections.
        "var squares = new List<int> { 1, 2, 3 }.Select(x => x * x).ToArray();\nConsole.WriteLine(new StringBuilder().Append(string.Join(\",\", squares)));\n"
            + "Console.WriteLine(Task.FromResult(42).Result + new ArrayList { 1 }.Count);",
        "display(Plot.Lines(new double[] { 0, 1, 2 }, new (string, IReadOnlyList<double>)[] { (\"loss\", new[] { 1.0, 0.5, 0.25 }) }, \"loss\", \"epoch\", \"loss\"));\n"
            + "Console.WriteLine(\"after the figure\");",
        "Plot.Lines(new double[] { 0, 1 }, new (string, IReadOnlyList<double>)[] { (\"a\", new[] { 2.0, 1.0 }) }, \"second\", \"x\", \"y\")",
        "var history = new TrainingHistory(\"run\");\nhistory.RecordIteration(1, 0.5);\nhistory.RecordEpoch(0.5);\nhistory",
        """
        public class TypeFormatterSourceAttribute : Attribute
        {
            public TypeFormatterSourceAttribute(Type t) { FormatterSourceType = t; }
            public Type FormatterSourceType { get; }
            public string[] PreferredMimeTypes { get; set; }
        }
        public class MoneyFormatter
        {
            public string MimeType => "text/html";
            public Type Type => typeof(Money);
            public bool Format(object value, System.IO.TextWriter writer) { writer.Write($"<b>{((Money)value).Cents} cents</b>"); return true; }
        }
        public class MoneySource { public IEnumerable<object> CreateTypeFormatters() { yield return new MoneyFormatter(); } }
        [TypeFormatterSource(typeof(MoneySource), PreferredMimeTypes = new[] { "text/html" })]
        public class Money { public int Cents; }
        display(new Money { Cents = 1250 });
        """,
        "Console.WriteLine(File.Exists(\"no such file\"));",
        "using System.IO;\nConsole.WriteLine(Path.GetFileName(\"a/b.txt\"));",
    ];

    [SkippableFact]
    public void A_notebook_gives_the_same_outputs_on_the_official_kernel_and_ours()
    {
        official.Require();
        Assert.True(ours.InstallProblem is null, ours.InstallProblem);
        string notebook = OfficialKernelSpec.ScratchNotebook("both-kernels", Cells);
        var theirs = CodeCellOutputs(official.Execute(notebook, allowErrors: true));
        var mine = CodeCellOutputs(OfficialKernelSpec.Nbconvert(notebook, ours.Name, ours.Environment, allowErrors: true));
        Assert.Equal(Cells.Length, theirs.Count);
        Assert.Equal(Cells.Length, mine.Count);

        for (int i = 0; i < Cells.Length; i++)
            Assert.True(Stdout(theirs[i]) == Stdout(mine[i]), $"code cell {i + 1}: official [{Stdout(theirs[i])}], ours [{Stdout(mine[i])}]");
        Assert.Equal("1,4,9\n43\n", Stdout(mine[1]));
        Assert.Equal("after the figure\n", Stdout(mine[2]));
        Assert.Equal("b.txt\n", Stdout(mine[7]));

        // Figures: plotly JSON (the same figure) and HTML in both, plotly.js once per notebook in both.
        foreach (int cell in new[] { 2, 3 })
        {
            var a = Bundles(theirs[cell]).Single(b => b.ContainsKey(Plotly));
            var b = Bundles(mine[cell]).Single(b => b.ContainsKey(Plotly));
            Assert.True(a.ContainsKey("text/html") && b.ContainsKey("text/html"), $"code cell {cell + 1}: a figure without text/html");
            Assert.True(JsonNode.DeepEquals(Json(a[Plotly]!), Json(b[Plotly]!)), $"code cell {cell + 1}: the two kernels' plotly JSON differ");
            Assert.Equal(Text(a["text/plain"]), Text(b["text/plain"]));
        }
        Assert.Equal(1, PlotlyJsCopies(theirs));
        Assert.Equal(1, PlotlyJsCopies(mine));

        // Convention-formatted values: the library's history and a learner's type, the same HTML in both.
        var historyTheirs = Bundles(theirs[4]).Single();
        var historyMine = Bundles(mine[4]).Single();
        Assert.Contains("<table class=\"fromscratch-history\">", Text(historyMine["text/html"]));
        Assert.Equal(Text(historyTheirs["text/html"]), Text(historyMine["text/html"]));
        Assert.Equal(Text(historyTheirs["text/plain"]), Text(historyMine["text/plain"]));
        Assert.Equal("<b>1250 cents</b>", Text(Bundles(theirs[5]).Single()["text/html"]));
        Assert.Equal("<b>1250 cents</b>", Text(Bundles(mine[5]).Single()["text/html"]));

        // File without using System.IO does not compile in either kernel.
        Assert.Contains("CS0103", AllText(theirs[6]));
        Assert.Contains("CS0103", AllText(mine[6]));
        Assert.Contains(theirs[6], o => o!["output_type"]!.GetValue<string>() == "error");
        Assert.Contains(mine[6], o => o!["output_type"]!.GetValue<string>() == "error");
    }

    private static string Stdout(JsonArray outputs) => string.Concat(outputs
        .Where(o => o!["output_type"]!.GetValue<string>() == "stream" && o["name"]!.GetValue<string>() == "stdout")
        .Select(o => Text(o!["text"])));

    private static string AllText(JsonArray outputs) => outputs.ToJsonString();

    private static JsonNode Json(JsonNode plotly) => plotly is JsonValue text ? JsonNode.Parse(Text(text))! : plotly;

    private static int PlotlyJsCopies(List<JsonArray> cells) => cells.SelectMany(Bundles)
        .Sum(b => b["text/html"] is { } h
            ? System.Text.RegularExpressions.Regex.Matches(Text(h), @"plotly\.js v\d|window\.fromScratchPlotly = new Response\(").Count // plain or gzip+base64
            : 0);
}
