using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using FromScratch.Notebooks.Jupyter;
using static FromScratch.Notebooks.Tests.TestSupport;

namespace FromScratch.Notebooks.Tests.Kernel;

/// <summary>The built tool as a separate process: `dotnet FromScratch.Notebooks.dll …`, as a kernelspec starts it.</summary>
internal static class KernelProcess
{
    /// <summary>The tool's own build output (what `kernel install` points at), in the configuration these tests were built with.</summary>
    public static string ToolAssembly { get; } = FindToolAssembly();

    public static string Dotnet { get; } = KernelSpec.LocateDotnet();

    private static string FindToolAssembly()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string configuration = testBin.Parent!.Name; // …/bin/<Configuration>/net10.0
        string own = Path.Combine(RepoRoot, "tools", "Notebooks", "bin", configuration, testBin.Name, KernelSpec.AssemblyFileName);
        return File.Exists(own) ? own : Path.Combine(AppContext.BaseDirectory, KernelSpec.AssemblyFileName);
    }

    /// <summary>Runs the tool with <paramref name="args"/> to the end; returns exit code and all output.</summary>
    public static (int ExitCode, string Output) Run(params string[] args) => RunProgram(Dotnet, [ToolAssembly, .. args], null, null);

    public static (int ExitCode, string Output) RunProgram(string file, IEnumerable<string> args, IDictionary<string, string>? environment, string? workingDirectory)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? "" };
        foreach (string a in args) start.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }

    /// <summary>A connection file with five ports that were free a moment ago and a random key.</summary>
    public static (string Path, ConnectionInfo Connection) ConnectionFile(string folder)
    {
        var listeners = Enumerable.Range(0, 5).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        int[] ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        var connection = new ConnectionInfo
        {
            ShellPort = ports[0], IOPubPort = ports[1], StdinPort = ports[2], ControlPort = ports[3], HeartbeatPort = ports[4],
            Key = Guid.NewGuid().ToString(),
        };
        string path = System.IO.Path.Combine(folder, "kernel-connection.json");
        File.WriteAllText(path, connection.ToJson());
        return (path, connection);
    }

    /// <summary>Starts the kernel with the argv of an installed kernel.json.</summary>
    public static Process StartFromKernelJson(string kernelJson, string connectionFile, string workingDirectory, IDictionary<string, string> environment)
    {
        var argv = JsonNode.Parse(File.ReadAllText(kernelJson))!["argv"]!.AsArray().Select(a => a!.GetValue<string>().Replace("{connection_file}", connectionFile, StringComparison.Ordinal)).ToList();
        var start = new ProcessStartInfo(argv[0]) { WorkingDirectory = workingDirectory, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in argv.Skip(1)) start.ArgumentList.Add(a);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return process;
    }
}
