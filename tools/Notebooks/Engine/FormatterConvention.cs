using System.Globalization;
using System.Reflection;

namespace FromScratch.Notebooks.Engine;

/// <summary>
/// .NET Interactive's convention-based formatting, honoured by this engine so a type displays the same in both
/// kernels: the type (or a base type) carries an attribute whose simple name is <c>TypeFormatterSourceAttribute</c>
/// (declared anywhere, by the library or in a cell) with <c>Type FormatterSourceType</c> and optionally
/// <c>string[] PreferredMimeTypes</c>; the source type has a public parameterless constructor and
/// <c>IEnumerable&lt;object&gt; CreateTypeFormatters()</c>; each formatter has <c>string MimeType</c>,
/// <c>Type Type</c> and <c>bool Format(object instance, TextWriter writer)</c>. All found by name.
/// </summary>
internal static class FormatterConvention
{
    /// <summary>
    /// MIME type → text for <paramref name="value"/>, from its type's formatter source: the preferred MIME types
    /// when the attribute lists them, else text/html and text/plain only (the official kernel shows just its
    /// default, text/html, then; this engine always adds a text/plain). Null when the type does not opt in or no formatter handled the value. A source
    /// that does not follow the convention, or a formatter that throws, is an error naming the type.
    /// </summary>
    public static IReadOnlyDictionary<string, string>? Format(object value)
    {
        var type = value.GetType();
        foreach (var attribute in Attributes(type))
        {
            var attributeType = attribute.GetType();
            if (attributeType.GetProperty("FormatterSourceType")?.GetValue(attribute) is not Type sourceType) continue;
            var preferred = attributeType.GetProperty("PreferredMimeTypes")?.GetValue(attribute) as string[] is { Length: > 0 } listed
                ? listed : [MimeTypes.Html, MimeTypes.PlainText];
            var chosen = new List<(string MimeType, object Formatter, MethodInfo Format)>();
            foreach (object formatter in CreateFormatters(sourceType, type))
            {
                var formatterType = formatter.GetType();
                string? mimeType = formatterType.GetProperty("MimeType")?.GetValue(formatter) as string;
                var forType = formatterType.GetProperty("Type")?.GetValue(formatter) as Type;
                var format = formatterType.GetMethod("Format", [typeof(object), typeof(TextWriter)]);
                if (mimeType is null || format is null || format.ReturnType != typeof(bool))
                    throw new InvalidOperationException($"{sourceType.FullName}.CreateTypeFormatters() yielded a {formatterType.FullName}, "
                        + "which lacks string MimeType or bool Format(object, TextWriter)");
                if (forType is not null && !forType.IsAssignableFrom(type)) continue;
                if (!preferred.Contains(mimeType) || chosen.Exists(c => c.MimeType == mimeType)) continue;
                chosen.Add((mimeType, formatter, format));
            }
            // A figure's HTML is the engine's own (its per-session plotly.js rule): the source's is not asked for.
            if (chosen.Exists(c => c.MimeType == MimeTypes.Plotly)) chosen.RemoveAll(c => c.MimeType == MimeTypes.Html);
            var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (mimeType, formatter, format) in chosen)
            {
                using var writer = new StringWriter(CultureInfo.InvariantCulture);
                bool handled;
                try
                {
                    handled = (bool)format.Invoke(formatter, [value, writer])!;
                }
                catch (TargetInvocationException e) when (e.InnerException is { } inner)
                {
                    throw new InvalidOperationException($"the {mimeType} formatter of {sourceType.Name} failed on a {type.Name}: {inner.Message}", inner);
                }
                if (handled) outputs[mimeType] = writer.ToString();
            }
            if (outputs.Count > 0) return outputs;
        }
        return null;
    }

    /// <summary>
    /// The bundle of a non-figure value formatted by convention: JSON MIME types (application/json, …+json) as
    /// parsed JSON, the rest as strings, and <paramref name="plainText"/> when no formatter wrote text/plain.
    /// </summary>
    public static MimeBundle ToBundle(IReadOnlyDictionary<string, string> outputs, string plainText)
    {
        var data = new Dictionary<string, System.Text.Json.Nodes.JsonNode>(StringComparer.Ordinal);
        foreach (var (mimeType, text) in outputs)
        {
            bool json = mimeType == "application/json" || mimeType.EndsWith("+json", StringComparison.Ordinal);
            data[mimeType] = json
                ? System.Text.Json.Nodes.JsonNode.Parse(text) ?? throw new InvalidOperationException($"the {mimeType} formatter wrote JSON null")
                : System.Text.Json.Nodes.JsonValue.Create(text);
        }
        data.TryAdd(MimeTypes.PlainText, System.Text.Json.Nodes.JsonValue.Create(plainText));
        return new MimeBundle(data, null);
    }

    /// <summary>Attributes named TypeFormatterSourceAttribute on the type and its base types, nearest first.</summary>
    private static IEnumerable<object> Attributes(Type type)
    {
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
            foreach (var attribute in t.GetCustomAttributes(inherit: false))
                if (attribute.GetType().Name == "TypeFormatterSourceAttribute") yield return attribute;
    }

    private static IEnumerable<object> CreateFormatters(Type sourceType, Type valueType)
    {
        var create = sourceType.GetMethod("CreateTypeFormatters", BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes);
        if (create is null || sourceType.GetConstructor(Type.EmptyTypes) is null)
            throw new InvalidOperationException($"{valueType.Name} names {sourceType.FullName} as its formatter source, "
                + "which needs a public parameterless constructor and a public IEnumerable<object> CreateTypeFormatters()");
        try
        {
            object source = Activator.CreateInstance(sourceType)!;
            return ((System.Collections.IEnumerable?)create.Invoke(source, null))?.Cast<object>().ToList() ?? [];
        }
        catch (TargetInvocationException e) when (e.InnerException is { } inner)
        {
            throw new InvalidOperationException($"{sourceType.Name}.CreateTypeFormatters() failed: {inner.Message}", inner);
        }
    }
}
