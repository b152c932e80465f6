using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FromScratch.Notebooks.Engine;

/// <summary>What a cell's directives asked for, and the C# left for Roslyn.</summary>
/// <param name="Code">The cell text with handled directive lines blanked (line numbers unchanged) and interrupt checks inserted.</param>
/// <param name="Packages">Packages named by accepted <c>#r "nuget:"</c> lines.</param>
/// <param name="Error">Set when a directive is refused: (name, message).</param>
/// <param name="LibraryReferences">Paths named by plain <c>#r "path.dll"</c> lines, as written.</param>
internal sealed record PreparedCell(string Code, IReadOnlyList<CarriedPackage> Packages, (string Name, string Message, int Line)? Error,
    IReadOnlyList<string> LibraryReferences);

/// <summary>
/// Handles the lines Roslyn does not understand before the cell is compiled:
/// <c>#r "nuget: Id, Version"</c> (accepted only for carried packages), other <c>#!</c>/<c>#i</c>
/// magic commands (refused by name). Then inserts <see cref="CellInterrupt.Check"/> into loops.
/// </summary>
internal static partial class CellPreprocessor
{
    [GeneratedRegex("""^\s*#r\s+"nuget:\s*(?<id>[^,"\s]+)\s*(,\s*(?<version>[^"\s]+)\s*)?"\s*$""")]
    private static partial Regex NuGetReference();

    [GeneratedRegex("""^\s*#r\s+"(?<path>[^"]+\.dll)"\s*$""", RegexOptions.IgnoreCase)]
    private static partial Regex FileReference();

    [GeneratedRegex("""^\s*(?<magic>#![^\s]*|#i\b)""")]
    private static partial Regex MagicCommand();

    public static PreparedCell Prepare(string source, PackageCatalog catalog)
    {
        string[] lines = source.Split('\n');
        var packages = new List<CarriedPackage>();
        var libraries = new List<string>();
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            if (NuGetReference().Match(line) is { Success: true } nuget)
            {
                string id = nuget.Groups["id"].Value;
                string? version = nuget.Groups["version"].Success ? nuget.Groups["version"].Value : null;
                if (catalog.Find(id, version) is not { } package)
                    return new PreparedCell(source, [], ("NuGetPackageNotCarried", NotCarried(id, version, catalog), i + 1), []);
                packages.Add(package);
                lines[i] = "";
            }
            else if (FileReference().Match(line) is { Success: true } file)
            {
                libraries.Add(file.Groups["path"].Value);
            }
            else if (MagicCommand().Match(line) is { Success: true } magic)
            {
                string name = magic.Groups["magic"].Value;
                return new PreparedCell(source, [], ("UnsupportedMagicCommand",
                    $"the magic command '{name}' is not supported: this engine runs plain C# (Polyglot Notebooks magic commands are not available)", i + 1), []);
            }
        }
        return new PreparedCell(InsertInterruptChecks(string.Join('\n', lines)), packages, null, libraries);
    }

    private static string NotCarried(string id, string? version, PackageCatalog catalog)
    {
        string wanted = version is null ? id : $"{id} {version}";
        if (catalog.Find(id, version: null) is { } other)
            return $"package {wanted} is not available: the notebook engine cannot download packages, and it carries {other.Id} {other.Version}. "
                + $"Write #r \"nuget: {other.Id}, {other.Version}\" instead (or change the version in Directory.Packages.props and rebuild the library).";
        string carried = catalog.Packages.Count == 0
            ? "none (build the library first: dotnet build lib/FromScratch)"
            : string.Join(", ", catalog.Packages.Select(p => $"{p.Id} {p.Version}"));
        return $"package {wanted} is not available: the notebook engine cannot download packages, it only carries the course library's dependencies ({carried}). "
            + $"To add {id}, put <PackageVersion Include=\"{id}\" Version=\"{version ?? "x.y.z"}\" /> in Directory.Packages.props and <PackageReference Include=\"{id}\" /> in lib/FromScratch/FromScratch.csproj, then rebuild.";
    }

    /// <summary>
    /// Puts a call to <see cref="CellInterrupt.Check"/> first in every loop body. Nothing new goes
    /// on a line of its own, so compile errors and stack traces keep the cell's line numbers.
    /// </summary>
    internal static string InsertInterruptChecks(string code)
    {
        var tree = CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Latest, kind: SourceCodeKind.Script));
        if (!tree.GetRoot().DescendantNodes().Any(n => n is WhileStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax or DoStatementSyntax))
            return code;
        return new LoopRewriter().Visit(tree.GetRoot()).ToFullString();
    }

    private sealed class LoopRewriter : CSharpSyntaxRewriter
    {
        private static readonly StatementSyntax CheckCall =
            SyntaxFactory.ParseStatement("global::FromScratch.Notebooks.Engine.CellInterrupt.Check();");

        private static StatementSyntax WithCheck(StatementSyntax body) => body is BlockSyntax block
            ? block.WithStatements(block.Statements.Insert(0, CheckCall))
            : SyntaxFactory.Block(CheckCall, body);

        public override SyntaxNode? VisitWhileStatement(WhileStatementSyntax node) =>
            ((WhileStatementSyntax)base.VisitWhileStatement(node)!) is var n ? n.WithStatement(WithCheck(n.Statement)) : null;

        public override SyntaxNode? VisitDoStatement(DoStatementSyntax node) =>
            ((DoStatementSyntax)base.VisitDoStatement(node)!) is var n ? n.WithStatement(WithCheck(n.Statement)) : null;

        public override SyntaxNode? VisitForStatement(ForStatementSyntax node) =>
            ((ForStatementSyntax)base.VisitForStatement(node)!) is var n ? n.WithStatement(WithCheck(n.Statement)) : null;

        public override SyntaxNode? VisitForEachStatement(ForEachStatementSyntax node) =>
            ((ForEachStatementSyntax)base.VisitForEachStatement(node)!) is var n ? n.WithStatement(WithCheck(n.Statement)) : null;

        public override SyntaxNode? VisitForEachVariableStatement(ForEachVariableStatementSyntax node) =>
            ((ForEachVariableStatementSyntax)base.VisitForEachVariableStatement(node)!) is var n ? n.WithStatement(WithCheck(n.Statement)) : null;
    }

    /// <summary>Builds the "note" text for accepted nuget lines.</summary>
    public static string AcceptedNote(IEnumerable<CarriedPackage> packages)
    {
        var text = new StringBuilder();
        foreach (var p in packages)
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"note: {p.Id} {p.Version} is already available (the course library carries it); nothing to download.\n");
        return text.ToString();
    }
}
