using System.Text.RegularExpressions;

namespace FromScratch.Notebooks.Site;

/// <summary>
/// Marks the lessons' math for typesetting: each formula keeps its TeX in <c>data-tex</c>, which the page's
/// KaTeX typesets (<see cref="VendoredAssets.KatexHead"/>), and holds a readable text version until then (or
/// when JavaScript is off): the common commands become their Unicode symbols, so <c>\hat{y} = \sigma(W \cdot x)</c>
/// reads "ŷ = σ(W · x)".
/// </summary>
internal static partial class MathText
{
    private static readonly Dictionary<string, string> Symbols = new(StringComparer.Ordinal)
    {
        ["alpha"] = "α", ["beta"] = "β", ["gamma"] = "γ", ["delta"] = "δ", ["epsilon"] = "ε", ["varepsilon"] = "ε", ["zeta"] = "ζ",
        ["eta"] = "η", ["theta"] = "θ", ["lambda"] = "λ", ["mu"] = "μ", ["nu"] = "ν", ["xi"] = "ξ", ["pi"] = "π", ["rho"] = "ρ",
        ["sigma"] = "σ", ["tau"] = "τ", ["phi"] = "φ", ["varphi"] = "φ", ["chi"] = "χ", ["psi"] = "ψ", ["omega"] = "ω",
        ["Gamma"] = "Γ", ["Delta"] = "Δ", ["Theta"] = "Θ", ["Lambda"] = "Λ", ["Sigma"] = "Σ", ["Phi"] = "Φ", ["Psi"] = "Ψ", ["Omega"] = "Ω",
        ["cdot"] = "·", ["times"] = "×", ["le"] = "≤", ["leq"] = "≤", ["ge"] = "≥", ["geq"] = "≥", ["ne"] = "≠", ["neq"] = "≠",
        ["approx"] = "≈", ["partial"] = "∂", ["nabla"] = "∇", ["sum"] = "Σ", ["prod"] = "Π", ["infty"] = "∞", ["in"] = "∈",
        ["to"] = "→", ["rightarrow"] = "→", ["leftarrow"] = "←", ["gets"] = "←", ["pm"] = "±", ["odot"] = "⊙", ["circ"] = "∘",
        ["sqrt"] = "√", ["log"] = "log", ["exp"] = "exp", ["ln"] = "ln", ["max"] = "max", ["min"] = "min", ["quad"] = "  ",
        ["left"] = "", ["right"] = "", [","] = " ", [";"] = " ", ["!"] = "", ["ldots"] = "…", ["dots"] = "…", ["cdots"] = "⋯",
        ["mathbb{R}"] = "ℝ",
    };

    private static readonly Dictionary<char, char> Superscripts = new()
    {
        ['0'] = '⁰', ['1'] = '¹', ['2'] = '²', ['3'] = '³', ['4'] = '⁴', ['5'] = '⁵', ['6'] = '⁶', ['7'] = '⁷', ['8'] = '⁸', ['9'] = '⁹',
        ['T'] = 'ᵀ', ['+'] = '⁺', ['-'] = '⁻', ['n'] = 'ⁿ', ['i'] = 'ⁱ', ['('] = '⁽', [')'] = '⁾', ['l'] = 'ˡ', ['k'] = 'ᵏ', ['t'] = 'ᵗ',
    };

    private static readonly Dictionary<char, char> Subscripts = new()
    {
        ['0'] = '₀', ['1'] = '₁', ['2'] = '₂', ['3'] = '₃', ['4'] = '₄', ['5'] = '₅', ['6'] = '₆', ['7'] = '₇', ['8'] = '₈', ['9'] = '₉',
        ['i'] = 'ᵢ', ['j'] = 'ⱼ', ['k'] = 'ₖ', ['l'] = 'ₗ', ['m'] = 'ₘ', ['n'] = 'ₙ', ['t'] = 'ₜ', ['+'] = '₊', ['-'] = '₋', ['('] = '₍', [')'] = '₎',
    };

    /// <summary>Rewrites Markdig's math elements (<c>&lt;span class="math"&gt;\(…\)&lt;/span&gt;</c> and the display form) into readable text.</summary>
    public static string Readable(string html) =>
        MathElement().Replace(html, m =>
        {
            string tag = m.Groups["tag"].Value, tex = m.Groups["tex"].Value.Trim();
            // \[…\] (from $$…$$, also inside a paragraph) is a display formula, \(…\) an inline one.
            string display = m.Groups["open"].Value == "[" ? " data-display=\"true\"" : "";
            return $"<{tag} class=\"math\" data-tex=\"{tex.Replace("\"", "&quot;", StringComparison.Ordinal)}\"{display}>{ToText(tex)}</{tag}>";
        });

    /// <summary>
    /// Puts every <c>$$…$$</c> that spans lines or stands on a line of its own onto separate lines (<c>$$</c>, the
    /// formula, <c>$$</c>): the form Markdig reads as a display formula (it reads the others as inline ones), where
    /// Jupyter's MathJax shows all of them as display formulas. A <c>$$…$$</c> inside a sentence stays as it is.
    /// </summary>
    public static string DisplayMathOnOwnLines(string markdown)
    {
        var text = new System.Text.StringBuilder();
        int at = 0;
        while (true)
        {
            int open = markdown.IndexOf("$$", at, StringComparison.Ordinal);
            int close = open < 0 ? -1 : markdown.IndexOf("$$", open + 2, StringComparison.Ordinal);
            if (close < 0) break;
            string tex = markdown[(open + 2)..close];
            text.Append(markdown, at, open - at);
            bool ownLine = (open == 0 || markdown[open - 1] == '\n') && (close + 2 == markdown.Length || markdown[close + 2] is '\n' or '\r');
            text.Append(tex.Contains('\n') || ownLine ? $"\n$$\n{tex.Trim()}\n$$\n" : $"$${tex}$$");
            at = close + 2;
        }
        return text.Append(markdown, at, markdown.Length - at).ToString();
    }

    /// <summary>TeX (already HTML-encoded) to readable text: symbols, hats, fractions, simple super- and subscripts.</summary>
    public static string ToText(string tex)
    {
        string text = tex;
        text = Command("hat").Replace(text, m => Combine(m.Groups[1].Value, '\u0302'));
        text = Command("bar").Replace(text, m => Combine(m.Groups[1].Value, '\u0304'));
        text = Command("tilde").Replace(text, m => Combine(m.Groups[1].Value, '\u0303'));
        text = Command("vec").Replace(text, m => Combine(m.Groups[1].Value, '\u20D7'));
        text = Fraction().Replace(text, m => $"({m.Groups[1].Value})/({m.Groups[2].Value})");
        text = Styled().Replace(text, m => m.Groups[2].Value);
        text = Named().Replace(text, m => Symbols.TryGetValue(m.Groups[1].Value, out string? s) ? s : m.Value);
        text = Script().Replace(text, m => Shift(m.Groups[2].Success ? m.Groups[2].Value : m.Groups[3].Value, m.Groups[1].Value == "^" ? Superscripts : Subscripts, m.Groups[1].Value));
        return text.Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal);
    }

    // The combining accent goes over the (last) letter: \hat{y} → ŷ.
    private static string Combine(string argument, char accent) => argument + accent;

    private static string Shift(string text, Dictionary<char, char> table, string marker) =>
        text.All(table.ContainsKey) ? string.Concat(text.Select(c => table[c])) : $"{marker}({text})";

    private static Regex Command(string name) => new($@"\\{name}\{{([^{{}}]*)\}}");

    [GeneratedRegex(@"<(?<tag>span|div) class=""math"">\s*\\(?<open>[\(\[])(?<tex>.*?)\\[\)\]]\s*</\k<tag>>", RegexOptions.Singleline)]
    private static partial Regex MathElement();

    [GeneratedRegex(@"\\[dt]?frac\{([^{}]*)\}\{([^{}]*)\}")]
    private static partial Regex Fraction();

    [GeneratedRegex(@"\\(mathbf|mathrm|boldsymbol|text|operatorname|mathit)\{([^{}]*)\}")]
    private static partial Regex Styled();

    [GeneratedRegex(@"\\(mathbb\{R\}|[A-Za-z]+|[,;!])")]
    private static partial Regex Named();

    [GeneratedRegex(@"([\^_])(?:\{([^{}]*)\}|([A-Za-z0-9]))")]
    private static partial Regex Script();
}
