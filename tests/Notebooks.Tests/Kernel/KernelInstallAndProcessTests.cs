using System.Diagnostics;
using System.Text.Json.Nodes;
using FromScratch.Notebooks.Jupyter;
using static FromScratch.Notebooks.Tests.TestSupport;

namespace FromScratch.Notebooks.Tests.Kernel;

/// <summary>`kernel install|uninstall` and the kernel as the process a front end starts from the kernelspec.</summary>
public class KernelInstallAndProcessTests
{
    [Fact]
    public void Install_writes_a_kernelspec_that_runs_the_built_tool_and_uninstall_removes_it()
    {
        string prefix = TempFolder();
        var (code, output) = KernelProcess.Run("kernel", "install", "--prefix", prefix, "--name", "fs-install-test");
        Assert.True(code == 0, output);
        string folder = Path.Combine(prefix, "share", "jupyter", "kernels", "fs-install-test");
        var spec = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "kernel.json")))!;
        var argv = spec["argv"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        Assert.True(Path.IsPathRooted(argv[0]) && File.Exists(argv[0]), $"argv[0] {argv[0]} is not the dotnet executable");
        Assert.Equal(KernelProcess.ToolAssembly, argv[1]);
        Assert.Equal(["kernel", "start", "--connection-file", "{connection_file}"], argv.Skip(2));
        Assert.Equal("C# (FromScratch)", spec["display_name"]!.GetValue<string>());
        Assert.Equal("C#", spec["language"]!.GetValue<string>());
        Assert.Equal("message", spec["interrupt_mode"]!.GetValue<string>());

        (code, output) = KernelProcess.Run("kernel", "uninstall", "--prefix", prefix, "--name", "fs-install-test");
        Assert.True(code == 0, output);
        Assert.False(Directory.Exists(folder));
        (code, output) = KernelProcess.Run("kernel", "uninstall", "--prefix", prefix, "--name", "fs-install-test");
        Assert.Equal(0, code);
        Assert.Contains("not installed", output);

        (code, output) = KernelProcess.Run("kernel", "install", "--user", "--prefix", prefix);
        Assert.Equal(2, code);
        Assert.Contains("--user and --prefix", output);
        (code, output) = KernelProcess.Run("kernel", "install", "--prefix", prefix, "--name", "bad name/");
        Assert.Equal(1, code);
        Assert.Contains("'bad name/' is not valid", output);
    }

    [Fact]
    public void A_bad_connection_file_is_reported_with_its_path()
    {
        string folder = TempFolder();
        string file = Path.Combine(folder, "connection.json");
        File.WriteAllText(file, """{"shell_port": "x"}""");
        var (code, output) = KernelProcess.Run("kernel", "start", "--connection-file", file);
        Assert.Equal(2, code);
        Assert.Contains($"{file}: 'shell_port' is missing or not an integer", output);
    }

    [Fact]
    public void The_installed_kernel_starts_serves_and_exits_cleanly_on_shutdown()
    {
        string prefix = TempFolder();
        Assert.Equal(0, KernelProcess.Run("kernel", "install", "--prefix", prefix, "--name", "fs-process-test").ExitCode);
        string kernelJson = Path.Combine(prefix, "share", "jupyter", "kernels", "fs-process-test", "kernel.json");
        var (file, connection) = KernelProcess.ConnectionFile(TempFolder());
        using var process = KernelProcess.StartFromKernelJson(kernelJson, file, TempFolder(), new Dictionary<string, string>());
        try
        {
            using var client = new KernelClient(connection);
            client.WaitForReady();
            Assert.Equal("42", client.Evaluate("6 * 7"));
            client.Send(client.Control, "shutdown_request", new JsonObject { ["restart"] = false });
            Assert.Equal("shutdown_reply", client.Receive(client.Control).Type);
            Assert.True(process.WaitForExit(KernelClient.Timeout), "the kernel did not exit after shutdown_request");
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public void The_kernel_exits_when_its_parent_process_is_gone()
    {
        string prefix = TempFolder();
        Assert.Equal(0, KernelProcess.Run("kernel", "install", "--prefix", prefix, "--name", "fs-orphan-test").ExitCode);
        string kernelJson = Path.Combine(prefix, "share", "jupyter", "kernels", "fs-orphan-test", "kernel.json");
        using var parent = Process.Start(new ProcessStartInfo("sleep", "600"))!;
        var (file, connection) = KernelProcess.ConnectionFile(TempFolder());
        using var process = KernelProcess.StartFromKernelJson(kernelJson, file, TempFolder(),
            new Dictionary<string, string> { ["JPY_PARENT_PID"] = parent.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        try
        {
            using (var client = new KernelClient(connection)) client.WaitForReady();
            Assert.False(process.HasExited);
            parent.Kill();
            parent.WaitForExit();
            Assert.True(process.WaitForExit(KernelClient.Timeout), "the kernel outlived the process that started it");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            if (!parent.HasExited) parent.Kill();
        }
    }
}
