using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;

namespace FromScratch.Notebooks.Jupyter;

/// <summary>
/// The XML documentation of a symbol as plain text for inspect_request: from the compilation's own doc comments (a
/// cell's declarations) or from the .xml file next to a referenced assembly (the course library ships one; the
/// framework's reference assemblies ship none, so framework symbols show their signature only). Each file is read
/// once per process.
/// </summary>
internal static class SymbolDocumentation
{
    private static readonly ConcurrentDictionary<string, XDocument?> DocumentationFiles = new(StringComparer.Ordinal);

    /// <summary>Summary, parameters, returns and exceptions of <paramref name="symbol"/> as plain text, or null.</summary>
    public static string? Text(ISymbol symbol, Compilation compilation)
    {
        var target = symbol is IMethodSymbol { ReducedFrom: { } extension } ? extension : symbol.OriginalDefinition;
        string? xml = target.GetDocumentationCommentXml();
        XElement? member = null;
        if (!string.IsNullOrWhiteSpace(xml))
        {
            try { member = XElement.Parse(xml); } catch (System.Xml.XmlException) { }
        }
        else if (target.ContainingAssembly is { } assembly
                 && compilation.GetMetadataReference(assembly) is PortableExecutableReference { FilePath: { } path }
                 && target.GetDocumentationCommentId() is { } id)
        {
            var file = DocumentationFiles.GetOrAdd(Path.ChangeExtension(path, ".xml"), LoadDocumentation);
            member = file?.Root?.Element("members")?.Elements("member").FirstOrDefault(m => (string?)m.Attribute("name") == id);
        }
        if (member is null) return null;

        var text = new StringBuilder();
        if (member.Element("summary") is { } summary) text.AppendLine(Plain(summary));
        foreach (var param in member.Elements("param"))
            text.Append("  ").Append((string?)param.Attribute("name")).Append(": ").AppendLine(Plain(param));
        if (member.Element("returns") is { } returns) text.Append("Returns: ").AppendLine(Plain(returns));
        foreach (var exception in member.Elements("exception"))
            text.Append("Throws ").Append(ShortName((string?)exception.Attribute("cref"))).Append(": ").AppendLine(Plain(exception));
        string result = text.ToString().TrimEnd();
        return result.Length == 0 ? null : result;
    }

    private static XDocument? LoadDocumentation(string path)
    {
        try { return File.Exists(path) ? XDocument.Load(path) : null; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Xml.XmlException) { return null; }
    }

    /// <summary>The text of a doc element: &lt;see cref&gt; and &lt;paramref&gt; become names, whitespace collapses.</summary>
    private static string Plain(XElement element)
    {
        var text = new StringBuilder();
        foreach (var node in element.Nodes())
        {
            text.Append(node switch
            {
                XText t => t.Value,
                XElement { Name.LocalName: "see" or "seealso" } see => ShortName((string?)see.Attribute("cref") ?? (string?)see.Attribute("langword") ?? (string?)see.Attribute("href")),
                XElement { Name.LocalName: "paramref" or "typeparamref" } r => (string?)r.Attribute("name") ?? "",
                XElement e => Plain(e),
                _ => "",
            });
        }
        return Regex.Replace(text.ToString(), @"\s+", " ").Trim();
    }

    private static string ShortName(string? cref)
    {
        if (string.IsNullOrEmpty(cref)) return "";
        string name = cref.Length > 2 && cref[1] == ':' ? cref[2..] : cref;
        int paren = name.IndexOf('(', StringComparison.Ordinal);
        if (paren >= 0) name = name[..paren];
        int dot = name.LastIndexOf('.');
        return dot >= 0 ? name[(dot + 1)..] : name;
    }
}
