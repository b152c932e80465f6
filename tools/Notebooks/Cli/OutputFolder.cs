namespace FromScratch.Notebooks.Cli;

/// <summary>Checks an output folder before any notebook runs, so a typo in --out costs no run time.</summary>
internal static class OutputFolder
{
    /// <summary>
    /// Creates <paramref name="folder"/> and its <paramref name="subfolders"/> and probes each with a
    /// file; null when all are writable, else the reason (e.g. "/tmp/x is a file, not a folder").
    /// </summary>
    public static string? Problem(string folder, params string[] subfolders)
    {
        if (FileInTheWay(folder) is { } file) return $"{file} is a file, not a folder";
        try
        {
            foreach (string sub in subfolders.Length == 0 ? [""] : subfolders)
            {
                string path = Path.Combine(folder, sub);
                Directory.CreateDirectory(path);
                string probe = Path.Combine(path, $".write-probe-{Guid.NewGuid():N}");
                File.WriteAllText(probe, "");
                File.Delete(probe);
            }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return e.Message;
        }
    }

    /// <summary>The nearest existing path at or above <paramref name="folder"/> when it is a file.</summary>
    private static string? FileInTheWay(string folder)
    {
        for (string? path = Path.GetFullPath(folder); !string.IsNullOrEmpty(path); path = Path.GetDirectoryName(path))
        {
            if (File.Exists(path)) return path;
            if (Directory.Exists(path)) return null;
        }
        return null;
    }
}
