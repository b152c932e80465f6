namespace FromScratch.Display;

/// <summary>
/// Says how values of a type display in a notebook, by .NET Interactive's convention: the official
/// .NET (C#) kernel (Polyglot Notebooks) and this course's own engine both look for an attribute with
/// this simple name, create <see cref="FormatterSourceType"/> and call its
/// <c>IEnumerable&lt;object&gt; CreateTypeFormatters()</c>; each formatter it yields has
/// <c>string MimeType</c>, <c>Type Type</c> and <c>bool Format(object instance, TextWriter writer)</c>.
/// Nothing references .NET Interactive: the kernels find all of it by name. A learner's own type opts in
/// the same way (with this attribute, or with one of the same name declared in a cell).
/// </summary>
/// <param name="formatterSourceType">A type with a public parameterless constructor and
/// <c>CreateTypeFormatters()</c>, e.g. <see cref="FigureFormatterSource"/>.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = true)]
internal sealed class TypeFormatterSourceAttribute(Type formatterSourceType) : Attribute
{
    /// <summary>The type whose <c>CreateTypeFormatters()</c> yields the formatters.</summary>
    public Type FormatterSourceType { get; } = formatterSourceType;

    /// <summary>
    /// The MIME types a kernel shows for the value, every one of them in the same output. The official
    /// kernel emits exactly these (without it, only text/html); set it to every MIME type the source formats.
    /// </summary>
    public string[]? PreferredMimeTypes { get; set; }
}
