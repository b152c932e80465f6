using FromScratch.Notebooks.Engine;
using FromScratch.Notebooks.Format;
using static FromScratch.Notebooks.Tests.TestSupport;

namespace FromScratch.Notebooks.Tests;

/// <summary>Every lesson in notebooks/ runs to the end without an error: a lesson that breaks fails CI.</summary>
public class LessonTests
{
    private const string NoLessonsYet = "(no lessons in notebooks/ yet)";

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
    }
}
