using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FromScratch.Notebooks.Engine;

/// <summary>What a cell's directives asked for, and the C# left for Roslyn.</summary>
/// <param name="Code">The cell text with handled directive lines blanked (line numbers unchanged) and interrupt checks inserted.</param>
/// <param name="Packages">Packages named by <c>#r "nuget:"</c> lines, carried or restored.</param>
/// <param name="Error">Set when a directive is refused: (name, message).</param>
/// <param name="LibraryReferences">Paths named by plain <c>#r "path.dll"</c> lines, as written.</param>
/// <param name="Feeds">Feeds added by <c>#i "nuget: SOURCE"</c> lines, resolved.</param>
internal sealed record PreparedCell(string Code, IReadOnlyList<CarriedPackage> Packages, (string Name, string Message, int Line)? Error,
    IReadOnlyList<string> LibraryReferences, IReadOnlyList<string>? Feeds = null);

/// <summary>
/// Handles the lines Roslyn does not understand before the cell is compiled:
/// <c>#r "nuget: Id[, Version]"</c> (the library's copy of a carried package, else restored from the feeds),
/// <c>#i "nuget: SOURCE"</c> (a feed for later restores), other <c>#!</c>/<c>#i</c> magic commands (refused by
/// name). Then inserts <see cref="CellInterrupt.Check"/> into loops.
/// </summary>
internal static partial class CellPreprocessor
{
    [GeneratedRegex("""^\s*#r\s+"nuget:\s*(?<id>[^,"\s]+)\s*(,\s*(?<version>[^"\s]+)\s*)?"\s*$""")]
    private static partial Regex NuGetReference();

    [GeneratedRegex("""^\s*#r\s+"(?<path>[^"]+\.dll)"\s*$""", RegexOptions.IgnoreCase)]
    private static partial Regex FileReference();

    [GeneratedRegex("""^\s*#i\s+"nuget:\s*(?<source>[^"]*?)\s*"\s*$""")]
    private static partial Regex NuGetSource();

    [GeneratedRegex("""^\s*(?<magic>#![^\s]*|#i\b)""")]
    private static partial Regex MagicCommand();

    public static PreparedCell Prepare(string source, NuGetPackages nuget)
    {
        string[] lines = source.Split('\n');
        var packages = new List<CarriedPackage>();
        var libraries = new List<string>();
        var feeds = new List<string>();
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            if (NuGetReference().Match(line) is { Success: true } reference)
            {
                string id = reference.Groups["id"].Value;
                string? version = reference.Groups["version"].Success ? reference.Groups["version"].Value : null;
                try
                {
                    packages.Add(nuget.Resolve(id, version));
                }
                catch (NuGetRestoreException e)
                {
                    return new PreparedCell(source, [], ("NuGetPackageNotFound", e.Message, i + 1), []);
                }
                lines[i] = "";
            }
            else if (NuGetSource().Match(line) is { Success: true } feed)
            {
                if (feed.Groups["source"].Value.Length == 0)
                    return new PreparedCell(source, [], ("NuGetSourceMissing", "#i \"nuget: \" names no feed: write #i \"nuget: https://…/index.json\" or a folder of .nupkg files", i + 1), []);
                feeds.Add(nuget.AddSource(feed.Groups["source"].Value));
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
        return new PreparedCell(InsertInterruptChecks(string.Join('\n', lines)), packages, null, libraries, feeds);
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

    /// <summary>What the cell's nuget lines did, one line each: a feed added, a package loaded (carried or restored).</summary>
    public static string Notes(PreparedCell prepared)
    {
        var text = new StringBuilder();
        foreach (string feed in prepared.Feeds ?? [])
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"note: NuGet feed {feed} added for the #r \"nuget:\" lines that follow.\n");
        foreach (var p in prepared.Packages)
            text.Append(p.Note is { } note ? note + "\n"
                : $"note: {p.Id} {p.Version} is already available (the course library carries it); nothing to download.\n");
        return text.ToString();
    }
}
