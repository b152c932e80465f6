using System.Text.Json.Nodes;
using FromScratch.Notebooks.Format;
using FromScratch.Notebooks.Tests.Kernel;
using static FromScratch.Notebooks.Tests.TestSupport;

namespace FromScratch.Notebooks.Tests.OfficialKernel;

/// <summary>
/// The official .NET Interactive kernel (the dotnet tool Microsoft.dotnet-interactive, which `.ci/run` installs,
/// pinned) with its `.net-csharp` kernelspec registered in a temporary JUPYTER_PATH, never the user's: the very
/// kernelspec every lesson's metadata names, as a learner with Polyglot Notebooks or the tool has it.
/// </summary>
public sealed class OfficialKernelSpec : IDisposable
{
    public const string NbconvertPath = "/usr/bin/jupyter-nbconvert";
    public const string KernelName = ".net-csharp";

    public string Root { get; } = TempFolder();

    /// <summary>The environment nbconvert runs with: the temporary Jupyter folders, and PATH with the tool's folder.</summary>
    public Dictionary<string, string> Environment { get; } = [];

    /// <summary>Why the kernel cannot be used here; null when it can.</summary>
    public string? Unavailable { get; }

    public OfficialKernelSpec()
    {
        string? tool = LocateTool();
        if (tool is null)
        {
            Unavailable = "the official .NET Interactive kernel is not installed (dotnet tool install -g Microsoft.dotnet-interactive --version 1.0.712001)";
            return;
        }
        if (!File.Exists(NbconvertPath) || KernelProcess.RunProgram("/usr/bin/python3", ["-c", "import jupyter_client, nbclient"], null, null).ExitCode != 0)
        {
            Unavailable = "jupyter-nbconvert with python3-jupyter-client is not installed (apt-get install -y jupyter-nbconvert python3-jupyter-client)";
            return;
        }
        string jupyter = Path.Combine(Root, "jupyter");
        string kernels = Path.Combine(jupyter, "kernels");
        Directory.CreateDirectory(kernels);
        Environment["PATH"] = Path.GetDirectoryName(tool) + Path.PathSeparator + System.Environment.GetEnvironmentVariable("PATH");
        Environment["JUPYTER_PATH"] = jupyter;
        Environment["JUPYTER_DATA_DIR"] = Path.Combine(Root, "data");
        Environment["JUPYTER_RUNTIME_DIR"] = Path.Combine(Root, "runtime");
        Environment["JUPYTER_CONFIG_DIR"] = Path.Combine(Root, "config");
        Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var (code, output) = KernelProcess.RunProgram(tool, ["jupyter", "install", "--path", kernels], Environment, Root);
        if (code != 0 || !File.Exists(Path.Combine(kernels, KernelName, "kernel.json")))
            Unavailable = $"`{tool} jupyter install --path {kernels}` did not register {KernelName} (exit {code}):\n{output}";
    }

    /// <summary>Skips locally when the kernel is not available; under CI=true that fails the test instead.</summary>
    public void Require()
    {
        if (Unavailable is null) return;
        if (System.Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail(Unavailable + "; CI must install it in .ci/run");
        Skip.If(true, Unavailable);
    }

    /// <summary>Executes <paramref name="notebook"/> on the official kernel with nbconvert; returns the executed file's path.</summary>
    public string Execute(string notebook, bool allowErrors = false) => Nbconvert(notebook, KernelName, Environment, allowErrors);

    /// <summary>Executes <paramref name="notebook"/> with nbconvert on the kernelspec <paramref name="kernelName"/>; returns the executed file's path.</summary>
    public static string Nbconvert(string notebook, string kernelName, IDictionary<string, string> environment, bool allowErrors = false)
    {
        string outFolder = TempFolder();
        var (code, output) = KernelProcess.RunProgram(NbconvertPath,
        [
            "--to", "notebook", "--execute", $"--ExecutePreprocessor.kernel_name={kernelName}",
            "--ExecutePreprocessor.timeout=900", "--ExecutePreprocessor.startup_timeout=180",
            .. allowErrors ? ["--allow-errors"] : Array.Empty<string>(),
            "--output-dir", outFolder, "--output", "executed", notebook,
        ], environment, Path.GetDirectoryName(notebook));
        Assert.True(code == 0, $"nbconvert on kernel {kernelName} failed on {notebook}:\n{output}");
        return Path.Combine(outFolder, "executed.ipynb");
    }

    /// <summary>
    /// A notebook of <paramref name="cells"/> for the .NET (C#) kernelspec, in a throw-away copy of the repository
    /// layout (build/ and data/ linked) so that a cell's <c>#r "../build/lib/FromScratch.dll"</c> and the course's
    /// data resolve as in a lesson.
    /// </summary>
    public static string ScratchNotebook(string name, IReadOnlyList<string> cells)
    {
        string root = TempFolder();
        Directory.CreateSymbolicLink(Path.Combine(root, "build"), Path.Combine(RepoRoot, "build"));
        Directory.CreateSymbolicLink(Path.Combine(root, "data"), Path.Combine(RepoRoot, "data"));
        Directory.CreateDirectory(Path.Combine(root, "notebooks"));
        var json = new JsonObject
        {
            ["cells"] = new JsonArray(cells.Select((c, i) => (JsonNode)new JsonObject
            {
                ["cell_type"] = "code", ["id"] = $"c{i + 1}", ["metadata"] = new JsonObject(), ["execution_count"] = null,
                ["outputs"] = new JsonArray(), ["source"] = NotebookDocument.ToLines(c),
            }).ToArray()),
            ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["name"] = KernelName, ["display_name"] = ".NET (C#)", ["language"] = "C#" } },
            ["nbformat"] = 4, ["nbformat_minor"] = 5,
        };
        string path = Path.Combine(root, "notebooks", name + ".ipynb");
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    /// <summary>dotnet-interactive in ~/.dotnet/tools (where `dotnet tool install -g` puts it), else on PATH.</summary>
    private static string? LocateTool()
    {
        var folders = new List<string>();
        if (System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile) is { Length: > 0 } home)
            folders.Add(Path.Combine(home, ".dotnet", "tools"));
        folders.AddRange((System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        return folders.Select(f => Path.Combine(f, "dotnet-interactive")).FirstOrDefault(File.Exists);
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Reading the outputs of an executed notebook.</summary>
internal static class ExecutedOutputs
{
    public static List<JsonArray> CodeCellOutputs(string executedPath) =>
        NotebookDocument.Load(executedPath).Cells.Where(c => c.IsCode).Select(c => c.Json["outputs"]!.AsArray()).ToList();

    /// <summary>All stream text of one cell's outputs, in order.</summary>
    public static string StreamText(JsonArray outputs) => string.Concat(outputs
        .Where(o => o!["output_type"]!.GetValue<string>() == "stream")
        .Select(o => Text(o!["text"])));

    /// <summary>Display and result outputs: their MIME bundles.</summary>
    public static List<JsonObject> Bundles(JsonArray outputs) => outputs
        .Where(o => o!["output_type"]!.GetValue<string>() is "display_data" or "execute_result")
        .Select(o => o!["data"]!.AsObject()).ToList();
}
