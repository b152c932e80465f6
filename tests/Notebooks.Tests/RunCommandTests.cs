using System.Text.Json.Nodes;
using FromScratch.Notebooks.Cli;
using FromScratch.Notebooks.Format;
using Spectre.Console;
using static FromScratch.Notebooks.Tests.TestSupport;

namespace FromScratch.Notebooks.Tests;

public class RunCommandTests
{
    private static async Task<(int Exit, string Console)> Run(string outFolder, bool inPlace = false, params string[] notebooks)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer), Interactive = InteractionSupport.No, Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = 1000; // as Program does when output is redirected: one line per message
        var settings = new RunSettings(notebooks, new Dictionary<string, string>(), outFolder, inPlace, false, null, RepoRoot);
        int exit = await RunCommand.ExecuteAsync(settings, console);
        return (exit, writer.ToString());
    }

    [SkippableFact]
    public async Task Executed_copies_are_valid_nbformat_and_sources_are_untouched_without_in_place()
    {
        string outFolder = TempFolder();
        string[] fixtures = ["state.ipynb", "figure.ipynb", "runtime-error.ipynb", "metadata.ipynb", "library.ipynb"];
        var before = fixtures.ToDictionary(f => f, f => File.ReadAllBytes(Fixture(f)));
        var (exit, console) = await Run(outFolder, false, fixtures.Select(Fixture).ToArray());
        Assert.Equal(RunCommand.NotebookFailed, exit); // runtime-error fails
        Assert.Contains("runtime-error.ipynb, cell 3 (code cell 2), line 3", console);
        foreach (string f in fixtures)
        {
            Assert.Equal(before[f], File.ReadAllBytes(Fixture(f)));
            Jupyter.Validate(Path.Combine(outFolder, "notebooks", f));
        }
    }

    [Fact]
    public async Task Every_figure_is_saved_as_a_self_contained_html_file()
    {
        string outFolder = TempFolder();
        var (exit, _) = await Run(outFolder, false, Fixture("figure.ipynb"));
        Assert.Equal(RunCommand.Success, exit);
        string folder = Path.Combine(outFolder, "figures", "figure");
        Assert.Equal(["cell02-fig1.html", "cell02-fig2.html"], Directory.GetFiles(folder).Select(Path.GetFileName).Order());
        foreach (string file in Directory.GetFiles(folder))
        {
            string html = File.ReadAllText(file);
            Assert.Contains("FAKE-PLOTLY-JS", html); // plotly.js inline in every file
            Assert.Contains("\"squares\"", html);
            Assert.DoesNotContain("src=\"http", html);
        }
    }

    [SkippableFact]
    public async Task Nbconvert_renders_an_executed_notebook_with_its_figures()
    {
        string outFolder = TempFolder();
        await Run(outFolder, false, Fixture("figure.ipynb"));
        string html = Jupyter.ToHtml(Path.Combine(outFolder, "notebooks", "figure.ipynb"), outFolder);
        Assert.Contains("FAKE-PLOTLY-JS", html);
        Assert.Contains("figure-figure-1", html);
        Assert.Contains("figure-figure-2", html);
    }

    [Fact]
    public async Task Round_trip_changes_nothing_but_outputs_and_execution_counts()
    {
        string outFolder = TempFolder();
        var (exit, _) = await Run(outFolder, false, Fixture("metadata.ipynb"));
        Assert.Equal(RunCommand.Success, exit);
        var original = JsonNode.Parse(File.ReadAllText(Fixture("metadata.ipynb")))!.AsObject();
        var executed = JsonNode.Parse(File.ReadAllText(Path.Combine(outFolder, "notebooks", "metadata.ipynb")))!.AsObject();
        Assert.Equal("2", Text(executed["cells"]![1]!["outputs"]![0]!["data"]!["text/plain"]));
        foreach (var cell in executed["cells"]!.AsArray().Concat(original["cells"]!.AsArray()))
        {
            cell!.AsObject().Remove("outputs");
            cell.AsObject().Remove("execution_count");
        }
        Assert.True(JsonNode.DeepEquals(original, executed), $"expected\n{original}\nbut got\n{executed}");
    }

    [Fact]
    public async Task In_place_writes_outputs_into_the_source()
    {
        string folder = TempFolder();
        string copy = Path.Combine(folder, "state.ipynb");
        File.Copy(Fixture("state.ipynb"), copy);
        var (exit, _) = await Run(Path.Combine(folder, "out"), true, copy);
        Assert.Equal(RunCommand.Success, exit);
        var notebook = NotebookDocument.Load(copy);
        Assert.Equal("42", Text(notebook.Cells[2].Json["outputs"]![0]!["data"]!["text/plain"]));
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
        Assert.False(Directory.Exists(Path.Combine(folder, "out", "notebooks")));
    }

    [Fact]
    public async Task Malformed_json_gets_one_line_naming_file_and_position()
    {
        var (exit, console) = await Run(TempFolder(), false, Fixture("malformed.ipynb"));
        Assert.Equal(RunCommand.NotebookFailed, exit);
        string line = console.Split('\n').First(l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains("malformed.ipynb: malformed notebook JSON at line 4, column 2", line);
    }

    [Fact]
    public async Task A_missing_file_gets_one_line_naming_it()
    {
        var (exit, console) = await Run(TempFolder(), false, Fixture("no-such.ipynb"));
        Assert.Equal(RunCommand.NotebookFailed, exit);
        Assert.Contains("no-such.ipynb: file not found", console);
    }

    [Fact]
    public async Task An_unwritable_output_folder_gets_one_line_naming_it()
    {
        string folder = TempFolder();
        string blocker = Path.Combine(folder, "a-file");
        File.WriteAllText(blocker, "");
        var (exit, console) = await Run(Path.Combine(blocker, "out"), false, Fixture("state.ipynb"));
        Assert.Equal(RunCommand.UsageError, exit);
        Assert.Contains($"cannot write to output folder {Path.Combine(blocker, "out")}: {blocker} is a file, not a folder", console);
    }

    [Fact]
    public async Task Site_checks_its_output_folder_before_running_anything()
    {
        string blocker = Path.Combine(TempFolder(), "a-file");
        File.WriteAllText(blocker, "");
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Interactive = InteractionSupport.No, Ansi = AnsiSupport.No });
        console.Profile.Width = 1000;
        int exit = await SiteCommand.ExecuteAsync([Fixture("state.ipynb")], Path.Combine(blocker, "site"), RepoRoot, console);
        Assert.Equal(RunCommand.UsageError, exit);
        Assert.Contains($"{blocker} is a file, not a folder", writer.ToString());
        Assert.DoesNotContain("state.ipynb", writer.ToString()); // nothing ran
    }

    [SkippableFact]
    public void New_creates_a_polyglot_lesson_from_the_template_and_refuses_to_overwrite()
    {
        string folder = TempFolder();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(new StringWriter()) });
        Assert.Equal(RunCommand.Success, NewCommand.Execute(Path.Combine(folder, "07-demo"), folder, console));
        string path = Path.Combine(folder, "07-demo.ipynb");
        byte[] created = File.ReadAllBytes(path);
        var notebook = NotebookDocument.Load(path);
        Assert.Equal(".net-csharp", notebook.Metadata["kernelspec"]!["name"]!.GetValue<string>());
        Assert.Equal("csharp", notebook.Metadata["polyglot_notebook"]!["kernelInfo"]!["defaultKernelName"]!.GetValue<string>());
        Assert.All(notebook.Cells.Where(c => c.IsCode), c => Assert.Equal("csharp", c.Json["metadata"]!["polyglot_notebook"]!["kernelName"]!.GetValue<string>()));
        Assert.Single(notebook.Cells, c => c.Tags.Contains("parameters"));
        Assert.StartsWith("# 07-demo", notebook.Cells[0].Source);
        Assert.Equal(RunCommand.UsageError, NewCommand.Execute(Path.Combine(folder, "07-demo"), folder, console));
        Assert.Equal(created, File.ReadAllBytes(path));
        Jupyter.Validate(path);
    }

    [Fact]
    public async Task The_template_runs_from_notebooks_folder_depth()
    {
        // The template loads ../build/lib/FromScratch.dll: run it from a folder one level below the repository.
        string folder = Path.Combine(RepoRoot, ".template-test-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            string path = Path.Combine(folder, "lesson.ipynb");
            File.WriteAllText(path, NewCommand.Template().Replace("{{TITLE}}", "t", StringComparison.Ordinal).Replace("{{FILE}}", "t", StringComparison.Ordinal));
            var notebook = NotebookDocument.Load(path);
            var result = await Engine.NotebookRunner.RunAsync(notebook, new Engine.NotebookRunOptions());
            Assert.True(result.Succeeded, result.FirstError is null ? "" : string.Join("\n", result.FirstError.Traceback));
            Assert.True(double.Parse(Text(notebook.Cells[5].Json["outputs"]![0]!["data"]!["text/plain"]), System.Globalization.CultureInfo.InvariantCulture) < 1e-7);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
