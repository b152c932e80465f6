using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FromScratch.Notebooks.Engine;

/// <summary>A <c>#r "nuget:"</c> package that could not be restored; the message names it, the feeds and what to try.</summary>
public sealed class NuGetRestoreException(string message) : Exception(message);

/// <summary>
/// The packages of one session's <c>#r "nuget: Id, Version"</c> and <c>#r "nuget: Id"</c> lines, and its
/// <c>#i "nuget: SOURCE"</c> feeds. A package the course library carries loads the library's copy (never a
/// second one). Any other package is restored exactly as <c>dotnet restore</c> does it, from the machine's
/// configured NuGet feeds plus the session's <c>#i</c> feeds: a small project with one PackageReference is
/// written to a cache folder under the user's cache directory, <c>dotnet restore</c> runs there, and the
/// runtime assemblies of the package and its dependencies for this .NET are read from obj/project.assets.json.
/// A pinned version is restored once per machine (the cache is reused); a floating one (<c>#r "nuget: Id"</c>,
/// the latest stable version) once per session.
/// </summary>
internal sealed partial class NuGetPackages
{
    private static readonly TimeSpan RestoreTimeout = TimeSpan.FromMinutes(10);

    private readonly Dictionary<string, CarriedPackage> _carried = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _sources = [];
    private readonly Dictionary<string, CarriedPackage> _restored = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _baseFolder;

    /// <summary>A session's packages: <paramref name="catalog"/> is what the engine carries; relative #i folders resolve against <paramref name="baseFolder"/>.</summary>
    public NuGetPackages(PackageCatalog catalog, string baseFolder)
    {
        Catalog = catalog;
        _baseFolder = baseFolder;
        AddCarried(catalog.Packages);
    }

    /// <summary>The packages the engine carries (the course library's dependencies).</summary>
    public PackageCatalog Catalog { get; }

    /// <summary>The folder restores are cached in: $XDG_CACHE_HOME or ~/.cache (LocalApplicationData on Windows), then fromscratch/nuget.</summary>
    public static string CacheRoot { get; } = Path.Combine(
        Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg
            : OperatingSystem.IsWindows() ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"),
        "fromscratch", "nuget");

    /// <summary>Packages whose assemblies are already loaded (e.g. a #r'd library's dependencies): they keep that copy.</summary>
    public void AddCarried(IEnumerable<CarriedPackage> packages)
    {
        foreach (var package in packages) _carried.TryAdd(package.Id, package);
    }

    /// <summary>The feeds added by <c>#i "nuget: …"</c> lines, in order.</summary>
    public IReadOnlyList<string> Sources => _sources;

    /// <summary>Adds a feed (a URL, or a folder, relative to the notebook's folder) for later restores.</summary>
    public string AddSource(string source)
    {
        string resolved = Uri.TryCreate(source, UriKind.Absolute, out var uri) && !uri.IsFile ? source : Path.GetFullPath(source, _baseFolder);
        if (!_sources.Contains(resolved, StringComparer.Ordinal)) _sources.Add(resolved);
        return resolved;
    }

    /// <summary>
    /// The assemblies for <c>#r "nuget: <paramref name="id"/>[, <paramref name="version"/>]"</c>, restoring when the
    /// package is not carried. Throws <see cref="NuGetRestoreException"/> when it cannot be had.
    /// </summary>
    public CarriedPackage Resolve(string id, string? version)
    {
        if (_carried.TryGetValue(id, out var carried))
        {
            if (version is null || carried.Version == version) return carried;
            throw new NuGetRestoreException($"package {id} {version} is not available: the course library carries {carried.Id} {carried.Version}, "
                + $"and a second copy of it in the session would break the library. Write #r \"nuget: {carried.Id}, {carried.Version}\" instead "
                + "(or change the version in Directory.Packages.props and rebuild the library).");
        }
        string key = $"{id}/{version ?? "*"}/{string.Join(";", _sources)}";
        if (_restored.TryGetValue(key, out var done)) return done;
        var package = Restore(id, version);
        _restored[key] = package;
        return package;
    }

    private CarriedPackage Restore(string id, string? version)
    {
        if (id.IndexOfAny([.. Path.GetInvalidFileNameChars(), '<', '>', '"', '&', ';']) >= 0)
            throw new NuGetRestoreException($"'{id}' is not a NuGet package id");
        if (version is not null && !ValidVersion().IsMatch(version))
            throw new NuGetRestoreException($"'{version}' is not a NuGet version (e.g. 1.2.3, 1.2.3-beta.1 or [1.2,2.0)) for package {id}");
        string framework = $"net{Environment.Version.Major}.0";
        string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(";", _sources) + "|" + framework)))[..10].ToLowerInvariant();
        string folder = Path.Combine(CacheRoot, id.ToLowerInvariant(), $"{(version is null ? "latest" : Sanitize(version))}-{hash}");
        string assets = Path.Combine(folder, "obj", "project.assets.json");
        string done = Path.Combine(folder, "restored");
        Directory.CreateDirectory(folder);
        using (Lock(folder))
        {
            // A pinned version restored before is reused as is; a floating one asks the feeds again.
            if (version is null || !File.Exists(done) || !File.Exists(assets))
            {
                WriteIsolation();
                File.Delete(done);
                WriteProject(Path.Combine(folder, "restore.csproj"), id, version ?? "*", framework);
                var (exitCode, output) = DotnetRestore(folder);
                if (exitCode != 0 || !File.Exists(assets)) throw new NuGetRestoreException(NotFound(id, version, output, folder));
                File.WriteAllText(done, DateTime.UtcNow.ToString("O"));
            }
            return FromAssets(assets, id, framework);
        }
    }

    /// <summary>Empty Directory.Build.* and Directory.Packages.props at the cache root: no repository's build settings reach the restore project.</summary>
    private static void WriteIsolation()
    {
        foreach (string name in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
        {
            string path = Path.Combine(CacheRoot, name);
            if (!File.Exists(path)) File.WriteAllText(path, "<Project />\n");
        }
    }

    private void WriteProject(string path, string id, string version, string framework)
    {
        string sources = string.Join(";", _sources.Select(System.Security.SecurityElement.Escape));
        string project = $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <!-- Written by the notebook engine for #r "nuget: {System.Security.SecurityElement.Escape(id)}": restore only, never built. -->
              <PropertyGroup>
                <TargetFramework>{framework}</TargetFramework>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                <NuGetAudit>false</NuGetAudit>
                <RestoreAdditionalProjectSources>{sources}</RestoreAdditionalProjectSources>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{System.Security.SecurityElement.Escape(id)}" Version="{System.Security.SecurityElement.Escape(version)}" />
              </ItemGroup>
            </Project>

            """;
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, project);
        File.Move(temporary, path, overwrite: true);
    }

    private static (int ExitCode, string Output) DotnetRestore(string folder) =>
        RunDotnet(folder, "restore", "restore.csproj", "--nologo", "-v", "q");

    private static (int ExitCode, string Output) RunDotnet(string folder, params string[] args)
    {
        var start = new ProcessStartInfo(Jupyter.KernelSpec.LocateDotnet())
        {
            WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (string a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        // The engine's own dotnet run/test settings must not leak into the restore.
        start.Environment.Remove("MSBuildExtensionsPath");
        start.Environment.Remove("MSBUILD_EXE_PATH");
        start.Environment.Remove("MSBuildSDKsPath");
        using var process = Process.Start(start) ?? throw new NuGetRestoreException("could not start dotnet to restore packages");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(RestoreTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new NuGetRestoreException($"dotnet {string.Join(' ', args)} did not finish within {RestoreTimeout.TotalMinutes:0} minutes (in {folder})");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private string NotFound(string id, string? version, string output, string folder)
    {
        string wanted = version is null ? id : $"{id} {version}";
        var problems = RestoreProblem().Matches(output).Select(m => $"{m.Groups["code"].Value}: {m.Groups["message"].Value.Trim()}").Distinct().ToList();
        var feeds = ConfiguredFeeds(folder).Concat(_sources).Distinct().ToList();
        string tried = feeds.Count == 0 ? "(no feed is configured)" : string.Join(", ", feeds);
        string advice = NearestVersion().Match(output) is { Success: true } nearest
            ? $"Try #r \"nuget: {id}, {nearest.Groups["version"].Value}\" (the nearest version the feeds have)."
            : problems.Any(p => p.StartsWith("NU1101", StringComparison.Ordinal))
                ? "Check the package id (nuget.org spells it on the package page), or add the feed that serves it first with #i \"nuget: https://…/index.json\"."
                : "Check the id, the version and the network, or add a feed with #i \"nuget: https://…/index.json\".";
        string details = problems.Count > 0 ? string.Join(" ", problems) : output.Trim();
        return $"package {wanted} could not be restored from the NuGet feed(s) {tried}: {details} {advice}";
    }

    /// <summary>The enabled feeds dotnet restore uses in <paramref name="folder"/> (`dotnet nuget list source`).</summary>
    private static List<string> ConfiguredFeeds(string folder)
    {
        try
        {
            var (code, output) = RunDotnet(folder, "nuget", "list", "source", "--format", "short");
            if (code != 0) return [];
            return output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("E ", StringComparison.Ordinal))
                .Select(l => l[2..].Trim()).ToList();
        }
        catch (NuGetRestoreException)
        {
            return [];
        }
    }

    /// <summary>
    /// The package and its dependencies from a restore's assets file: runtime assemblies for
    /// <paramref name="framework"/>, except packages already carried (their loaded copy is used) and assemblies
    /// the running .NET itself provides.
    /// </summary>
    private CarriedPackage FromAssets(string assetsPath, string id, string framework)
    {
        var root = JsonNode.Parse(File.ReadAllText(assetsPath))!;
        string packageFolder = root["packageFolders"]?.AsObject().Select(f => f.Key).FirstOrDefault()
            ?? throw new NuGetRestoreException($"{assetsPath} names no package folder");
        var libraries = root["libraries"]!.AsObject();
        var target = root["targets"]?[framework]?.AsObject() ?? throw new NuGetRestoreException($"{assetsPath} has no {framework} target");
        var framed = FrameworkAssemblies.Value;
        var paths = new List<string>();
        var restored = new List<string>();
        var kept = new List<string>();
        string? version = null;
        foreach (var (key, entry) in target)
        {
            if (entry?["type"]?.GetValue<string>() != "package") continue;
            string[] idVersion = key.Split('/', 2);
            if (idVersion[0].Equals(id, StringComparison.OrdinalIgnoreCase)) version = idVersion[1];
            if (_carried.TryGetValue(idVersion[0], out var carried))
            {
                paths.AddRange(carried.AssemblyPaths);
                kept.Add($"{carried.Id} {carried.Version}");
                continue;
            }
            string libraryPath = libraries[key]?["path"]?.GetValue<string>() ?? key.ToLowerInvariant();
            var files = (entry["runtime"]?.AsObject().Select(r => r.Key) ?? [])
                .Where(f => !f.EndsWith("/_._", StringComparison.Ordinal) && f.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
                .Where(f => !framed.Contains(Path.GetFileNameWithoutExtension(f)))
                .Select(f => Path.GetFullPath(Path.Combine(packageFolder, libraryPath, f)))
                .ToList();
            paths.AddRange(files);
            if (!idVersion[0].Equals(id, StringComparison.OrdinalIgnoreCase) && files.Count > 0) restored.Add($"{idVersion[0]} {idVersion[1]}");
        }
        if (version is null) throw new NuGetRestoreException($"the restore of {id} did not resolve {id} itself ({assetsPath})");
        var note = new StringBuilder($"Installed package {id} {version}");
        if (restored.Count > 0) note.Append(" with ").Append(string.Join(", ", restored));
        if (kept.Count > 0) note.Append(restored.Count > 0 ? "; " : " with ").Append(string.Join(", ", kept)).Append(" from the course library");
        return new CarriedPackage(id, version, paths.Distinct(StringComparer.Ordinal).ToList(), note.Append('.').ToString());
    }

    /// <summary>Simple names of the assemblies the running .NET provides (never loaded from a package).</summary>
    private static readonly Lazy<HashSet<string>> FrameworkAssemblies = new(() =>
        ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => p.StartsWith(Path.GetDirectoryName(typeof(object).Assembly.Location)!, StringComparison.Ordinal))
            .Select(Path.GetFileNameWithoutExtension).OfType<string>()
            .ToHashSet(StringComparer.OrdinalIgnoreCase));

    private static IDisposable Lock(string folder)
    {
        string path = Path.Combine(folder, ".lock");
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (clock.Elapsed < RestoreTimeout)
            {
                Thread.Sleep(200);
            }
        }
    }

    private static string Sanitize(string version) => new(version.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_').ToArray());

    [GeneratedRegex(@"^[\w.\-+*\[\]\(\), ]+$")]
    private static partial Regex ValidVersion();

    [GeneratedRegex(@"error (?<code>NU\d{4}): (?<message>[^\r\n]+)")]
    private static partial Regex RestoreProblem();

    [GeneratedRegex(@"Nearest version: (?<version>[^\s\]]+)")]
    private static partial Regex NearestVersion();
}
