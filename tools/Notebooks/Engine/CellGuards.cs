using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FromScratch.Notebooks.Engine;

/// <summary>
/// Puts a call to <see cref="CellInterrupt.Enter"/> first in the body of every method, local
/// function, accessor, constructor, operator and lambda a cell defines, so that a runaway recursion
/// throws an ordinary <see cref="InsufficientExecutionStackException"/> in its cell (a real stack
/// overflow ends the .NET process) and an interrupt stops code that loops through the cell's own
/// lambdas (e.g. a long LINQ query). Nothing goes on a new line, so compile errors and stack traces
/// keep the cell's line numbers.
/// </summary>
/// <remarks>
/// An expression body <c>=&gt; e</c> becomes a block on the same line: <c>{ Enter(); e; }</c> where the
/// member returns nothing (void, a non-generic async Task, a setter, a constructor) and
/// <c>{ Enter(); return e; }</c> otherwise. For a lambda the syntax cannot tell: an assignment or
/// increment is taken as a statement, anything else as a value. A wrong guess (a void lambda, or a
/// lambda that must stay an expression tree) is a compile error, and then the session compiles the
/// cell with <see cref="Level.BlocksOnly"/> (expression lambdas untouched) or, failing that, as written.
/// </remarks>
internal static class CellGuards
{
    /// <summary>How much to rewrite.</summary>
    public enum Level
    {
        /// <summary>Every member and lambda.</summary>
        All,
        /// <summary>Everything except expression-bodied lambdas.</summary>
        BlocksOnly,
    }

    /// <summary>The cell with guards, or <paramref name="code"/> itself when it defines nothing to guard.</summary>
    public static string Add(string code, Level level = Level.All)
    {
        var tree = CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Latest, kind: SourceCodeKind.Script));
        var root = tree.GetRoot();
        if (!root.DescendantNodes().Any(n => n is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AccessorDeclarationSyntax
                or AnonymousFunctionExpressionSyntax or PropertyDeclarationSyntax or IndexerDeclarationSyntax))
            return code;
        return new Rewriter(level).Visit(root).ToFullString();
    }

    private sealed class Rewriter(Level level) : CSharpSyntaxRewriter
    {
        private static readonly StatementSyntax EnterCall =
            SyntaxFactory.ParseStatement("global::FromScratch.Notebooks.Engine.CellInterrupt.Enter(); ");

        private static BlockSyntax Guarded(BlockSyntax block) =>
            block.WithStatements(block.Statements.Insert(0, EnterCall.WithLeadingTrivia(SyntaxFactory.Space)));

        /// <summary><c>=&gt; e</c> as <c>{ Enter(); [return] e; }</c> on the same line, keeping the trivia around it.</summary>
        private static BlockSyntax FromExpression(ArrowExpressionClauseSyntax arrow, bool returnsValue) =>
            FromExpression(arrow.Expression, returnsValue, arrow.GetLeadingTrivia(), arrow.GetTrailingTrivia());

        private static BlockSyntax FromExpression(ExpressionSyntax expression, bool returnsValue,
            SyntaxTriviaList leading, SyntaxTriviaList trailing)
        {
            var e = expression.WithoutLeadingTrivia().WithoutTrailingTrivia();
            StatementSyntax statement = returnsValue
                ? SyntaxFactory.ReturnStatement(SyntaxFactory.Token(SyntaxKind.ReturnKeyword).WithTrailingTrivia(SyntaxFactory.Space), e,
                    SyntaxFactory.Token(SyntaxKind.SemicolonToken))
                : SyntaxFactory.ExpressionStatement(e);
            return SyntaxFactory.Block(
                    SyntaxFactory.Token(SyntaxKind.OpenBraceToken).WithLeadingTrivia(leading),
                    SyntaxFactory.List([EnterCall.WithLeadingTrivia(SyntaxFactory.Space), statement.WithTrailingTrivia(SyntaxFactory.Space)]),
                    SyntaxFactory.Token(SyntaxKind.CloseBraceToken).WithTrailingTrivia(trailing));
        }

        private static bool ReturnsValue(TypeSyntax returnType, SyntaxTokenList modifiers)
        {
            string type = returnType.ToString().Replace(" ", "", StringComparison.Ordinal);
            if (type == "void") return false;
            bool isAsync = modifiers.Any(SyntaxKind.AsyncKeyword);
            if (isAsync && type is "Task" or "ValueTask" or "System.Threading.Tasks.Task" or "System.Threading.Tasks.ValueTask") return false;
            return true;
        }

        public override SyntaxNode? VisitMethodDeclaration(MethodDeclarationSyntax node)
        {
            var n = (MethodDeclarationSyntax)base.VisitMethodDeclaration(node)!;
            if (n.Body is { } body) return n.WithBody(Guarded(body));
            if (n.ExpressionBody is { } arrow)
                return n.WithExpressionBody(null).WithSemicolonToken(default)
                    .WithBody(FromExpression(arrow, ReturnsValue(n.ReturnType, n.Modifiers)).WithTrailingTrivia(n.SemicolonToken.TrailingTrivia));
            return n;
        }

        public override SyntaxNode? VisitLocalFunctionStatement(LocalFunctionStatementSyntax node)
        {
            var n = (LocalFunctionStatementSyntax)base.VisitLocalFunctionStatement(node)!;
            if (n.Body is { } body) return n.WithBody(Guarded(body));
            if (n.ExpressionBody is { } arrow)
                return n.WithExpressionBody(null).WithSemicolonToken(default)
                    .WithBody(FromExpression(arrow, ReturnsValue(n.ReturnType, n.Modifiers)).WithTrailingTrivia(n.SemicolonToken.TrailingTrivia));
            return n;
        }

        public override SyntaxNode? VisitConstructorDeclaration(ConstructorDeclarationSyntax node)
        {
            var n = (ConstructorDeclarationSyntax)base.VisitConstructorDeclaration(node)!;
            if (n.Body is { } body) return n.WithBody(Guarded(body));
            if (n.ExpressionBody is { } arrow)
                return n.WithExpressionBody(null).WithSemicolonToken(default)
                    .WithBody(FromExpression(arrow, returnsValue: false).WithTrailingTrivia(n.SemicolonToken.TrailingTrivia));
            return n;
        }

        public override SyntaxNode? VisitOperatorDeclaration(OperatorDeclarationSyntax node)
        {
            var n = (OperatorDeclarationSyntax)base.VisitOperatorDeclaration(node)!;
            if (n.Body is { } body) return n.WithBody(Guarded(body));
            if (n.ExpressionBody is { } arrow)
                return n.WithExpressionBody(null).WithSemicolonToken(default)
                    .WithBody(FromExpression(arrow, ReturnsValue(n.ReturnType, n.Modifiers)).WithTrailingTrivia(n.SemicolonToken.TrailingTrivia));
            return n;
        }

        public override SyntaxNode? VisitConversionOperatorDeclaration(ConversionOperatorDeclarationSyntax node)
        {
            var n = (ConversionOperatorDeclarationSyntax)base.VisitConversionOperatorDeclaration(node)!;
            if (n.Body is { } body) return n.WithBody(Guarded(body));
            if (n.ExpressionBody is { } arrow)
                return n.WithExpressionBody(null).WithSemicolonToken(default)
                    .WithBody(FromExpression(arrow, returnsValue: true).WithTrailingTrivia(n.SemicolonToken.TrailingTrivia));
            return n;
        }

        public override SyntaxNode? VisitAccessorDeclaration(AccessorDeclarationSyntax node)
        {
            var n = (AccessorDeclarationSyntax)base.VisitAccessorDeclaration(node)!;
            if (n.Body is { } body) return n.WithBody(Guarded(body));
            if (n.ExpressionBody is { } arrow)
                return n.WithExpressionBody(null).WithSemicolonToken(default)
                    .WithBody(FromExpression(arrow, n.Keyword.IsKind(SyntaxKind.GetKeyword)).WithTrailingTrivia(n.SemicolonToken.TrailingTrivia));
            return n;
        }

        /// <summary><c>int P =&gt; e;</c> becomes <c>int P { get { Enter(); return e; } }</c>, on the same line.</summary>
        public override SyntaxNode? VisitPropertyDeclaration(PropertyDeclarationSyntax node)
        {
            var n = (PropertyDeclarationSyntax)base.VisitPropertyDeclaration(node)!;
            if (n.ExpressionBody is not { } arrow) return n;
            var getter = SyntaxFactory.AccessorDeclaration(SyntaxKind.GetAccessorDeclaration, FromExpression(arrow, returnsValue: true))
                .WithKeyword(SyntaxFactory.Token(SyntaxKind.GetKeyword).WithLeadingTrivia(SyntaxFactory.Space));
            return n.WithExpressionBody(null).WithSemicolonToken(default)
                .WithAccessorList(SyntaxFactory.AccessorList(
                    SyntaxFactory.Token(SyntaxKind.OpenBraceToken).WithLeadingTrivia(SyntaxFactory.Space),
                    SyntaxFactory.List([getter]),
                    SyntaxFactory.Token(SyntaxKind.CloseBraceToken).WithLeadingTrivia(SyntaxFactory.Space).WithTrailingTrivia(n.SemicolonToken.TrailingTrivia)));
        }

        public override SyntaxNode? VisitIndexerDeclaration(IndexerDeclarationSyntax node)
        {
            var n = (IndexerDeclarationSyntax)base.VisitIndexerDeclaration(node)!;
            if (n.ExpressionBody is not { } arrow) return n;
            var getter = SyntaxFactory.AccessorDeclaration(SyntaxKind.GetAccessorDeclaration, FromExpression(arrow, returnsValue: true))
                .WithKeyword(SyntaxFactory.Token(SyntaxKind.GetKeyword).WithLeadingTrivia(SyntaxFactory.Space));
            return n.WithExpressionBody(null).WithSemicolonToken(default)
                .WithAccessorList(SyntaxFactory.AccessorList(
                    SyntaxFactory.Token(SyntaxKind.OpenBraceToken).WithLeadingTrivia(SyntaxFactory.Space),
                    SyntaxFactory.List([getter]),
                    SyntaxFactory.Token(SyntaxKind.CloseBraceToken).WithLeadingTrivia(SyntaxFactory.Space).WithTrailingTrivia(n.SemicolonToken.TrailingTrivia)));
        }

        public override SyntaxNode? VisitSimpleLambdaExpression(SimpleLambdaExpressionSyntax node) =>
            GuardLambda((SimpleLambdaExpressionSyntax)base.VisitSimpleLambdaExpression(node)!);

        public override SyntaxNode? VisitParenthesizedLambdaExpression(ParenthesizedLambdaExpressionSyntax node) =>
            GuardLambda((ParenthesizedLambdaExpressionSyntax)base.VisitParenthesizedLambdaExpression(node)!);

        public override SyntaxNode? VisitAnonymousMethodExpression(AnonymousMethodExpressionSyntax node)
        {
            var n = (AnonymousMethodExpressionSyntax)base.VisitAnonymousMethodExpression(node)!;
            return n.Block is { } block ? n.WithBody(Guarded(block)) : n;
        }

        private SyntaxNode GuardLambda(LambdaExpressionSyntax n)
        {
            if (n.Block is { } block) return n.WithBlock(Guarded(block));
            if (level != Level.All || n.ExpressionBody is not { } expression) return n;
            bool statement = expression is AssignmentExpressionSyntax
                || expression is PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression or (int)SyntaxKind.PostDecrementExpression }
                || expression is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression };
            if (expression is ThrowExpressionSyntax) return n; // `() => throw …` fits any delegate and cannot recurse
            var body = FromExpression(expression, !statement, expression.GetLeadingTrivia(), expression.GetTrailingTrivia());
            return n.WithExpressionBody(null).WithBlock(body);
        }
    }
}
