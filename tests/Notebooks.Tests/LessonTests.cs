using System.Text.Json.Nodes;
using FromScratch.Notebooks.Engine;
using FromScratch.Notebooks.Format;
using static FromScratch.Notebooks.Tests.TestSupport;

namespace FromScratch.Notebooks.Tests;

/// <summary>Every lesson in notebooks/ runs to the end without an error: a lesson that breaks fails CI.</summary>
public class LessonTests
{
    private const string NoLessonsYet = "(no lessons in notebooks/ yet)";

    /// <summary>The longest code line a lesson may have.</summary>
    private const int MaxColumns = 100;

    /// <summary>The most markdown a lesson may have, in characters.</summary>
    private const int MaxProse = 20_000;

    /// <summary>The most knobs a lesson's parameters cell may declare.</summary>
    private const int MaxKnobs = 12;

    public static TheoryData<string> Lessons()
    {
        string folder = Path.Combine(RepoRoot, "notebooks");
        var names = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.ipynb").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList() : [];
        var data = new TheoryData<string>();
        foreach (string? name in names) data.Add(name!);
        if (names.Count == 0) data.Add(NoLessonsYet); // a theory with no data would fail
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Lessons))]
    public async Task Lesson_runs_without_errors(string lesson)
    {
        Skip.If(lesson == NoLessonsYet, NoLessonsYet);
        string path = Path.Combine(RepoRoot, "notebooks", lesson);
        var notebook = NotebookDocument.Load(path);
        var result = await NotebookRunner.RunAsync(notebook, new NotebookRunOptions { Packages = LibraryPackages(), CellTimeout = TimeSpan.FromMinutes(5) });
        Assert.True(result.Succeeded, result.FirstError is null
            ? $"{lesson}: {result.CellsRun}/{result.CodeCells} cells ran"
            : string.Join("\n", result.FirstError.Traceback));
        string executed = Path.Combine(TempFolder(), lesson);
        notebook.Save(executed);
        Jupyter.Validate(executed);
        long bytes = new FileInfo(executed).Length; // plotly.js travels once (~3.6 MB), each figure adds its JSON and a small loader
        Assert.True(bytes <= 4_500_000, $"{lesson}: the executed notebook is {bytes:N0} bytes, more than 4.5 MB");

        // Every lesson shows its phenomena: at least three measured checks that held, and a figure.
        int checks = notebook.Cells.Where(c => c.IsCode)
            .SelectMany(c => c.Json["outputs"]!.AsArray())
            .Where(o => o!["output_type"]!.GetValue<string>() == "stream")
            .SelectMany(o => Text(o!["text"]).Split('\n'))
            .Count(line => line.StartsWith("✔ ", StringComparison.Ordinal));
        Assert.True(checks >= 3, $"{lesson}: only {checks} ✔ check line(s) in its outputs; every lesson needs at least three");
        Assert.NotEmpty(result.Figures);

        // A lesson that builds a slider figure (Figure.Slider, or Knob.Show's fallback outside a live kernel) shows one
        // with at least five steps.
        if (notebook.Cells.Any(c => c.IsCode && (c.Source.Contains("Figure.Slider(", StringComparison.Ordinal)
                || c.Source.Contains("Knob.Show(", StringComparison.Ordinal))))
        {
            var steps = notebook.Cells.Where(c => c.IsCode)
                .SelectMany(c => c.Json["outputs"]!.AsArray())
                .Select(o => o!["data"]?[MimeTypes.Plotly]?["layout"]?["sliders"]?[0]?["steps"]?.AsArray().Count ?? 0)
                .ToList();
            Assert.True(steps.Any(n => n >= 5), $"{lesson}: builds a slider figure, but no figure in its outputs has a slider of 5 steps or more");
        }

        // The claim the falsification run removes (see Lesson_central_claim_is_falsifiable) holds as shipped.
        if (Falsification(notebook) is { } falsify)
        {
            var passed = notebook.Cells.Where(c => c.IsCode)
                .SelectMany(c => c.Json["outputs"]!.AsArray())
                .Where(o => o!["output_type"]!.GetValue<string>() == "stream")
                .SelectMany(o => Text(o!["text"]).Split('\n'))
                .Where(line => line.StartsWith("✔ ", StringComparison.Ordinal));
            Assert.True(passed.Any(line => line.Contains(falsify.Claim, StringComparison.Ordinal)),
                $"{lesson}: no ✔ line contains the central claim '{falsify.Claim}' named in its metadata");
        }
    }

    /// <summary>Where a lesson's point is one knob, a slider figure shows every value of it: at least three lessons.</summary>
    [Fact]
    public void At_least_three_lessons_show_a_knob_as_a_slider_figure()
    {
        var withSliders = Directory.GetFiles(Path.Combine(RepoRoot, "notebooks"), "*.ipynb")
            .Where(f => NotebookDocument.Load(f).Cells.Any(c => c.IsCode && c.Source.Contains("Figure.Slider(", StringComparison.Ordinal)))
            .Select(Path.GetFileName).ToList();
        Assert.True(withSliders.Count >= 3, $"only {withSliders.Count} lesson(s) build a slider figure: {string.Join(", ", withSliders)}");
    }

    /// <summary>
    /// The knob that removes a lesson's phenomenon and the text of the check that must then fail, from the notebook's
    /// metadata: <c>"fromscratch": {"falsify": {"parameters": {"knob": "value"}, "claim": "text of the check"}}</c>.
    /// </summary>
    private static (IReadOnlyDictionary<string, string> Parameters, string Claim, string Why)? Falsification(NotebookDocument notebook)
    {
        if (notebook.Metadata["fromscratch"]?["falsify"] is not JsonObject falsify) return null;
        var parameters = falsify["parameters"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
        return (parameters, falsify["claim"]!.GetValue<string>(), falsify["why"]?.GetValue<string>() ?? "");
    }

    /// <summary>
    /// Each lesson's central claim can fail: run once more with the one knob (named in the notebook's metadata) that
    /// removes the phenomenon — a sigmoid where a linear output blows up, a rate far below the bound — and the
    /// lesson's main check must print ✘ instead of ✔.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(Lessons))]
    public async Task Lesson_central_claim_is_falsifiable(string lesson)
    {
        Skip.If(lesson == NoLessonsYet, NoLessonsYet);
        var notebook = NotebookDocument.Load(Path.Combine(RepoRoot, "notebooks", lesson));
        var falsify = Falsification(notebook);
        Assert.True(falsify is not null,
            $"{lesson}: its metadata names no falsification run (\"fromscratch\": {{\"falsify\": {{\"parameters\": …, \"claim\": …}}}})");
        Assert.NotEmpty(falsify.Value.Parameters);
        var result = await NotebookRunner.RunAsync(notebook, new NotebookRunOptions
        {
            Packages = LibraryPackages(),
            Parameters = falsify.Value.Parameters,
            CellTimeout = TimeSpan.FromMinutes(5),
        });
        string knobs = string.Join(", ", falsify.Value.Parameters.Select(p => $"{p.Key}={p.Value}"));
        Assert.False(result.Succeeded, $"{lesson} with {knobs}: every check still held; '{falsify.Value.Claim}' should have failed");
        string error = string.Join("\n", result.FirstError!.Traceback);
        Assert.True(error.Contains("✘ ", StringComparison.Ordinal) && error.Contains(falsify.Value.Claim, StringComparison.Ordinal),
            $"{lesson} with {knobs}: expected the check '{falsify.Value.Claim}' to print ✘, but the run stopped at:\n{error}");
    }

    [SkippableTheory]
    [MemberData(nameof(Lessons))]
    public void Lesson_follows_the_course_notebook_standard(string lesson)
    {
        Skip.If(lesson == NoLessonsYet, NoLessonsYet);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot, "notebooks", lesson)))!.AsObject();
        Assert.Equal(4, json["nbformat"]!.GetValue<int>());
        Assert.Equal(5, json["nbformat_minor"]!.GetValue<int>());

        // Polyglot Notebooks metadata, so the lesson still opens in the old extension.
        var metadata = json["metadata"]!;
        Assert.Equal(".net-csharp", metadata["kernelspec"]!["name"]!.GetValue<string>());
        Assert.Equal("csharp", metadata["polyglot_notebook"]!["kernelInfo"]!["defaultKernelName"]!.GetValue<string>());

        var cells = json["cells"]!.AsArray().Select(c => c!.AsObject()).ToList();
        Assert.Equal(cells.Count, cells.Select(c => c["id"]!.GetValue<string>()).Distinct().Count());
        var code = cells.Where(c => c["cell_type"]!.GetValue<string>() == "code").ToList();
        Assert.All(code, c =>
        {
            Assert.Equal("csharp", c["metadata"]!["polyglot_notebook"]!["kernelName"]!.GetValue<string>());
            Assert.Empty(c["outputs"]!.AsArray()); // sources are committed clean; executed copies go to out/
            Assert.Null(c["execution_count"]);
        });

        // Code lines a reader sees whole: at most 100 columns (the course's style rule for notebooks).
        var tooLong = code.SelectMany((c, k) => Text(c["source"]).Split('\n')
                .Select((line, i) => (Cell: k + 1, Line: i + 1, Text: line)))
            .Where(l => l.Text.Length > MaxColumns)
            .Select(l => $"code cell {l.Cell}, line {l.Line} ({l.Text.Length} columns): {l.Text}")
            .ToList();
        Assert.True(tooLong.Count == 0, $"{lesson}: code lines over {MaxColumns} columns:\n{string.Join("\n", tooLong)}");

        // The first code cell loads the built library by relative path.
        Assert.StartsWith("#r \"../build/lib/FromScratch.dll\"", Text(code[0]["source"]));

        // Exactly one knobs cell, tagged `parameters`.
        Assert.Single(code, c => c["metadata"]!["tags"] is JsonArray tags && tags.Any(t => t!.GetValue<string>() == "parameters"));

        // A lesson a learner reads in one sitting: at most 20,000 characters of prose and at most 12 knobs.
        int prose = cells.Where(c => c["cell_type"]!.GetValue<string>() == "markdown").Sum(c => Text(c["source"]).Length);
        Assert.True(prose <= MaxProse, $"{lesson}: {prose:N0} characters of markdown, more than {MaxProse:N0}");
        var knobs = NotebookRunner.DeclaredParameters(Text(code.Single(c => c["metadata"]!["tags"] is JsonArray tags
            && tags.Any(t => t!.GetValue<string>() == "parameters"))["source"]));
        Assert.True(knobs.Count <= MaxKnobs, $"{lesson}: {knobs.Count} knobs ({string.Join(", ", knobs.Keys)}), more than {MaxKnobs}");

        // The learner does the math: two exercises in each core lesson (1–7), at least one in every other.
        int exercises = code.Count(c => c["metadata"]!["tags"] is JsonArray tags && tags.Any(t => t!.GetValue<string>() == "exercise"));
        int number = int.Parse(lesson[..2], System.Globalization.CultureInfo.InvariantCulture);
        int required = number is >= 1 and <= 7 ? 2 : 1;
        Assert.True(exercises >= required, $"{lesson}: {exercises} exercise cell(s) tagged 'exercise'; lesson {number} needs at least {required}");

        // A title first and a closing "Try this" section.
        Assert.StartsWith("# ", Text(cells[0]["source"]));
        Assert.Contains(cells, c => c["cell_type"]!.GetValue<string>() == "markdown"
            && Text(c["source"]).Contains("Try this", StringComparison.OrdinalIgnoreCase));
    }
}
