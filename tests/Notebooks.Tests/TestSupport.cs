using System.Diagnostics;
using System.Text.Json.Nodes;
using FromScratch.Notebooks.Engine;
using FromScratch.Notebooks.Format;

// Sessions set the process's current directory and route Console per cell: run tests one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace FromScratch.Notebooks.Tests;

internal static class TestSupport
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The course library's build, with forward slashes as a cell's <c>#r "…"</c> line takes it.</summary>
    public static string LibraryDll { get; } =
        Path.Combine(RepoRoot, "build", "lib", "FromScratch.dll").Replace("\\", "/", StringComparison.Ordinal);

    /// <summary>A JSON string value of a Jupyter message, or null when the node is missing.</summary>
    public static string? String(JsonNode? node) => node?.GetValue<string>();

    public static string Fixture(string name) => Path.Combine(RepoRoot, "tests", "Notebooks.Tests", "Fixtures", name);

    public static async Task<(NotebookDocument Notebook, NotebookRunResult Result)> RunFixture(string name, NotebookRunOptions? options = null)
    {
        var notebook = NotebookDocument.Load(Fixture(name));
        var result = await NotebookRunner.RunAsync(notebook, options ?? new NotebookRunOptions { Packages = LibraryPackages() });
        return (notebook, result);
    }

    public static PackageCatalog LibraryPackages() =>
        PackageCatalog.FromDepsJson(Path.Combine(RepoRoot, "build", "lib", "FromScratch.deps.json"));

    public static JsonArray Outputs(NotebookDocument notebook, int cellNumber) => notebook.Cells[cellNumber - 1].Json["outputs"]!.AsArray();

    public static string Text(JsonNode? multiline) => NotebookDocument.FromMultiline(multiline);

    public static string TempFolder()
    {
        string folder = Path.Combine(Path.GetTempPath(), "nbtests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "FromScratch.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"no FromScratch.slnx above {AppContext.BaseDirectory}");
    }
}

/// <summary>Debian's python3-nbformat and jupyter-nbconvert as independent readers of what we write.</summary>
internal static class Jupyter
{
    private static readonly Lazy<string?> Python = new(() =>
        new[] { "/usr/bin/python3", "python3" }.FirstOrDefault(p => Run(p, ["-c", "import nbformat"]).ExitCode == 0));

    /// <summary>Skips locally when the tool is missing; under CI=true a missing tool fails the test.</summary>
    public static void Require(bool available, string what)
    {
        if (available) return;
        string message = $"{what} is not installed (apt-get install -y python3-nbformat jupyter-nbconvert)";
        if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail(message + "; CI must install it in .ci/run");
        Skip.If(true, message);
    }

    public static void Validate(string notebookPath)
    {
        Require(Python.Value is not null, "python3-nbformat");
        var (exit, output) = Run(Python.Value!, ["-c", "import nbformat, sys; nbformat.validate(nbformat.read(sys.argv[1], as_version=nbformat.NO_CONVERT)); print('valid')", notebookPath]);
        Assert.True(exit == 0, $"nbformat rejected {notebookPath}:\n{output}");
    }

    public static string ToHtml(string notebookPath, string outFolder)
    {
        bool available = File.Exists("/usr/bin/jupyter-nbconvert");
        Require(available, "jupyter-nbconvert");
        var (exit, output) = Run("/usr/bin/jupyter-nbconvert", ["--to", "html", "--output-dir", outFolder, notebookPath]);
        Assert.True(exit == 0, $"nbconvert failed on {notebookPath}:\n{output}");
        return File.ReadAllText(Path.Combine(outFolder, Path.GetFileNameWithoutExtension(notebookPath) + ".html"));
    }

    private static (int ExitCode, string Output) Run(string file, string[] args)
    {
        try
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in args) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout + stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
