using System.Runtime.InteropServices;

namespace FromScratch.Notebooks.Jupyter;

/// <summary>kill(2): the supervisor forwards SIGINT (interrupt) and SIGTERM to its worker.</summary>
internal static class NativeSignal
{
    public const int SIGINT = 2, SIGTERM = 15;

    /// <summary>Sends <paramref name="signal"/> to process <paramref name="pid"/>; false where it could not (Windows, no libc).</summary>
    public static bool Send(int pid, int signal)
    {
        if (OperatingSystem.IsWindows()) return false;
        try
        {
            return Kill(pid, signal) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

#pragma warning disable SYSLIB1054 // LibraryImport needs AllowUnsafeBlocks in the tool; one plain call does not
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
#pragma warning restore SYSLIB1054
}
