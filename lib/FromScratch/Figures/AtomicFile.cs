namespace FromScratch;

/// <summary>Writes a file so that readers see either the old file or the whole new one, never a half-written one.</summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="text"/> to a temporary file next to <paramref name="path"/>, then renames it over <paramref name="path"/>.</summary>
    public static void WriteAllText(string path, string text)
    {
        string directory = Path.GetDirectoryName(path) ?? ".";
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Cannot write {path}: the folder {directory} does not exist.");
        string temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temp, text, new System.Text.UTF8Encoding(false));
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
