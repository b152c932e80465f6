using System.Diagnostics;

namespace FromScratch.Notebooks.Jupyter;

/// <summary>Whether the process that started the kernel is still there.</summary>
internal static class ParentProcess
{
    /// <summary>
    /// Checks twice a second, until <paramref name="stopping"/>, that process <paramref name="pid"/> lives and (with
    /// <paramref name="watchReparenting"/>) that this process keeps its parent; calls <paramref name="gone"/> with the
    /// reason when not, and returns.
    /// </summary>
    public static void Watch(int? pid, bool watchReparenting, Func<bool> stopping, Action<string> gone)
    {
        int? startPpid = watchReparenting ? OfThisProcess() : null;
        while (!stopping())
        {
            Thread.Sleep(500);
            if (pid is { } parent && !IsAlive(parent))
            {
                gone($"the front end's process {parent} is gone");
                return;
            }
            if (startPpid is { } before && OfThisProcess() is { } now && now != before)
            {
                gone($"the parent process {before} is gone (re-parented to {now})");
                return;
            }
        }
    }

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
