using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FromScratch.Notebooks.Tests;

/// <summary>
/// The tool's dependencies point one way: Cli (the console host) uses Engine, Format, Export, Site and Jupyter;
/// none of those uses Cli. Checked on the tool's sources with Roslyn: every name is resolved against a
/// compilation of all of tools/Notebooks, so a using directive, a fully qualified name, a type, a member
/// or an extension method of a Cli type is caught, whatever the spelling.
/// </summary>
public sealed class LayeringTests
{
    private const string CliNamespace = "FromScratch.Notebooks.Cli";
    private static readonly string ToolFolder = Path.Combine(TestSupport.RepoRoot, "tools", "Notebooks");
    private static readonly Lazy<CSharpCompilation> Tool = new(CompileTool);

    [Theory]
    [InlineData("Engine")]
    [InlineData("Format")]
    [InlineData("Export")]
    [InlineData("Site")]
    [InlineData("Jupyter")]
    public void Folder_does_not_use_the_command_line_host(string folder)
    {
        var uses = CliUses(folder);
        Assert.True(uses.Count == 0, $"{folder}/ uses {CliNamespace} (dependencies must point Cli → {folder}):\n" + string.Join("\n", uses));
    }

    /// <summary>The check can see a use: Cli's own files use Export, resolved the same way.</summary>
    [Fact]
    public void The_check_resolves_uses_across_folders()
    {
        var compilation = Tool.Value;
        var exportCommand = compilation.SyntaxTrees.Single(t => t.FilePath.EndsWith(Path.Combine("Cli", "ExportCommand.cs"), StringComparison.Ordinal));
        var used = UsedNamespaces(compilation, exportCommand).Select(u => u.Namespace).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("FromScratch.Notebooks.Export", used);
        Assert.Contains("FromScratch.Notebooks.Engine", used);
    }

    private static List<string> CliUses(string folder)
    {
        var compilation = Tool.Value;
        string prefix = Path.Combine(ToolFolder, folder) + Path.DirectorySeparatorChar;
        var trees = compilation.SyntaxTrees.Where(t => t.FilePath.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(trees);
        var uses = new List<string>();
        foreach (var tree in trees)
            foreach (var (ns, where) in UsedNamespaces(compilation, tree))
                if (ns == CliNamespace || ns.StartsWith(CliNamespace + ".", StringComparison.Ordinal))
                    uses.Add($"  {Path.GetRelativePath(ToolFolder, tree.FilePath)}:{where}");
        return uses.Distinct().ToList();
    }

    /// <summary>The namespace of every symbol a name in <paramref name="tree"/> binds to (namespaces of using directives included).</summary>
    private static IEnumerable<(string Namespace, string Where)> UsedNamespaces(CSharpCompilation compilation, SyntaxTree tree)
    {
        var model = compilation.GetSemanticModel(tree);
        foreach (var name in tree.GetRoot().DescendantNodes().OfType<SimpleNameSyntax>())
        {
            var info = model.GetSymbolInfo(name);
            var symbols = info.Symbol is { } s ? [s] : info.CandidateSymbols;
            foreach (var symbol in symbols)
            {
                var ns = symbol is INamespaceSymbol n ? n : symbol.ContainingNamespace;
                if (ns is null || ns.IsGlobalNamespace) continue;
                int line = name.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                yield return (ns.ToDisplayString(), $"{line}: {name.Parent?.ToString() ?? name.ToString()}");
            }
        }
    }

    /// <summary>
    /// Every source file of the tool, compiled against the assemblies beside the tests (the tool's dependencies)
    /// and the framework. Files linked in from elsewhere are not parsed; names of theirs stay unresolved, which
    /// cannot hide a Cli type.
    /// </summary>
    private static CSharpCompilation CompileTool()
    {
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = Directory.GetFiles(ToolFolder, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(p => CSharpSyntaxTree.ParseText(File.ReadAllText(p), options, p))
            .ToList();
        // The SDK's implicit usings of the tool (ImplicitUsings in Directory.Build.props).
        trees.Add(CSharpSyntaxTree.ParseText(
            "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq;"
            + " global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;", options, "ImplicitUsings.cs"));
        string platform = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        var references = platform.Split(Path.PathSeparator)
            .Concat(Directory.GetFiles(AppContext.BaseDirectory, "*.dll"))
            .Where(p => !Path.GetFileName(p).StartsWith("FromScratch.Notebooks", StringComparison.Ordinal))
            .DistinctBy(Path.GetFileName)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p));
        return CSharpCompilation.Create("Layering", trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }
}
