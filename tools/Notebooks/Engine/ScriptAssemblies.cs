using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis.Scripting.Hosting;

namespace FromScratch.Notebooks.Engine;

/// <summary>
/// Loads the assemblies a notebook references (<c>#r "path.dll"</c>, the packages beside it, <c>#r "nuget:"</c>) into
/// the process's default load context, once per assembly name, and tells Roslyn's script loader about them.
/// Left to itself the script loader gives every assembly it loads a load context of its own, and an assembly two of
/// them depend on can then load twice: with Plotly.NET, FSharp.Core loaded once for Plotly.NET and once for
/// Giraffe.ViewEngine, and Plotly.NET's first chart failed with a MissingMethodException inside Giraffe. One copy in
/// the default context is also what the official .NET Interactive kernel does, so a library behaves the same in both.
/// </summary>
internal sealed class ScriptAssemblies
{
    private static readonly object Gate = new();
    private static readonly Dictionary<string, string> PathsByName = new(StringComparer.OrdinalIgnoreCase);
    private static bool resolverInstalled;

    private readonly HashSet<string> _registered = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The loader every script of the session is created with.</summary>
    public InteractiveAssemblyLoader Loader { get; } = new();

    /// <summary>
    /// Makes <paramref name="paths"/> loadable from the default context (an assembly of the same name that is already
    /// loaded, or part of the framework, is kept) and registers the loaded ones with <see cref="Loader"/>.
    /// </summary>
    public void Add(IEnumerable<string> paths)
    {
        lock (Gate)
        {
            InstallResolver();
            var added = new List<string>();
            foreach (string path in paths)
            {
                string name = Path.GetFileNameWithoutExtension(path);
                if (!_registered.Add(name)) continue; // this session has it already (most cells add nothing)
                PathsByName.TryAdd(name, Path.GetFullPath(path));
                added.Add(name);
            }
            // Registering loads the assembly; its own references come through the resolver as they are needed.
            foreach (string name in added)
                if (Loaded(name) is { } assembly) Loader.RegisterDependency(assembly);
        }
    }

    private static Assembly? Loaded(string name)
    {
        var loaded = AssemblyLoadContext.Default.Assemblies.FirstOrDefault(a => string.Equals(a.GetName().Name, name, StringComparison.OrdinalIgnoreCase));
        if (loaded is not null) return loaded;
        if (!PathsByName.TryGetValue(name, out string? path) || !File.Exists(path)) return null;
        try
        {
            return AssemblyLoadContext.Default.LoadFromAssemblyName(AssemblyName.GetAssemblyName(path));
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            return null; // not a loadable .NET assembly here (e.g. a reference assembly); the compiler still sees it
        }
    }

    // The default context asks here for every assembly it cannot find among the application's and the framework's.
    private static void InstallResolver()
    {
        if (resolverInstalled) return;
        resolverInstalled = true;
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            string? path;
            lock (Gate) PathsByName.TryGetValue(name.Name ?? "", out path);
            return path is not null && File.Exists(path) ? context.LoadFromAssemblyPath(path) : null;
        };
    }
}
