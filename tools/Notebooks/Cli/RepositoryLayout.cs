namespace FromScratch.Notebooks.Cli;

/// <summary>Where things are in the repository: found by walking up to the folder with FromScratch.slnx.</summary>
internal sealed record RepositoryLayout(string Root)
{
    public string NotebooksFolder => Path.Combine(Root, "notebooks");
    public string LibraryDepsJson => Path.Combine(Root, "build", "lib", "FromScratch.deps.json");
    public string DefaultOut => Path.Combine(Root, "out");

    /// <summary>The repository containing <paramref name="start"/>, or null when there is none above it.</summary>
    public static RepositoryLayout? Find(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "FromScratch.slnx"))) return new RepositoryLayout(dir.FullName);
        return null;
    }
}
