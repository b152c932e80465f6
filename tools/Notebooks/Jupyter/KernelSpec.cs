using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FromScratch.Notebooks.Format;

namespace FromScratch.Notebooks.Jupyter;

/// <summary>A kernelspec that cannot be installed or removed: says which and why.</summary>
public sealed class KernelSpecException(string message) : Exception(message);

/// <summary>
/// The kernelspec that makes Jupyter front ends (VS Code's Jupyter extension, JupyterLab,
/// nbconvert) list this kernel: a folder <c>kernels/&lt;name&gt;/</c> holding <c>kernel.json</c>,
/// whose argv starts the built tool with <c>dotnet FromScratch.Notebooks.dll kernel start --connection-file {connection_file}</c>.
/// The built dll is run directly (no <c>dotnet run</c>, which would rebuild on every kernel start).
/// </summary>
public static partial class KernelSpec
{
    /// <summary>The kernel's name in front ends' lists and in notebooks' metadata.</summary>
    public const string DefaultName = "fromscratch-csharp";

    /// <summary>What front ends show.</summary>
    public const string DisplayName = "C# (FromScratch)";

    /// <summary>The file name of the tool's assembly.</summary>
    public const string AssemblyFileName = "FromScratch.Notebooks.dll";

    [GeneratedRegex("^[a-zA-Z0-9._-]+$")]
    private static partial Regex ValidName();

    /// <summary>
    /// The user's kernels folder, where Jupyter looks by default: $JUPYTER_DATA_DIR/kernels when set,
    /// else ~/.local/share/jupyter/kernels ($XDG_DATA_HOME respected) on Linux,
    /// ~/Library/Jupyter/kernels on macOS, %APPDATA%\jupyter\kernels on Windows.
    /// </summary>
    public static string UserKernelsFolder()
    {
        if (Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR") is { Length: > 0 } data) return Path.Combine(data, "kernels");
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsWindows()) return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "jupyter", "kernels");
        if (OperatingSystem.IsMacOS()) return Path.Combine(home, "Library", "Jupyter", "kernels");
        string xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } x ? x : Path.Combine(home, ".local", "share");
        return Path.Combine(xdg, "jupyter", "kernels");
    }

    /// <summary>The kernels folder under an installation prefix: &lt;prefix&gt;/share/jupyter/kernels (found by Jupyter through JUPYTER_PATH=&lt;prefix&gt;/share/jupyter or when the prefix is its sys.prefix).</summary>
    public static string PrefixKernelsFolder(string prefix) => Path.Combine(Path.GetFullPath(prefix), "share", "jupyter", "kernels");

    /// <summary>The kernel.json content for a kernel run as <c>dotnet &lt;dll&gt; kernel start</c>.</summary>
    /// <remarks>The env names the kernelspec to the kernel (figures fetch plotly.min.js from its folder).</remarks>
    public static JsonObject KernelJson(string dotnet, string assemblyPath, string name = DefaultName) => new()
    {
        ["argv"] = new JsonArray(dotnet, assemblyPath, "kernel", "start", "--connection-file", "{connection_file}"),
        ["display_name"] = DisplayName,
        ["language"] = "C#",
        ["interrupt_mode"] = "message",
        ["env"] = new JsonObject { [KernelNameVariable] = name },
        ["metadata"] = new JsonObject { ["debugger"] = false },
    };

    /// <summary>The environment variable kernel.json sets to the kernelspec's name.</summary>
    public const string KernelNameVariable = "FROMSCRATCH_KERNEL_NAME";

    /// <summary>
    /// Writes <c>&lt;kernelsFolder&gt;/&lt;name&gt;/kernel.json</c> (atomically; an earlier install of the
    /// same name is replaced) and returns the kernelspec folder.
    /// </summary>
    /// <remarks>
    /// With <paramref name="plotlyJs"/>, the folder also gets plotly.min.js: Jupyter servers serve it
    /// at &lt;base_url&gt;kernelspecs/&lt;name&gt;/plotly.min.js, where a figure output loads it when no
    /// other output in the page carries plotly.js (see FigureHtml.Fragment).
    /// </remarks>
    /// <exception cref="KernelSpecException">Bad name, missing assembly, or the folder cannot be written.</exception>
    public static string Install(string kernelsFolder, string name, string dotnet, string assemblyPath, string? plotlyJs = null)
    {
        CheckName(name);
        if (!File.Exists(assemblyPath))
            throw new KernelSpecException($"cannot install kernel '{name}': the tool's assembly {assemblyPath} does not exist (build it: dotnet build tools/Notebooks)");
        string runtimeConfig = Path.ChangeExtension(assemblyPath, ".runtimeconfig.json");
        if (!File.Exists(runtimeConfig))
            throw new KernelSpecException($"cannot install kernel '{name}': {runtimeConfig} is missing, so `dotnet {Path.GetFileName(assemblyPath)}` cannot start; install from the tool's own build (dotnet run --project tools/Notebooks -- kernel install)");
        string folder = Path.Combine(kernelsFolder, name);
        try
        {
            string json = KernelJson(dotnet, assemblyPath, name).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
            if (plotlyJs is not null) AtomicFile.WriteAllText(Path.Combine(folder, Engine.FigureHtml.KernelSpecPlotlyFile), plotlyJs);
            AtomicFile.WriteAllText(Path.Combine(folder, "kernel.json"), json);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KernelSpecException($"cannot write kernelspec {folder}: {e.Message}");
        }
        return folder;
    }

    /// <summary>Removes <c>&lt;kernelsFolder&gt;/&lt;name&gt;/</c>; false when it was not installed there.</summary>
    public static bool Uninstall(string kernelsFolder, string name)
    {
        CheckName(name);
        string folder = Path.Combine(kernelsFolder, name);
        if (!File.Exists(Path.Combine(folder, "kernel.json"))) return false;
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KernelSpecException($"cannot remove kernelspec {folder}: {e.Message}");
        }
        return true;
    }

    /// <summary>
    /// The dotnet executable to name in argv, as an absolute path when it can be found (front ends
    /// started from a desktop menu may not have it on PATH): the host running this process,
    /// $DOTNET_HOST_PATH, $DOTNET_ROOT/dotnet, or the first dotnet on PATH; else plain "dotnet".
    /// </summary>
    public static string LocateDotnet()
    {
        string exe = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.ProcessPath is { } self && Path.GetFileName(self).Equals(exe, StringComparison.OrdinalIgnoreCase)) return self;
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(Path.Combine(root, exe))) return Path.Combine(root, exe);
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            if (File.Exists(Path.Combine(dir, exe))) return Path.Combine(dir, exe);
        return "dotnet";
    }

    /// <summary>The running tool's assembly (what kernel.json should start).</summary>
    public static string ThisAssembly() => Path.Combine(AppContext.BaseDirectory, AssemblyFileName);

    private static void CheckName(string name)
    {
        if (!ValidName().IsMatch(name))
            throw new KernelSpecException($"kernel name '{name}' is not valid: use letters, digits, '.', '_' and '-' only (Jupyter's rule)");
    }
}
