using FromScratch.Notebooks.Engine;
using FromScratch.Notebooks.Format;
using static FromScratch.Notebooks.Tests.TestSupport;

namespace FromScratch.Notebooks.Tests;

/// <summary>
/// The lessons' exercises: each has a solution that its check accepts and catalogued mistakes that its check rejects
/// with their hint, and the lessons as shipped print ○ (not attempted) for every one.
/// </summary>
public class ExerciseTests
{
    public static TheoryData<string> LessonsWithExercises()
    {
        var data = new TheoryData<string>();
        foreach (string path in Directory.GetFiles(Path.Combine(RepoRoot, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal))
            if (ExerciseCatalog.ExerciseCells(NotebookDocument.Load(path)).Count > 0)
                data.Add(Path.GetFileName(path));
        return data;
    }

    private static async Task<(NotebookDocument Executed, IReadOnlyList<ExerciseVerdict> Verdicts)> Run(NotebookDocument notebook)
    {
        var result = await NotebookRunner.RunAsync(notebook, new NotebookRunOptions { Packages = LibraryPackages() });
        Assert.True(result.Succeeded, result.FirstError is null ? "failed" : string.Join("\n", result.FirstError.Traceback));
        return (notebook, ExerciseVerdict.Read(notebook));
    }

    private static (NotebookDocument Notebook, ExerciseCatalog Catalog, IReadOnlyList<(int CellIndex, string ExerciseId)> Cells) Load(string lesson)
    {
        string path = Path.Combine(RepoRoot, "notebooks", lesson);
        var notebook = NotebookDocument.Load(path);
        var catalog = ExerciseCatalog.ForNotebook(path);
        Assert.True(catalog is not null, $"{lesson} has exercises but no notebooks/solutions/{Path.GetFileNameWithoutExtension(lesson)}.cs");
        return (notebook, catalog, ExerciseCatalog.ExerciseCells(notebook));
    }

    [Theory]
    [MemberData(nameof(LessonsWithExercises))]
    public void Every_exercise_has_a_solution_a_mistake_and_a_check(string lesson)
    {
        var (notebook, catalog, cells) = Load(lesson);
        foreach (var (index, id) in cells)
        {
            Assert.NotNull(catalog.Solution(id));
            Assert.NotEmpty(catalog.Mistakes(id));
            Assert.Contains(notebook.Cells.Skip(index + 1), c => c.IsCode && c.Source.Contains($"Check.Exercise(\"{id}\"", StringComparison.Ordinal));
            Assert.Contains("throw new NotImplementedException()", notebook.Cells[index].Source); // the stub says "not done yet"
        }
        Assert.Equal(cells.Count, cells.Select(c => c.ExerciseId).Distinct().Count());
        Assert.All(catalog.Answers, a => Assert.Contains(cells, c => c.ExerciseId == a.ExerciseId)); // no orphans
    }

    [Theory]
    [MemberData(nameof(LessonsWithExercises))]
    public async Task As_shipped_every_exercise_is_not_attempted_and_nothing_fails(string lesson)
    {
        var (notebook, _, cells) = Load(lesson);
        var (_, verdicts) = await Run(notebook);
        Assert.Equal(cells.Select(c => c.ExerciseId), verdicts.Select(v => v.ExerciseId));
        Assert.All(verdicts, v => Assert.Equal('○', v.Mark));
    }

    [Theory]
    [MemberData(nameof(LessonsWithExercises))]
    public async Task With_the_solutions_every_exercise_passes(string lesson)
    {
        var (notebook, catalog, cells) = Load(lesson);
        catalog.Substitute(notebook);
        var (_, verdicts) = await Run(notebook);
        Assert.Equal(cells.Select(c => c.ExerciseId), verdicts.Select(v => v.ExerciseId));
        Assert.All(verdicts, v => Assert.True(v.Mark == '✔', v.Line));
    }

    [Theory]
    [MemberData(nameof(LessonsWithExercises))]
    public async Task Every_catalogued_mistake_fails_with_its_hint(string lesson)
    {
        var (notebook, catalog, cells) = Load(lesson);
        int rounds = catalog.MistakeRounds(notebook);
        Assert.True(rounds > 0);
        for (int round = 0; round < rounds; round++)
        {
            var copy = NotebookDocument.Parse(notebook.ToJson(), notebook.Path);
            var answers = catalog.Substitute(copy, round);
            var (_, verdicts) = await Run(copy);
            Assert.Equal(cells.Count, verdicts.Count);
            for (int k = 0; k < cells.Count; k++)
            {
                if (!answers[k].IsMistake) { Assert.True(verdicts[k].Mark == '✔', verdicts[k].Line); continue; }
                Assert.True(verdicts[k].Mark == '✘', $"the mistake at {catalog.Path}:{answers[k].Line} was accepted: {verdicts[k].Line}");
                Assert.True(verdicts[k].Hint == answers[k].Hint,
                    $"the mistake at {catalog.Path}:{answers[k].Line} should be named '{answers[k].Hint}', but the check said: {verdicts[k].Line}");
            }
        }
    }

    [Fact]
    public void A_catalogue_names_file_and_line_of_a_malformed_marker()
    {
        var e = Assert.Throws<NotebookFormatException>(() => ExerciseCatalog.Parse("//# solution 1.1\nx\n//# mistake 1.1\ny", "s.cs"));
        Assert.Equal("s.cs, line 3: a mistake needs the hint its check prints: '//# mistake 1.1: hint'", e.Message);
        e = Assert.Throws<NotebookFormatException>(() => ExerciseCatalog.Parse("// notes\n//# answer 1.1\n", "s.cs"));
        Assert.StartsWith("s.cs, line 2: expected '//# solution ID' or '//# mistake ID: hint'", e.Message);
        e = Assert.Throws<NotebookFormatException>(() => ExerciseCatalog.Parse("//# solution 1.1\na\n//# solution 1.1\nb", "s.cs"));
        Assert.Equal("s.cs, line 3: a second solution for exercise 1.1", e.Message);
    }

    [Fact]
    public void A_catalogue_splits_into_sections_with_their_code()
    {
        var catalog = ExerciseCatalog.Parse("// header\n//# solution 2.1\nint F() => 1;\n\n//# mistake 2.1: off by one\nint F() => 2;\n", "s.cs");
        Assert.Equal("int F() => 1;", catalog.Solution("2.1")!.Code);
        var mistake = Assert.Single(catalog.Mistakes("2.1"));
        Assert.Equal(("int F() => 2;", "off by one", 5), (mistake.Code, mistake.Hint, mistake.Line));
        Assert.Null(catalog.Solution("2.2"));
    }
}

/// <summary>`progress` on a learner's copy of lesson 3: a table of every exercise, exit code 1 until all are ✔.</summary>
public class ProgressCommandTests
{
    /// <summary>A throw-away course (build/ and data/ linked) where a learner keeps a copy of lesson 3.</summary>
    private static (string Root, string Notebooks, NotebookDocument Lesson) LearnerCourse()
    {
        string root = TempFolder();
        Directory.CreateSymbolicLink(Path.Combine(root, "build"), Path.Combine(RepoRoot, "build"));
        Directory.CreateSymbolicLink(Path.Combine(root, "data"), Path.Combine(RepoRoot, "data"));
        string folder = Directory.CreateDirectory(Path.Combine(root, "notebooks")).FullName;
        return (root, folder, NotebookDocument.Load(Path.Combine(RepoRoot, "notebooks", "03-sigmoid-fix.ipynb")));
    }

    [Fact]
    public async Task Progress_lists_each_exercise_with_its_feedback_and_fails_until_all_are_done()
    {
        var (root, folder, lesson) = LearnerCourse();
        var catalog = ExerciseCatalog.ForNotebook(Path.Combine(RepoRoot, "notebooks", "03-sigmoid-fix.ipynb"))!;
        foreach (var (index, id) in ExerciseCatalog.ExerciseCells(lesson))
            lesson.Cells[index].Source = id == "3.2" ? catalog.Solution(id)!.Code : catalog.Mistakes(id)[0].Code;
        string copy = Path.Combine(folder, "my-03.ipynb");
        lesson.Save(copy);
        string before = File.ReadAllText(copy);

        var console = Export.TempCourse.Console(out var log);
        int exit = await Cli.ProgressCommand.ExecuteAsync([copy], root, console);

        string table = log.ToString();
        Assert.Equal(Cli.RunCommand.NotebookFailed, exit);
        Assert.Matches(@"my-03\.ipynb\s*│\s*3\.2\s*│\s*✔\s*│\s*matches the reference on 206 inputs", table);
        Assert.Matches(@"my-03\.ipynb\s*│\s*3\.1\s*│\s*✘\s*│\s*at \[.*\] yours is .*, expected .* — NaN counts too: test with double\.IsFinite", table);
        Assert.Contains("1 of 2 exercise(s) done", table);
        Assert.Equal(before, File.ReadAllText(copy)); // the learner's notebook is not written

        lesson.Cells[ExerciseCatalog.ExerciseCells(lesson)[0].CellIndex].Source = catalog.Solution("3.1")!.Code;
        lesson.Save(copy);
        console = Export.TempCourse.Console(out log);
        Assert.Equal(Cli.RunCommand.Success, await Cli.ProgressCommand.ExecuteAsync([copy], root, console));
        Assert.Contains("2 of 2 exercise(s) done — all of them", log.ToString());
    }

    [Fact]
    public async Task Code_that_does_not_compile_is_reported_with_its_line()
    {
        var (root, folder, lesson) = LearnerCourse();
        lesson.Cells[ExerciseCatalog.ExerciseCells(lesson)[1].CellIndex].Source =
            "double SigmoidDerivative(double z)\n{\n    return Activation.SigmoidOf(z) * (1 - Activation.SigmoidOf(z))\n}";
        string copy = Path.Combine(folder, "broken-03.ipynb");
        lesson.Save(copy);

        var console = Export.TempCourse.Console(out var log);
        Assert.Equal(Cli.RunCommand.NotebookFailed, await Cli.ProgressCommand.ExecuteAsync([copy], root, console));
        Assert.Matches(@"3\.2\s*│\s*✘\s*│\s*your cell did not run: CompilationError: CS1002: ; expected \(line 3, column \d+\)", log.ToString());
        Assert.Matches(@"3\.1\s*│\s*○\s*│\s*not attempted yet", log.ToString()); // a broken cell does not hide another exercise
    }
}

/// <summary>`run --solutions` and `run --mistakes`: exit code 0 only when every check said what it must.</summary>
public class RunExercisesTests
{
    private static (string Root, string Notebook, string Solutions) Course(Func<string, string>? editSolutions = null)
    {
        string root = TempFolder();
        Directory.CreateSymbolicLink(Path.Combine(root, "build"), Path.Combine(RepoRoot, "build"));
        Directory.CreateSymbolicLink(Path.Combine(root, "data"), Path.Combine(RepoRoot, "data"));
        string notebooks = Directory.CreateDirectory(Path.Combine(root, "notebooks", "solutions")).Parent!.FullName;
        string notebook = Path.Combine(notebooks, "03-sigmoid-fix.ipynb");
        File.Copy(Path.Combine(RepoRoot, "notebooks", "03-sigmoid-fix.ipynb"), notebook);
        string solutions = Path.Combine(notebooks, "solutions", "03-sigmoid-fix.cs");
        string text = File.ReadAllText(Path.Combine(RepoRoot, "notebooks", "solutions", "03-sigmoid-fix.cs"));
        File.WriteAllText(solutions, editSolutions?.Invoke(text) ?? text);
        return (root, notebook, solutions);
    }

    private static async Task<(int Exit, string Log)> Run(string root, string notebook, Cli.ExerciseMode mode)
    {
        var console = Export.TempCourse.Console(out var log);
        var settings = new Cli.RunSettings([notebook], new Dictionary<string, string>(), Path.Combine(root, "out"), InPlace: false,
            ContinueOnError: false, CellTimeout: null, root, mode);
        int exit = await Cli.RunCommand.ExecuteAsync(settings, console);
        return (exit, log.ToString());
    }

    [Fact]
    public async Task Solutions_and_mistakes_pass_and_the_source_notebook_is_untouched()
    {
        var (root, notebook, _) = Course();
        string before = File.ReadAllText(notebook);
        var (exit, log) = await Run(root, notebook, Cli.ExerciseMode.Solutions);
        Assert.True(exit == Cli.RunCommand.Success, log);
        (exit, log) = await Run(root, notebook, Cli.ExerciseMode.Mistakes);
        Assert.True(exit == Cli.RunCommand.Success, log);
        Assert.Contains("03-sigmoid-fix.mistakes-2.ipynb", log);
        Assert.True(File.Exists(Path.Combine(root, "out", "notebooks", "03-sigmoid-fix.mistakes-1.ipynb")));
        Assert.Equal(before, File.ReadAllText(notebook));
    }

    [Fact]
    public async Task A_wrong_solution_or_an_accepted_mistake_fails_the_run_and_names_the_catalogue_line()
    {
        // The solution of 3.2 replaced by σ itself: --solutions must fail, naming exercise and line.
        var (root, notebook, solutions) = Course(text => text.Replace("return σ * (1 - σ);", "return σ;", StringComparison.Ordinal));
        var (exit, log) = await Run(root, notebook, Cli.ExerciseMode.Solutions);
        Assert.Equal(Cli.RunCommand.NotebookFailed, exit);
        Assert.Matches(@"exercise 3\.2: the solution at .*03-sigmoid-fix\.cs:\d+ was not accepted: ✘ Exercise 3\.2", log);

        // A "mistake" that is in fact right: --mistakes must fail.
        (root, notebook, solutions) = Course(text => text.Replace(
            "int FirstBlowUp(double[] losses) => Array.FindIndex(losses, x => !double.IsFinite(x));",
            "int FirstBlowUp(double[] losses) => Array.FindIndex(losses, x => !double.IsFinite(x)) + 1;", StringComparison.Ordinal));
        (exit, log) = await Run(root, notebook, Cli.ExerciseMode.Mistakes);
        Assert.Equal(Cli.RunCommand.NotebookFailed, exit);
        Assert.Contains("exercise 3.1: the mistake at", log);
        Assert.Contains("was accepted: ✔ Exercise 3.1", log);
    }
}
