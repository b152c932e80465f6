using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;

namespace FromScratch.Notebooks.Export;

/// <summary>
/// plotly.js as the library ships it: the plotly-*.min.js resource embedded in build/lib/Plotly.NET.dll,
/// the same file <c>FromScratch.Figure.PlotlyJavaScript</c> returns. Read from the assembly's metadata
/// without loading it, so the tool stays independent of the library's assemblies.
/// </summary>
internal static class PlotlyJavaScriptFile
{
    /// <summary>The plotly.js source embedded in <paramref name="plotlyNetDll"/>; throws naming the file when it is missing or has none.</summary>
    public static string Read(string plotlyNetDll)
    {
        if (!File.Exists(plotlyNetDll))
            throw new FileNotFoundException($"{plotlyNetDll} not found: build the library first (dotnet build lib/FromScratch), it brings Plotly.NET and its plotly.js", plotlyNetDll);
        using var pe = new PEReader(File.OpenRead(plotlyNetDll));
        var metadata = pe.GetMetadataReader();
        var names = new List<string>();
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            string name = metadata.GetString(resource.Name);
            names.Add(name);
            if (!resource.Implementation.IsNil || !name.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) || !name.EndsWith(".min.js", StringComparison.Ordinal))
                continue;
            // Embedded resources sit in the CLI resources directory: a 4-byte length, then the bytes.
            var directory = pe.PEHeaders.CorHeader!.ResourcesDirectory;
            var block = pe.GetSectionData(directory.RelativeVirtualAddress + (int)resource.Offset);
            var reader = block.GetReader();
            int length = reader.ReadInt32();
            byte[] bytes = reader.ReadBytes(length);
            return Encoding.UTF8.GetString(bytes.AsSpan().StartsWith("\uFEFF"u8) ? bytes.AsSpan(3) : bytes);
        }
        throw new InvalidDataException($"{plotlyNetDll} has no embedded Plotly.NET.plotly-*.min.js; its resources are: {string.Join(", ", names)}");
    }

    /// <summary>build/lib/Plotly.NET.dll of the repository, or beside the tool when there is no repository.</summary>
    public static string DefaultLocation(string? repositoryRoot) =>
        repositoryRoot is not null ? Path.Combine(repositoryRoot, "build", "lib", "Plotly.NET.dll") : Path.Combine(AppContext.BaseDirectory, "Plotly.NET.dll");
}
