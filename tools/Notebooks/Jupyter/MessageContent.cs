using System.Text.Json.Nodes;

namespace FromScratch.Notebooks.Jupyter;

/// <summary>Fields of a request's content, read with the protocol's types; a wrong one is a <see cref="MalformedContentException"/>.</summary>
internal static class RequestContent
{
    /// <summary>content.<paramref name="name"/>, which must be there and of type <typeparamref name="T"/>.</summary>
    public static T Required<T>(JsonObject content, string name)
    {
        if (content[name] is JsonValue value && value.TryGetValue(out T? result) && result is not null) return result;
        throw new MalformedContentException($"content.{name} is missing or not a {typeof(T).Name} (got {content[name]?.ToJsonString() ?? "nothing"})");
    }

    /// <summary>content.<paramref name="name"/>, or <paramref name="fallback"/> when absent; present, it must be a <typeparamref name="T"/>.</summary>
    public static T Optional<T>(JsonObject content, string name, T fallback)
    {
        if (content[name] is null) return fallback;
        if (content[name] is JsonValue value && value.TryGetValue(out T? result) && result is not null) return result;
        throw new MalformedContentException($"content.{name} is not a {typeof(T).Name} (got {content[name]!.ToJsonString()})");
    }
}

/// <summary>A request whose content lacks a field or has one of the wrong type.</summary>
internal sealed class MalformedContentException(string message) : Exception(message);

/// <summary>Reply types and error replies of the protocol.</summary>
internal static class Replies
{
    /// <summary>The reply type of a request type ("execute_request" → "execute_reply"); "error" for anything else.</summary>
    public static string TypeFor(string requestType) =>
        requestType.EndsWith("_request", StringComparison.Ordinal) ? requestType[..^"_request".Length] + "_reply" : "error";

    /// <summary>The reply type of <paramref name="request"/>.</summary>
    public static string TypeFor(JupyterMessage request) => TypeFor(request.Type);

    /// <summary>Content of an error reply: status error, ename, evalue and a one-line traceback.</summary>
    public static JsonObject Error(string name, string message) => new()
    {
        ["status"] = "error", ["ename"] = name, ["evalue"] = message, ["traceback"] = new JsonArray($"{name}: {message}"),
    };
}
