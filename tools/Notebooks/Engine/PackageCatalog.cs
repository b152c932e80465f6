using System.Text.Json.Nodes;

namespace FromScratch.Notebooks.Engine;

/// <summary>A NuGet package the engine carries, with the assembly files a <c>#r "nuget:"</c> line adds.</summary>
/// <param name="Id">Package id, e.g. "MathNet.Numerics".</param>
/// <param name="Version">Package version, e.g. "5.0.0".</param>
/// <param name="AssemblyPaths">Full paths of its runtime assemblies (for a restored package, its dependencies' too).</param>
/// <param name="Note">What loading it printed, for a package restored from a feed; null for a carried one.</param>
public sealed record CarriedPackage(string Id, string Version, IReadOnlyList<string> AssemblyPaths, string? Note = null);

/// <summary>
/// The packages the engine carries: exactly the course library's dependencies, read from
/// build/lib/FromScratch.deps.json. A <c>#r "nuget:"</c> line naming one loads this copy; any other package is
/// restored from the NuGet feeds (<see cref="NuGetPackages"/>).
/// </summary>
public sealed class PackageCatalog(IReadOnlyList<CarriedPackage> packages)
{
    /// <summary>A catalog with no packages.</summary>
    public static PackageCatalog Empty { get; } = new([]);

    /// <summary>The packages carried.</summary>
    public IReadOnlyList<CarriedPackage> Packages { get; } = packages;

    /// <summary>The package with this id (case-insensitive) and, when given, this version; null when not carried.</summary>
    public CarriedPackage? Find(string id, string? version) => Packages.FirstOrDefault(p =>
        string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase) && (version is null || p.Version == version));

    /// <summary>
    /// Reads the package list of a deps.json (the "package" libraries and their runtime assemblies,
    /// which the library's build copied beside it). A missing file gives an empty catalog.
    /// </summary>
    public static PackageCatalog FromDepsJson(string depsJsonPath)
    {
        if (!File.Exists(depsJsonPath)) return Empty;
        var root = JsonNode.Parse(File.ReadAllText(depsJsonPath))!;
        string folder = Path.GetDirectoryName(Path.GetFullPath(depsJsonPath))!;
        var libraries = root["libraries"]?.AsObject() ?? [];
        var target = root["targets"]?.AsObject().FirstOrDefault().Value?.AsObject() ?? [];
        var packages = new List<CarriedPackage>();
        foreach (var (key, library) in libraries)
        {
            if (library?["type"]?.GetValue<string>() != "package") continue;
            string[] idVersion = key.Split('/', 2);
            var runtime = target[key]?["runtime"]?.AsObject().Select(r => Path.Combine(folder, Path.GetFileName(r.Key)))
                .Where(File.Exists).ToList() ?? [];
            packages.Add(new CarriedPackage(idVersion[0], idVersion[1], runtime));
        }
        return new PackageCatalog(packages);
    }
}
