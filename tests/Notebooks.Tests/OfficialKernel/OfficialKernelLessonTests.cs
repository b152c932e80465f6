using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static FromScratch.Notebooks.Tests.OfficialKernel.ExecutedOutputs;
using static FromScratch.Notebooks.Tests.TestSupport;

namespace FromScratch.Notebooks.Tests.OfficialKernel;

/// <summary>
/// Every lesson, executed once on the official .NET (C#) kernel through Debian's nbconvert, is clean: no ✘, no
/// error output, no compiler diagnostics (e.g. CS1701) in the outputs, every figure carries
/// application/vnd.plotly.v1+json and text/html, plotly.js at most once, and the executed lesson ≤ 5 MB.
/// </summary>
public partial class OfficialKernelLessonTests(OfficialKernelSpec kernel) : IClassFixture<OfficialKernelSpec>
{
    private const long MaxExecutedBytes = 5_000_000;

    public static TheoryData<string> Lessons() => LessonTests.Lessons();

    [GeneratedRegex(@"\b(warning|error) CS\d{4}\b")]
    private static partial Regex CompilerDiagnostic();

    [GeneratedRegex(@"plotly\.js v\d")]
    private static partial Regex PlotlyJsHeader();

    [SkippableTheory]
    [MemberData(nameof(Lessons))]
    public void Lesson_runs_clean_on_the_official_kernel(string lesson)
    {
        string source = Path.Combine(RepoRoot, "notebooks", lesson);
        Skip.IfNot(File.Exists(source), $"{lesson}: no lessons in notebooks/ yet");
        kernel.Require();
        string executed = kernel.Execute(source);

        long bytes = new FileInfo(executed).Length;
        Assert.True(bytes <= MaxExecutedBytes, $"{lesson} executed on the official kernel is {bytes / 1e6:0.0} MB (at most {MaxExecutedBytes / 1e6:0.0} MB)");

        var cells = CodeCellOutputs(executed);
        int figures = 0, plotlyJsCopies = 0, checks = 0;
        for (int i = 0; i < cells.Count; i++)
        {
            string where = $"{lesson}, code cell {i + 1}";
            foreach (var output in cells[i])
            {
                string type = output!["output_type"]!.GetValue<string>();
                Assert.True(type != "error", $"{where}: error output {output.ToJsonString()[..Math.Min(600, output.ToJsonString().Length)]}");
            }
            string streams = StreamText(cells[i]);
            Assert.False(CompilerDiagnostic().IsMatch(streams), $"{where}: compiler diagnostic in the output:\n{streams}");
            Assert.DoesNotContain("✘", streams);
            checks += streams.Split('\n').Count(line => line.StartsWith("✔ ", StringComparison.Ordinal));
            foreach (var bundle in Bundles(cells[i]))
            {
                string html = bundle["text/html"] is { } h ? Text(h) : "";
                string plain = bundle["text/plain"] is { } p ? Text(p) : "";
                Assert.False(CompilerDiagnostic().IsMatch(html + plain), $"{where}: compiler diagnostic in a display");
                Assert.DoesNotContain("✘", html + plain);
                plotlyJsCopies += PlotlyJsHeader().Matches(html).Count;
                bool figure = bundle.ContainsKey("application/vnd.plotly.v1+json") || html.Contains("Plotly.newPlot", StringComparison.Ordinal)
                    || plain.StartsWith("Figure:", StringComparison.Ordinal);
                if (!figure) continue;
                figures++;
                Assert.True(bundle.ContainsKey("application/vnd.plotly.v1+json") && bundle.ContainsKey("text/html"),
                    $"{where}: a figure output with only [{string.Join(", ", bundle.Select(kv => kv.Key))}]");
                var plotly = bundle["application/vnd.plotly.v1+json"]!;
                var json = plotly is JsonValue text ? JsonNode.Parse(Text(text)) : plotly;
                Assert.True(json?["data"] is JsonArray { Count: > 0 }, $"{where}: the plotly JSON has no traces");
            }
        }
        Assert.True(figures > 0, $"{lesson}: no figure output on the official kernel");
        Assert.True(plotlyJsCopies <= 1, $"{lesson}: plotly.js embedded {plotlyJsCopies} times (at most once per notebook)");
        Assert.True(checks >= 3, $"{lesson}: only {checks} ✔ lines on the official kernel");
    }
}
