using System.Text;
using FromScratch.Notebooks.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FromScratch.Notebooks.Jupyter;

/// <summary>One completion: the text to insert and what kind of thing it names ("method", "property", "class", "keyword", …).</summary>
/// <param name="Text">The name.</param>
/// <param name="Kind">Jupyter's completion type label.</param>
public sealed record Completion(string Text, string Kind);

/// <summary>Completions for the word that ends at the cursor; it spans <paramref name="Start"/>..<paramref name="End"/> (UTF-16 indices) and is replaced by the choice.</summary>
/// <param name="Items">The names, sorted, without duplicates.</param>
/// <param name="Start">Start of the word being completed.</param>
/// <param name="End">End of it (the cursor).</param>
public sealed record CompletionList(IReadOnlyList<Completion> Items, int Start, int End);

/// <summary>Answers of is_complete_request: "complete", "incomplete" (with the next line's indent) or "invalid".</summary>
/// <param name="Status">"complete", "incomplete" or "invalid".</param>
/// <param name="Indent">Indent for the next line when incomplete, else "".</param>
public sealed record Completeness(string Status, string Indent);

/// <summary>
/// Editor help from Roslyn's semantic model of the cell as the session's next submission (so the
/// variables, usings and #r references of earlier cells are in scope): completions after a '.'
/// (members of the expression's type, or of a namespace/type) and of names in scope elsewhere,
/// the signature and XML documentation of the symbol under the cursor, and whether a cell is a
/// complete statement. No Roslyn workspace is involved, so it is cheap; it does not rank or
/// fuzzy-match like an IDE (front ends filter the list themselves).
/// </summary>
public sealed class CodeAssistant(NotebookSession session)
{
    private static readonly CSharpParseOptions ScriptParse = new(LanguageVersion.Latest, kind: SourceCodeKind.Script);

    /// <summary>Completions for the identifier that ends at <paramref name="position"/> (a UTF-16 index into <paramref name="code"/>).</summary>
    public CompletionList Complete(string code, int position)
    {
        position = Math.Clamp(position, 0, code.Length);
        int start = position;
        while (start > 0 && IsIdentifierPart(code[start - 1])) start--;
        string prefix = code[start..position];
        var none = new CompletionList([], start, position);

        var (model, root) = Analyze(code);
        if (InsideCommentOrString(root, position)) return none;

        IEnumerable<ISymbol> symbols;
        IEnumerable<Completion> keywords = [];
        if (start > 0 && code[start - 1] == '.')
        {
            if (MemberAccessTarget(root.FindToken(start - 1)) is not { } target) return none;
            symbols = MembersOf(model, target, start);
        }
        else
        {
            symbols = model.LookupSymbols(start);
            keywords = SyntaxFacts.GetKeywordKinds().Concat(SyntaxFacts.GetContextualKeywordKinds())
                .Select(k => new Completion(SyntaxFacts.GetText(k), "keyword"));
        }

        var items = symbols
            .Where(s => s.CanBeReferencedByName && !s.IsImplicitlyDeclared && !s.Name.StartsWith("Submission#", StringComparison.Ordinal))
            .Select(s => new Completion(s.Name, Kind(s)))
            .Concat(keywords)
            .Where(c => c.Text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .DistinctBy(c => c.Text)
            .OrderBy(c => !c.Text.StartsWith(prefix, StringComparison.Ordinal)) // exact case first
            .ThenBy(c => c.Text, StringComparer.OrdinalIgnoreCase)
            .ThenBy(c => c.Text, StringComparer.Ordinal)
            .ToList();
        return new CompletionList(items, start, position);
    }

    /// <summary>
    /// The signature (with its kind, e.g. "(method)") and documentation of the symbol at or just
    /// before <paramref name="position"/>, or null when there is none. Documentation comes from
    /// the XML file beside a referenced assembly (as build/lib/FromScratch.xml); the .NET runtime
    /// ships none, so framework symbols show their signature only.
    /// </summary>
    public string? Inspect(string code, int position)
    {
        position = Math.Clamp(position, 0, code.Length);
        var (model, root) = Analyze(code);
        if (root.FullSpan.Length == 0) return null;
        var token = root.FindToken(Math.Min(position, root.FullSpan.End - 1));
        if (!token.IsKind(SyntaxKind.IdentifierToken) && position > 0)
            token = root.FindToken(position - 1);
        if (token.Parent is not { } node) return null;

        // Inside an argument list, on something that is not a name (`Math.Sqrt(`, `Math.Sqrt(2`, `f(a, `):
        // the method being called, as a signature help.
        if (!token.IsKind(SyntaxKind.IdentifierToken) && CallAround(root, position) is { } call)
            node = call;

        var info = model.GetSymbolInfo(node);
        var symbols = info.Symbol is { } one ? [one] : info.CandidateSymbols.ToList();
        if (symbols.Count == 0 && model.GetDeclaredSymbol(node) is { } declared) symbols = [declared];
        if (symbols.Count == 0 && node is ExpressionSyntax && model.GetTypeInfo(node).Type is { TypeKind: not TypeKind.Error } type) symbols = [type];
        if (symbols.Count == 0) return null;

        var text = new StringBuilder();
        foreach (var symbol in symbols.Take(12))
            text.Append('(').Append(Kind(symbol)).Append(") ").AppendLine(symbol.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat));
        if (symbols.Count > 12) text.AppendLine($"… and {symbols.Count - 12} more overloads");
        if (SymbolDocumentation.Text(symbols[0], model.Compilation) is { } docs) text.AppendLine().Append(docs);
        return text.ToString().TrimEnd();
    }

    /// <summary>The innermost call or object creation whose argument list holds <paramref name="position"/> (after its '(').</summary>
    private static SyntaxNode? CallAround(SyntaxNode root, int position)
    {
        var token = root.FindToken(Math.Max(0, position - 1));
        for (var n = token.Parent; n is not null; n = n.Parent)
        {
            if (n is ArgumentListSyntax list && position > list.OpenParenToken.SpanStart
                && (list.CloseParenToken.IsMissing || position <= list.CloseParenToken.SpanStart))
                return n.Parent switch
                {
                    InvocationExpressionSyntax invocation => invocation,
                    BaseObjectCreationExpressionSyntax creation => creation,
                    ConstructorInitializerSyntax initializer => initializer,
                    _ => null,
                };
            if (n is StatementSyntax or MemberDeclarationSyntax) return null;
        }
        return null;
    }

    /// <summary>Whether <paramref name="code"/> is a whole submission (Roslyn's rule for the C# interactive window).</summary>
    public static Completeness IsComplete(string code)
    {
        if (string.IsNullOrWhiteSpace(code)) return new Completeness("complete", "");
        var tree = CSharpSyntaxTree.ParseText(code, ScriptParse);
        if (!SyntaxFactory.IsCompleteSubmission(tree))
        {
            string lastLine = code.TrimEnd('\n', '\r').Split('\n')[^1];
            string indent = new(lastLine.TakeWhile(c => c is ' ' or '\t').ToArray());
            if (lastLine.TrimEnd().EndsWith('{') || lastLine.TrimEnd().EndsWith('(')) indent += "    ";
            return new Completeness("incomplete", indent);
        }
        bool errors = tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error);
        return new Completeness(errors ? "invalid" : "complete", "");
    }

    private (SemanticModel Model, SyntaxNode Root) Analyze(string code)
    {
        var compilation = session.CompileAsNextCell(code);
        var tree = compilation.SyntaxTrees.Last(t => t.FilePath.EndsWith("#next", StringComparison.Ordinal));
        return (compilation.GetSemanticModel(tree), tree.GetRoot());
    }

    private static bool IsIdentifierPart(char c) => char.IsLetterOrDigit(c) || c == '_';

    private static bool InsideCommentOrString(SyntaxNode root, int position)
    {
        if (position == 0) return false;
        var trivia = root.FindTrivia(position - 1);
        if (trivia.IsKind(SyntaxKind.SingleLineCommentTrivia) || trivia.IsKind(SyntaxKind.MultiLineCommentTrivia)
            || trivia.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia)) return true;
        var token = root.FindToken(position - 1);
        bool literal = token.Kind() is SyntaxKind.StringLiteralToken or SyntaxKind.CharacterLiteralToken or SyntaxKind.InterpolatedStringTextToken
            or SyntaxKind.SingleLineRawStringLiteralToken or SyntaxKind.MultiLineRawStringLiteralToken or SyntaxKind.Utf8StringLiteralToken;
        return literal && position > token.SpanStart && (position < token.Span.End || token.ContainsDiagnostics);
    }

    /// <summary>The expression or name left of the '.' token: a.b, A.B (qualified name), a?.b.</summary>
    private static SyntaxNode? MemberAccessTarget(SyntaxToken dot) => dot.Parent switch
    {
        MemberAccessExpressionSyntax access when access.OperatorToken == dot => access.Expression,
        QualifiedNameSyntax qualified when qualified.DotToken == dot => qualified.Left,
        MemberBindingExpressionSyntax binding => binding.Ancestors().OfType<ConditionalAccessExpressionSyntax>().FirstOrDefault()?.Expression,
        _ => null,
    };

    private static IEnumerable<ISymbol> MembersOf(SemanticModel model, SyntaxNode target, int position)
    {
        var info = model.GetSymbolInfo(target);
        var symbol = info.Symbol ?? (info.CandidateSymbols.Length == 1 ? info.CandidateSymbols[0] : null);
        if (symbol is INamespaceSymbol ns) return model.LookupNamespacesAndTypes(position, ns);
        if (symbol is ITypeSymbol staticContainer) return model.LookupStaticMembers(position, staticContainer);
        var type = model.GetTypeInfo(target).Type;
        if (type is null or { TypeKind: TypeKind.Error }) return [];
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable && target.Parent is MemberBindingExpressionSyntax or ConditionalAccessExpressionSyntax)
            type = nullable.TypeArguments[0];
        return model.LookupSymbols(position, type, includeReducedExtensionMethods: true)
            .Where(s => !s.IsStatic || s is IMethodSymbol { MethodKind: MethodKind.ReducedExtension });
    }

    private static string Kind(ISymbol symbol) => symbol switch
    {
        IMethodSymbol => "method",
        IPropertySymbol => "property",
        IFieldSymbol { ContainingType.IsScriptClass: true } or ILocalSymbol => "variable",
        IFieldSymbol f => f.IsConst ? "constant" : "field",
        IEventSymbol => "event",
        IParameterSymbol => "parameter",
        INamespaceSymbol => "namespace",
        INamedTypeSymbol t => t.TypeKind switch
        {
            TypeKind.Interface => "interface",
            TypeKind.Struct => "struct",
            TypeKind.Enum => "enum",
            TypeKind.Delegate => "delegate",
            _ => "class",
        },
        ITypeParameterSymbol => "type parameter",
        _ => symbol.Kind.ToString().ToLowerInvariant(),
    };
}
