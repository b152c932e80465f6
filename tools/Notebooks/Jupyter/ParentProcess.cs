using System.Diagnostics;

namespace FromScratch.Notebooks.Jupyter;

/// <summary>Whether the process that started the kernel is still there.</summary>
internal static class ParentProcess
{
    public static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>This process's parent id on Linux (from /proc/self/stat), else null.</summary>
    public static int? OfThisProcess()
    {
        try
        {
            if (!OperatingSystem.IsLinux()) return null;
            string stat = File.ReadAllText("/proc/self/stat");
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.TryParse(fields[1], out int ppid) ? ppid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
