using System.Text.Json.Nodes;
using FromScratch.Notebooks.Cli;
using FromScratch.Notebooks.Engine;
using FromScratch.Notebooks.Format;
using static FromScratch.Notebooks.Tests.TestSupport;

namespace FromScratch.Notebooks.Tests.Kernel;

/// <summary>
/// The kernelspec installed into a temporary prefix (never the user's kernels: JUPYTER_PATH,
/// JUPYTER_DATA_DIR, JUPYTER_RUNTIME_DIR and JUPYTER_CONFIG_DIR all point into a temporary folder).
/// </summary>
public sealed class TemporaryKernelSpec : IDisposable
{
    public string Root { get; } = TempFolder();
    public string Name { get; } = "fromscratch-test-" + Guid.NewGuid().ToString("N")[..8];
    public Dictionary<string, string> Environment { get; }
    public string? InstallProblem { get; }

    public TemporaryKernelSpec()
    {
        string prefix = Path.Combine(Root, "prefix");
        var (code, output) = KernelProcess.Run("kernel", "install", "--prefix", prefix, "--name", Name);
        if (code != 0) InstallProblem = output;
        Environment = new Dictionary<string, string>
        {
            ["JUPYTER_PATH"] = Path.Combine(prefix, "share", "jupyter"),
            ["JUPYTER_DATA_DIR"] = Path.Combine(Root, "data"),
            ["JUPYTER_RUNTIME_DIR"] = Path.Combine(Root, "runtime"),
            ["JUPYTER_CONFIG_DIR"] = Path.Combine(Root, "config"),
        };
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}

/// <summary>
/// An independent client: Debian's jupyter-nbconvert (jupyter_client + nbclient) executes notebooks
/// through the installed kernelspec. Every lesson in notebooks/ and a notebook made from the course
/// template with figures must run without errors, with the same outputs (types, MIME types, figures)
/// as the `run` engine gives them.
/// </summary>
public class NbconvertKernelTests(TemporaryKernelSpec spec) : IClassFixture<TemporaryKernelSpec>
{
    private const string TemplateNotebook = "(template with figures)";
    private const string Nbconvert = "/usr/bin/jupyter-nbconvert";

    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string> { TemplateNotebook };
        string folder = Path.Combine(RepoRoot, "notebooks");
        if (Directory.Exists(folder))
            foreach (string path in Directory.GetFiles(folder, "*.ipynb").Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(path));
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Notebooks))]
    public async Task Nbconvert_executes_the_notebook_through_the_kernel(string name)
    {
        bool available = File.Exists(Nbconvert) && KernelProcess.RunProgram("/usr/bin/python3", ["-c", "import jupyter_client, nbclient"], null, null).ExitCode == 0;
        if (!available)
        {
            const string message = "jupyter-nbconvert with python3-jupyter-client is not installed (apt-get install -y jupyter-nbconvert python3-jupyter-client)";
            if (System.Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail(message + "; CI must install it in .ci/run");
            Skip.If(true, message);
        }
        Assert.True(spec.InstallProblem is null, spec.InstallProblem);

        string source = name == TemplateNotebook ? TemplateWithFigures() : Path.Combine(RepoRoot, "notebooks", name);
        string outFolder = TempFolder();
        var (code, output) = KernelProcess.RunProgram(Nbconvert,
        [
            "--to", "notebook", "--execute", $"--ExecutePreprocessor.kernel_name={spec.Name}",
            "--ExecutePreprocessor.timeout=600", "--ExecutePreprocessor.startup_timeout=120",
            "--output-dir", outFolder, "--output", "executed", source,
        ], spec.Environment, null);
        Assert.True(code == 0, $"nbconvert failed on {source}:\n{output}");

        var executed = NotebookDocument.Load(Path.Combine(outFolder, "executed.ipynb"));
        var kernelOutputs = executed.Cells.Where(c => c.IsCode).Select(c => Shape(c.Json["outputs"]!.AsArray())).ToList();
        Assert.DoesNotContain(kernelOutputs.SelectMany(o => o), o => o.StartsWith("error", StringComparison.Ordinal));

        // The same notebook through the `run` engine: same outputs, so every figure is there.
        var reference = NotebookDocument.Load(source);
        var result = await NotebookRunner.RunAsync(reference, new NotebookRunOptions { Packages = LibraryPackages(), CellTimeout = TimeSpan.FromMinutes(10) });
        Assert.True(result.Succeeded, result.FirstError is null ? "engine run failed" : string.Join("\n", result.FirstError.Traceback));
        var engineOutputs = reference.Cells.Where(c => c.IsCode).Select(c => Shape(c.Json["outputs"]!.AsArray())).ToList();
        Assert.Equal(engineOutputs.Count, kernelOutputs.Count);
        var codeCells = reference.Cells.Where(c => c.IsCode).ToList();
        int widgetCells = 0;
        for (int i = 0; i < engineOutputs.Count; i++)
        {
            if (codeCells[i].Source.Contains("Knob.Show(", StringComparison.Ordinal))
            {
                // A knob cell: live widgets in the kernel (their figure lives in the saved widget state), the one-line
                // note and the precomputed slider figure in `run`.
                Assert.Equal(["display_data:application/vnd.jupyter.widget-view+json,text/plain"], kernelOutputs[i]);
                Assert.Equal("stream:stdout", engineOutputs[i][0]);
                widgetCells++;
                continue;
            }
            Assert.True(engineOutputs[i].SequenceEqual(kernelOutputs[i]),
                $"{name}, code cell {i + 1}: kernel gave [{string.Join("; ", kernelOutputs[i])}], engine gave [{string.Join("; ", engineOutputs[i])}]");
        }
        if (widgetCells > 0)
            Assert.True(executed.Metadata["widgets"]?["application/vnd.jupyter.widget-state+json"]?["state"] is JsonObject { Count: > 0 },
                $"{name}: {widgetCells} knob cell(s), but nbconvert saved no widget state in the notebook's metadata");

        int figures = executed.Cells.Where(c => c.IsCode).SelectMany(c => c.Json["outputs"]!.AsArray())
            .Count(o => o!["data"]?["application/vnd.plotly.v1+json"] is JsonObject plotly && plotly["data"] is JsonArray);
        Assert.Equal(result.Figures.Count - widgetCells, figures); // a knob's figure is in the widget state instead
        if (name == TemplateNotebook) Assert.Equal(2, figures);
        Jupyter.Validate(Path.Combine(outFolder, "executed.ipynb"));
    }

    /// <summary>Each output as "type[:stream name or MIME types]", consecutive same-stream outputs merged (nbclient keeps them apart).</summary>
    private static List<string> Shape(JsonArray outputs)
    {
        var shape = new List<string>();
        foreach (var output in outputs)
        {
            string type = output!["output_type"]!.GetValue<string>();
            string item = type switch
            {
                "stream" => $"stream:{output["name"]!.GetValue<string>()}",
                "display_data" or "execute_result" => $"{type}:{string.Join(",", output["data"]!.AsObject().Select(kv => kv.Key).Order(StringComparer.Ordinal))}",
                "error" => $"error:{output["ename"]?.GetValue<string>()}",
                _ => type,
            };
            if (item.StartsWith("stream:", StringComparison.Ordinal) && shape.Count > 0 && shape[^1] == item) continue;
            shape.Add(item);
        }
        return shape;
    }

    /// <summary>
    /// A lesson made with `new` from the course template, in a throw-away copy of the repository
    /// layout (build/ and data/ linked), with two figure cells added: a displayed one and a result.
    /// </summary>
    private static string TemplateWithFigures()
    {
        string root = TempFolder();
        File.WriteAllText(Path.Combine(root, "FromScratch.slnx"), "<Solution />\n");
        Directory.CreateSymbolicLink(Path.Combine(root, "build"), Path.Combine(RepoRoot, "build"));
        Directory.CreateSymbolicLink(Path.Combine(root, "data"), Path.Combine(RepoRoot, "data"));
        var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Out = new Spectre.Console.AnsiConsoleOutput(TextWriter.Null) });
        Assert.Equal(0, NewCommand.Execute("kernel-lesson", root, console));
        string path = Path.Combine(root, "notebooks", "kernel-lesson.ipynb");
        var notebook = NotebookDocument.Load(path);
        JsonObject Code(string text) => new()
        {
            ["cell_type"] = "code", ["execution_count"] = null, ["id"] = Guid.NewGuid().ToString("N")[..8],
            ["metadata"] = new JsonObject(), ["outputs"] = new JsonArray(), ["source"] = NotebookDocument.ToLines(text),
        };
        notebook.InsertCell(notebook.Cells.Count, Code("Console.WriteLine($\"seed {seed}, η = {learningRate}\");\ndisplay(Plot.Functions((-6, 6), [(\"σ(x)\", v => 1 / (1 + Math.Exp(-v)))], \"sigmoid\"));"));
        notebook.InsertCell(notebook.Cells.Count, Code("Plot.Lines([0.0, 1, 2], [(\"loss\", new[] { 1.0, 0.5, 0.25 })], \"loss\", \"epoch\", \"loss\")"));
        notebook.Save(path);
        return path;
    }
}
