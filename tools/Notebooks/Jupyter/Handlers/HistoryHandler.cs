using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using static FromScratch.Notebooks.Jupyter.RequestContent;

namespace FromScratch.Notebooks.Jupyter;

/// <summary>
/// history_request: the inputs this kernel executed (session 0 = this session, numbered 1). "tail" gives the last n,
/// "range" lines start..stop (stop excluded; negative counts from the end), "search" the inputs matching a glob
/// pattern (* and ?), the last n, optionally unique. With output=true each entry is [session, line, [input, null]]
/// (outputs are not kept).
/// </summary>
internal sealed class HistoryHandler
{
    private readonly List<(int Line, string Input)> _history = [];

    /// <summary>Keeps the input of execution <paramref name="line"/> (a stored, non-silent execute_request).</summary>
    public void Record(int line, string input)
    {
        lock (_history) _history.Add((line, input));
    }

    /// <summary>history_reply content for a history_request's content.</summary>
    public JsonObject Reply(JsonObject content)
    {
        List<(int Line, string Input)> all;
        lock (_history) all = [.. _history];
        string access = Optional(content, "hist_access_type", "tail");
        bool output = Optional(content, "output", false);
        int n = Optional(content, "n", 0);
        IEnumerable<(int Line, string Input)> chosen = access switch
        {
            "tail" => n > 0 ? all.TakeLast(n) : all,
            "range" => Range(all, Optional(content, "start", 0), content["stop"] is null ? (int?)null : Optional(content, "stop", 0)),
            "search" => Search(all, Optional(content, "pattern", "*"), n, Optional(content, "unique", false)),
            _ => throw new MalformedContentException($"content.hist_access_type must be range, tail or search (got {access})"),
        };
        var history = new JsonArray();
        foreach (var (line, input) in chosen)
            history.Add(new JsonArray(1, line, output ? new JsonArray(input, null) : JsonValue.Create(input)));
        return new JsonObject { ["status"] = "ok", ["history"] = history };
    }

    private static IEnumerable<(int Line, string Input)> Range(List<(int Line, string Input)> all, int start, int? stop)
    {
        int last = all.Count == 0 ? 0 : all[^1].Line;
        int from = start < 0 ? last + 1 + start : start;
        int to = stop is { } s ? (s < 0 ? last + 1 + s : s) : last + 1;
        return all.Where(h => h.Line >= from && h.Line < to);
    }

    private static IEnumerable<(int Line, string Input)> Search(List<(int Line, string Input)> all, string pattern, int n, bool unique)
    {
        var glob = new Regex(
            "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.Singleline);
        var matches = all.Where(h => glob.IsMatch(h.Input)).ToList();
        if (unique) matches = matches.GroupBy(h => h.Input).Select(g => g.Last()).OrderBy(h => h.Line).ToList();
        return n > 0 ? matches.TakeLast(n) : matches;
    }
}
