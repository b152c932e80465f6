namespace FromScratch.Tests.Data;

/// <summary>Finds the repository's folders from the test's output folder.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string DataFile(string name) => Path.Combine(Root, "data", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "FromScratch.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"No FromScratch.slnx above {AppContext.BaseDirectory}.");
    }
}
