using System.Net;
using System.Text;

namespace FromScratch.Notebooks.Site;

/// <summary>
/// A small C# syntax highlighter for the site: wraps comments, strings and characters, numbers,
/// keywords and notebook directives (#r, #!) in &lt;span class="…"&gt;, HTML-encodes everything else.
/// One left-to-right pass; good enough for lesson code, no JavaScript needed in the page.
/// </summary>
internal static class CSharpHighlighter
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "async", "await", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
        "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false",
        "finally", "fixed", "float", "for", "foreach", "get", "goto", "if", "implicit", "in", "init", "int", "interface", "internal",
        "is", "lock", "long", "namespace", "new", "not", "null", "object", "operator", "or", "and", "out", "override", "params",
        "private", "protected", "public", "readonly", "record", "ref", "required", "return", "sbyte", "sealed", "set", "short",
        "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong",
        "unchecked", "unsafe", "ushort", "using", "var", "virtual", "void", "volatile", "when", "where", "while", "with", "yield",
    };

    /// <summary>The code as HTML with highlighting spans (classes kw, str, com, num, dir).</summary>
    public static string ToHtml(string code)
    {
        var html = new StringBuilder(code.Length * 2);
        int i = 0;
        bool lineStart = true;
        while (i < code.Length)
        {
            char c = code[i];
            char next = i + 1 < code.Length ? code[i + 1] : '\0';
            int start = i;
            if (lineStart && c == '#')
            {
                i = LineEnd(code, i);
                Span(html, "dir", code[start..i]);
            }
            else if (c == '/' && next == '/')
            {
                i = LineEnd(code, i);
                Span(html, "com", code[start..i]);
            }
            else if (c == '/' && next == '*')
            {
                int end = code.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? code.Length : end + 2;
                Span(html, "com", code[start..i]);
            }
            else if (StringStart(code, i) is { } opening)
            {
                i = StringEnd(code, i, opening);
                Span(html, "str", code[start..i]);
            }
            else if (c == '\'')
            {
                i++;
                while (i < code.Length && code[i] != '\'' && code[i] != '\n') i += code[i] == '\\' ? 2 : 1;
                i = Math.Min(i + 1, code.Length);
                Span(html, "str", code[start..i]);
            }
            else if (char.IsDigit(c) || (c == '.' && char.IsDigit(next) && (i == 0 || !char.IsLetterOrDigit(code[i - 1]))))
            {
                i = NumberEnd(code, i);
                Span(html, "num", code[start..i]);
            }
            else if (char.IsLetter(c) || c == '_' || c == '@' && (char.IsLetter(next) || next == '_'))
            {
                i++;
                while (i < code.Length && (char.IsLetterOrDigit(code[i]) || code[i] == '_')) i++;
                string word = code[start..i];
                if (Keywords.Contains(word)) Span(html, "kw", word);
                else html.Append(WebUtility.HtmlEncode(word));
            }
            else
            {
                i++;
                html.Append(WebUtility.HtmlEncode(c.ToString()));
            }
            // A directive (#r, #!) is a '#' that starts a line, after indentation at most.
            lineStart = c == '\n' || (lineStart && c is ' ' or '\t' && i == start + 1);
        }
        return html.ToString();
    }

    private static void Span(StringBuilder html, string cssClass, string text) =>
        html.Append("<span class=\"").Append(cssClass).Append("\">").Append(WebUtility.HtmlEncode(text)).Append("</span>");

    private static int LineEnd(string code, int i)
    {
        int end = code.IndexOf('\n', i);
        return end < 0 ? code.Length : end;
    }

    // The prefix and quote count of a string literal starting at i: "…", @"…", $"…", $@"…", @$"…", """…""" (raw), or null.
    private static (bool Verbatim, int Quotes)? StringStart(string code, int i)
    {
        int j = i;
        bool verbatim = false;
        while (j < code.Length && j - i < 3 && code[j] is '$' or '@')
        {
            if (code[j] == '@') verbatim = true;
            j++;
        }
        if (j >= code.Length || code[j] != '"') return null;
        int quotes = 0;
        while (j + quotes < code.Length && code[j + quotes] == '"') quotes++;
        return quotes >= 3 ? (false, quotes) : (verbatim, 1);
    }

    private static int StringEnd(string code, int i, (bool Verbatim, int Quotes) opening)
    {
        int j = code.IndexOf('"', i) + opening.Quotes;
        if (opening.Quotes >= 3)
        {
            int end = code.IndexOf(new string('"', opening.Quotes), j, StringComparison.Ordinal);
            return end < 0 ? code.Length : end + opening.Quotes;
        }
        while (j < code.Length)
        {
            char c = code[j];
            if (!opening.Verbatim && c == '\\') { j += 2; continue; }
            if (!opening.Verbatim && c == '\n') return j;
            if (c == '"')
            {
                if (opening.Verbatim && j + 1 < code.Length && code[j + 1] == '"') { j += 2; continue; }
                return j + 1;
            }
            j++;
        }
        return code.Length;
    }

    private static int NumberEnd(string code, int i)
    {
        if (code[i] == '0' && i + 1 < code.Length && code[i + 1] is 'x' or 'X' or 'b' or 'B')
        {
            i += 2;
            while (i < code.Length && (char.IsAsciiHexDigit(code[i]) || code[i] == '_')) i++;
        }
        else
        {
            while (i < code.Length && (char.IsDigit(code[i]) || code[i] == '_')) i++;
            if (i + 1 < code.Length && code[i] == '.' && char.IsDigit(code[i + 1]))
            {
                i++;
                while (i < code.Length && (char.IsDigit(code[i]) || code[i] == '_')) i++;
            }
            if (i < code.Length && code[i] is 'e' or 'E')
            {
                int j = i + 1;
                if (j < code.Length && code[j] is '+' or '-') j++;
                if (j < code.Length && char.IsDigit(code[j]))
                {
                    i = j;
                    while (i < code.Length && char.IsDigit(code[i])) i++;
                }
            }
        }
        while (i < code.Length && code[i] is 'f' or 'F' or 'd' or 'D' or 'm' or 'M' or 'u' or 'U' or 'l' or 'L') i++;
        return i;
    }
}
