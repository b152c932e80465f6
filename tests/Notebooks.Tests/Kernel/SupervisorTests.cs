using System.Diagnostics;
using FromScratch.Notebooks.Jupyter;
using NetMQ;
using static FromScratch.Notebooks.Tests.TestSupport;

namespace FromScratch.Notebooks.Tests.Kernel;

/// <summary>
/// The supervisor in this process with stand-in workers (a shell that exits, one that never becomes ready): what it
/// does on its own, apart from relaying (which the crash and stuck-cell tests cover with real workers).
/// </summary>
public class SupervisorTests
{
    private static ProcessStartInfo Shell(string script) => new("/bin/sh") { ArgumentList = { "-c", script }, UseShellExecute = false };

    private static string[] ConnectionFilesOfThisProcess() =>
        Directory.GetFiles(Path.GetTempPath(), $"fromscratch-worker-{Environment.ProcessId}-*");

    [SkippableFact]
    public async Task A_worker_that_keeps_dying_is_restarted_five_times_then_given_up_on()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "the stand-in worker is /bin/sh");
        var (_, connection) = KernelProcess.ConnectionFile(TempFolder());
        var log = new StringWriter();
        using (var supervisor = new KernelSupervisor(connection, () => Shell("echo dying >&2; exit 3"), TextWriter.Synchronized(log)))
        {
            supervisor.Start();
            Assert.Equal(1, await supervisor.Done.WaitAsync(TimeSpan.FromSeconds(30)));
        }
        string text = log.ToString();
        Assert.Equal(5, text.Split('\n').Count(l => l.Contains("started worker", StringComparison.Ordinal)));
        Assert.Equal(5, text.Split('\n').Count(l => l.Contains("died (exit code 3)", StringComparison.Ordinal)));
        Assert.Contains("dying", text); // the worker's stderr is passed on to the supervisor's
        Assert.Contains("the worker died 5 times within 30 s; giving up", text);
        Assert.Empty(ConnectionFilesOfThisProcess()); // each worker's file (it holds the key) went with it
    }

    [SkippableFact]
    public async Task While_a_worker_starts_the_heartbeat_is_answered_and_shutdown_ends_the_worker_and_the_supervisor()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "the stand-in worker is /bin/sh");
        var (_, connection) = KernelProcess.ConnectionFile(TempFolder());
        using var supervisor = new KernelSupervisor(connection, () => Shell("exec sleep 60"), TextWriter.Null);
        supervisor.Start();
        int pid = supervisor.WorkerProcessId ?? throw new InvalidOperationException("no worker was started");
        using var worker = Process.GetProcessById(pid);
        using (var client = new KernelClient(connection))
        {
            client.Heartbeat.SendFrame("ping");
            Assert.True(client.Heartbeat.TryReceiveFrameString(KernelClient.Timeout, out string? echo));
            Assert.Equal("ping", echo);
        }
        supervisor.Shutdown("test");
        Assert.Equal(0, await supervisor.Done.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(worker.WaitForExit(5000), "the worker outlived its supervisor");
    }
}
