using FromScratch.Notebooks.Engine;
using FromScratch.Notebooks.Format;
using static FromScratch.Notebooks.Tests.TestSupport;

namespace FromScratch.Notebooks.Tests;

/// <summary>The autograd lesson's checks catch a wrong local derivative (its central claim can fail).</summary>
public class AutogradLessonTests
{
    private const string Lesson = "13-autograd.ipynb";

    [Theory]
    // ∂(a·b)/∂a taken as a instead of b: the finite-difference check of the first example fails.
    [InlineData("a.Grad += b.Data * o.Grad;", "a.Grad += a.Data * o.Grad;", "✘ ∂e/∂a against finite differences")]
    // σ′ taken as σ: the toy network's gradients no longer equal the hand-written ones.
    [InlineData("Grad += o.Data * (1 - o.Data) * o.Grad;", "Grad += o.Data * o.Grad;", "✘ ∂E/∂w31, autograd − by hand")]
    // The minus sign of ∂(a − b)/∂b lost: the error E = (y − ŷ)² passes the wrong sign back.
    [InlineData("b.Grad -= o.Grad;", "b.Grad += o.Grad;", "✘ ∂E/∂w31, autograd − by hand")]
    public async Task A_wrong_backward_rule_in_the_lessons_engine_prints_a_failed_check(string rule, string wrong, string expected)
    {
        var notebook = NotebookDocument.Load(Path.Combine(RepoRoot, "notebooks", Lesson));
        var engine = notebook.Cells.Single(c => c.Id == "scalar-class");
        Assert.Contains(rule, engine.Source); // the rule the lesson teaches is there to be broken
        engine.Source = engine.Source.Replace(rule, wrong, StringComparison.Ordinal);

        var result = await NotebookRunner.RunAsync(notebook, new NotebookRunOptions { Packages = LibraryPackages() });

        Assert.False(result.Succeeded, $"{Lesson} ran to the end with '{wrong}' in its engine");
        Assert.NotNull(result.FirstError);
        Assert.StartsWith(expected, result.FirstError.EValue, StringComparison.Ordinal);
    }
}
