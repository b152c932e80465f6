using FromScratch.Notebooks.Engine;
using FromScratch.Notebooks.Format;

namespace FromScratch.Notebooks.Jupyter;

/// <summary>
/// The process is about to end while a cell runs (see <see cref="KernelOptions.ReportProcessDeath"/>: an exception on a
/// thread the cell started, Environment.Exit): the cell gets an error output saying what happened and that the kernel
/// restarts, then its execute_reply and status idle; the front end's restarter (or the supervisor) starts a new kernel.
/// Reported once, and only when a cell is running and the kernel is not stopping anyway.
/// </summary>
internal sealed class ProcessDeathReport(KernelContext kernel)
{
    private int _reported;

    /// <summary>Reports through the process-wide events (unhandled exception, process exit).</summary>
    public void Attach()
    {
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
            Report(e.ExceptionObject as Exception ?? new Exception(e.ExceptionObject?.ToString()), 0);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Report(null, Environment.ExitCode);
    }

    private void Report(Exception? exception, int exitCode)
    {
        var running = kernel.Running;
        if (running is null || kernel.Stopping || Interlocked.Exchange(ref _reported, 1) == 1) return;
        try
        {
            int count = kernel.ExecutionCount;
            var location = kernel.Session.RunningCell ?? new CellLocation(count, count);
            var error = kernel.Session.DescribeProcessDeath(location, exception, exitCode, kernel.Options.ProcessDeathAdvice);
            kernel.Log($"process death in a cell: {error.EValue}");
            kernel.Transport.Publish("error", running.Request, OutputJson.ErrorContent(error));
            var reply = OutputJson.ErrorContent(error);
            reply["status"] = "error";
            reply["execution_count"] = count;
            kernel.Transport.Send(kernel.Transport.Shell!, running.Request, "execute_reply", reply);
            kernel.Transport.PublishStatus("idle", running.Request);
            Thread.Sleep(500); // NetMQ sends from its own thread: give it time before the process ends
        }
        catch (Exception e)
        {
            kernel.Log($"could not report the process death: {e.Message}");
        }
    }
}
