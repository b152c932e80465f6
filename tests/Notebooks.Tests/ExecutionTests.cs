using System.Text.Json.Nodes;
using FromScratch.Notebooks.Engine;
using static FromScratch.Notebooks.Tests.TestSupport;

namespace FromScratch.Notebooks.Tests;

public class ExecutionTests
{
    [Fact]
    public async Task State_carries_across_cells_and_a_later_cell_may_redeclare_a_variable()
    {
        var (notebook, result) = await RunFixture("state.ipynb");
        Assert.True(result.Succeeded, result.FirstError?.EValue);
        Assert.Equal("42", Text(Outputs(notebook, 3).Single()!["data"]!["text/plain"]));
        Assert.Equal("NOW A STRING", Text(Outputs(notebook, 4).Single()!["data"]!["text/plain"]));
    }

    [Fact]
    public async Task A_trailing_expression_gives_an_execute_result_and_a_cell_ending_in_a_semicolon_gives_none()
    {
        var (notebook, _) = await RunFixture("state.ipynb");
        var result = Outputs(notebook, 3).Single()!;
        Assert.Equal("execute_result", result["output_type"]!.GetValue<string>());
        Assert.Equal(notebook.Cells[2].Json["execution_count"]!.GetValue<int>(), result["execution_count"]!.GetValue<int>());
        Assert.Empty(Outputs(notebook, 5));
        Assert.Equal(4, notebook.Cells[4].Json["execution_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Stdout_stderr_and_displays_come_out_in_order()
    {
        var (notebook, _) = await RunFixture("state.ipynb");
        var outputs = Outputs(notebook, 6);
        var kinds = outputs.Select(o => o!["output_type"]!.GetValue<string>() + ":" + (o["name"]?.GetValue<string>() ?? "")).ToList();
        Assert.Equal(["stream:stdout", "stream:stderr", "display_data:", "stream:stdout", "display_data:"], kinds);
        Assert.Equal("hello\n", Text(outputs[0]!["text"]));
        Assert.Equal("to stderr\n", Text(outputs[1]!["text"]));
        Assert.Equal("<b>bold</b>", Text(outputs[2]!["data"]!["text/html"]));
        Assert.Equal("after display\n", Text(outputs[3]!["text"]));
        Assert.Equal("[1, 2, 3]", Text(outputs[4]!["data"]!["text/plain"]));
    }

    [Fact]
    public async Task A_compile_error_names_notebook_cell_and_line_and_stops_the_run()
    {
        var (notebook, result) = await RunFixture("compile-error.ipynb");
        Assert.False(result.Succeeded);
        var error = Outputs(notebook, 2).Single()!;
        Assert.Equal("error", error["output_type"]!.GetValue<string>());
        Assert.Equal("CompilationError", error["ename"]!.GetValue<string>());
        Assert.Contains("CS0103", error["evalue"]!.GetValue<string>());
        string traceback = string.Join("\n", error["traceback"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Contains("compile-error.ipynb, cell 2 (code cell 2), line 2, column 14", traceback);
        Assert.Empty(Outputs(notebook, 3));
        Assert.Null(notebook.Cells[2].Json["execution_count"]);
        Assert.Equal(2, result.CellsRun);
    }

    [Fact]
    public async Task A_runtime_exception_names_notebook_cell_and_line_and_stops_the_run()
    {
        var (notebook, result) = await RunFixture("runtime-error.ipynb");
        Assert.False(result.Succeeded);
        var error = Outputs(notebook, 3).Single()!;
        Assert.Equal("InvalidOperationException", error["ename"]!.GetValue<string>());
        Assert.Equal("sum was 6", error["evalue"]!.GetValue<string>());
        string traceback = string.Join("\n", error["traceback"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Contains("runtime-error.ipynb, cell 3 (code cell 2), line 3", traceback);
        Assert.Empty(Outputs(notebook, 4));
    }

    [Fact]
    public async Task Continue_on_error_runs_the_later_cells()
    {
        var (notebook, result) = await RunFixture("runtime-error.ipynb", new NotebookRunOptions { ContinueOnError = true });
        Assert.False(result.Succeeded);
        Assert.Equal("must not run\n", Text(Outputs(notebook, 4).Single()!["text"]));
    }

    [Fact]
    public async Task The_built_library_loads_with_r_and_its_dependencies_resolve_from_its_folder()
    {
        var (notebook, result) = await RunFixture("library.ipynb");
        Assert.True(result.Succeeded, result.FirstError is null ? "" : string.Join("\n", result.FirstError.Traceback));
        Assert.Equal("6.000000", Text(Outputs(notebook, 2).Single()!["data"]!["text/plain"]));
        Assert.Equal("Plotly.NET", Text(Outputs(notebook, 3).Single()!["data"]!["text/plain"]));
    }

    [Fact]
    public async Task Nuget_reference_to_a_carried_package_is_accepted_with_a_note()
    {
        var (notebook, result) = await RunFixture("nuget-accepted.ipynb");
        Assert.True(result.Succeeded, result.FirstError?.EValue);
        var outputs = Outputs(notebook, 1);
        Assert.Contains("MathNet.Numerics 5.0.0 is already available", Text(outputs[0]!["text"]));
        Assert.Equal("3", Text(outputs[1]!["data"]!["text/plain"]));
    }

    [Fact]
    public async Task Nuget_reference_to_a_package_no_feed_has_fails_naming_it_and_what_to_try()
    {
        var (notebook, result) = await RunFixture("nuget-refused.ipynb");
        Assert.False(result.Succeeded);
        var error = Outputs(notebook, 1).Single()!;
        string evalue = error["evalue"]!.GetValue<string>();
        Assert.Contains("FromScratch.NoSuchPackage 2.14.1", evalue);
        Assert.Contains("NU1101", evalue);
        Assert.Contains("nuget-refused.ipynb, cell 1 (code cell 1), line 1", string.Join("\n", error["traceback"]!.AsArray()));
        Assert.Empty(Outputs(notebook, 2));
    }

    [Fact]
    public async Task Nuget_reference_to_a_carried_package_at_another_version_names_the_version_to_use()
    {
        var packages = LibraryPackages();
        var carried = packages.Find("MathNet.Numerics", version: null)!;
        var session = new NotebookSession(new NotebookSessionOptions { NotebookPath = Fixture("api.ipynb"), Packages = packages });
        var outputs = new List<CellOutput>();
        var result = await session.ExecuteAsync("#r \"nuget: MathNet.Numerics, 1.0.0\"", new CellLocation(1, 1), outputs.Add);
        Assert.Equal(CellStatus.Error, result.Status);
        string evalue = Assert.IsType<ErrorOutput>(outputs.Single()).EValue;
        Assert.Contains("MathNet.Numerics 1.0.0 is not available", evalue);
        Assert.Contains($"#r \"nuget: MathNet.Numerics, {carried.Version}\"", evalue);
    }

    [Fact]
    public async Task A_magic_command_fails_naming_the_command()
    {
        var (notebook, result) = await RunFixture("magic.ipynb");
        Assert.False(result.Succeeded);
        Assert.Contains("'#!time'", Outputs(notebook, 1).Single()!["evalue"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_figure_gets_plotly_json_html_and_plain_text_and_plotly_js_only_once()
    {
        var (notebook, result) = await RunFixture("figure.ipynb");
        Assert.True(result.Succeeded, result.FirstError?.EValue);
        var outputs = Outputs(notebook, 2);
        Assert.Equal(["display_data", "execute_result"], outputs.Select(o => o!["output_type"]!.GetValue<string>()));
        foreach (var output in outputs)
        {
            var data = output!["data"]!.AsObject();
            Assert.IsType<JsonObject>(data["application/vnd.plotly.v1+json"], exactMatch: false);
            Assert.Equal("squares", data["application/vnd.plotly.v1+json"]!["layout"]!["title"]!["text"]!.GetValue<string>());
            Assert.Contains("Plotly.newPlot", Text(data["text/html"]));
            Assert.Equal("FakeFigure: 1 trace(s) (scatter)", Text(data["text/plain"]));
        }
        Assert.Contains("FAKE-PLOTLY-JS", Text(outputs[0]!["data"]!["text/html"]));
        Assert.DoesNotContain("FAKE-PLOTLY-JS", Text(outputs[1]!["data"]!["text/html"]));
        Assert.Equal(["cell02-fig1.html", "cell02-fig2.html"], result.Figures.Select(f => f.FileName));
    }

    [Fact]
    public async Task A_cell_over_the_time_limit_is_cancelled_and_the_session_keeps_its_state()
    {
        var (notebook, result) = await RunFixture("timeout.ipynb", new NotebookRunOptions { CellTimeout = TimeSpan.FromSeconds(1), ContinueOnError = true });
        Assert.False(result.Succeeded);
        var error = Outputs(notebook, 2).Single()!;
        Assert.Equal("CellTimeout", error["ename"]!.GetValue<string>());
        Assert.Contains("time limit of 1 s", error["evalue"]!.GetValue<string>());
        Assert.Contains("timeout.ipynb, cell 2 (code cell 2)", string.Join("\n", error["traceback"]!.AsArray().Select(l => l!.GetValue<string>())));
        Assert.Equal("still alive", Text(Outputs(notebook, 3).Single()!["data"]!["text/plain"]));
    }

    [Fact]
    public async Task A_cell_that_cannot_be_stopped_ends_the_session()
    {
        var (notebook, result) = await RunFixture("stuck.ipynb", new NotebookRunOptions { CellTimeout = TimeSpan.FromSeconds(0.5), ContinueOnError = true });
        Assert.False(result.Succeeded);
        Assert.Contains("did not stop", Outputs(notebook, 1).Single()!["evalue"]!.GetValue<string>());
        Assert.Empty(Outputs(notebook, 2));
    }

    [Fact]
    public async Task A_session_streams_outputs_through_its_callback_and_counts_executions()
    {
        var session = new NotebookSession(new NotebookSessionOptions { NotebookPath = Fixture("api.ipynb") });
        var outputs = new List<CellOutput>();
        var first = await session.ExecuteAsync("var a = 20;", new CellLocation(1, 1), outputs.Add);
        var second = await session.ExecuteAsync("Console.Write(\"partial\"); a + 1", new CellLocation(2, 2), outputs.Add);
        Assert.Equal((CellStatus.Ok, 1), (first.Status, first.ExecutionCount));
        Assert.Equal((CellStatus.Ok, 2), (second.Status, second.ExecutionCount));
        Assert.Equal(new StreamOutput("stdout", "partial"), outputs[0]);
        Assert.Equal("21", Assert.IsType<ResultOutput>(outputs[1]).Bundle.PlainText);
    }

    [Fact]
    public async Task Cancelling_a_cell_reports_it_interrupted_and_the_session_goes_on()
    {
        var session = new NotebookSession(new NotebookSessionOptions { NotebookPath = Fixture("api.ipynb") });
        using var cancel = new CancellationTokenSource();
        var outputs = new List<CellOutput>();
        // Cancel only once the cell has compiled and is inside its loop: it says so on stdout.
        var looping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnOutput(CellOutput output)
        {
            outputs.Add(output);
            if (output is StreamOutput { Text: "looping\n" }) looping.TrySetResult();
        }
        var cell = session.ExecuteAsync("long n = 0;\nfor (;;) { n++; if (n == 1000) Console.WriteLine(\"looping\"); }",
            new CellLocation(1, 1), OnOutput, cancellation: cancel.Token);
        await Task.WhenAny(looping.Task, cell, Task.Delay(TimeSpan.FromMinutes(2))); // the delay only guards against a hang
        cancel.Cancel();
        var result = await cell;
        Assert.True(looping.Task.IsCompleted, $"the cell never said it was looping: {string.Join("; ", outputs)}");

        Assert.Equal(CellStatus.Cancelled, result.Status);
        Assert.Equal("Interrupted", Assert.IsType<ErrorOutput>(outputs.Last()).EName);
        var after = await session.ExecuteAsync("n >= 1000", new CellLocation(2, 2), outputs.Add);
        Assert.Equal(CellStatus.Ok, after.Status);
        Assert.Equal("true", Assert.IsType<ResultOutput>(outputs.Last()).Bundle.PlainText);
    }

    [Fact]
    public void Interrupt_checks_keep_line_numbers()
    {
        string code = "int i = 0;\nwhile (i < 3)\n    i++;\nfor (int j = 0; j < 2; j++) { i += j; }\n";
        string rewritten = CellPreprocessor.InsertInterruptChecks(code);
        Assert.Equal(code.Count(c => c == '\n'), rewritten.Count(c => c == '\n'));
        Assert.Equal(2, rewritten.Split("CellInterrupt.Check()").Length - 1);
    }
}
