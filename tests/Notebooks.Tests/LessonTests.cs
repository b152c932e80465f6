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

        // A title first and a closing "Try this" section.
        Assert.StartsWith("# ", Text(cells[0]["source"]));
        Assert.Contains(cells, c => c["cell_type"]!.GetValue<string>() == "markdown"
            && Text(c["source"]).Contains("Try this", StringComparison.OrdinalIgnoreCase));
    }
}
