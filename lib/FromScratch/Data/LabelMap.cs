using System.Globalization;

// Lessons 1–12: label text → numbers, written out (F → 1, M → 0).
namespace FromScratch;

/// <summary>
/// How the text of the label column becomes the number y a network is trained on.
/// Either an explicit table (<c>F → 1, M → 0</c>), a list of class names mapped to their index
/// (<c>"0" → 0 … "9" → 9</c> for the digits), or the text read as a number (for regression, e.g. a temperature).
/// </summary>
public sealed class LabelMap
{
    private readonly IReadOnlyDictionary<string, double>? table;

    private LabelMap(IReadOnlyDictionary<string, double>? table, IReadOnlyList<string> classNames)
    {
        this.table = table;
        ClassNames = classNames;
    }

    /// <summary>
    /// An explicit table from label text to value, e.g. <c>LabelMap.Of(("F", 1), ("M", 0))</c>.
    /// Any other text in the label column is an error.
    /// </summary>
    public static LabelMap Of(params (string Text, double Value)[] entries)
    {
        if (entries.Length == 0)
            throw new ArgumentException("A label map needs at least one entry, e.g. (\"F\", 1), (\"M\", 0).", nameof(entries));
        var map = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (text, value) in entries)
        {
            if (!double.IsFinite(value))
                throw new ArgumentException($"The label '{text}' maps to {value.ToString(CultureInfo.InvariantCulture)}; label values must be finite.", nameof(entries));
            if (!map.TryAdd(text, value))
                throw new ArgumentException($"The label '{text}' appears twice in the label map.", nameof(entries));
        }
        // Class names in order of their value, so ClassNames[0] names the class with value 0 when values are 0, 1, ….
        var names = entries.OrderBy(e => e.Value).Select(e => e.Text).ToArray();
        return new LabelMap(map, names);
    }

    /// <summary>
    /// Class names mapped to their position: <c>Classes("0", "1", …, "9")</c> maps "7" to 7;
    /// <c>Classes("M", "F")</c> maps M to 0 and F to 1.
    /// </summary>
    public static LabelMap Classes(params string[] names)
    {
        if (names.Length == 0)
            throw new ArgumentException("Classes needs at least one class name.", nameof(names));
        return Of(names.Select((name, index) => (name, (double)index)).ToArray());
    }

    /// <summary>The label text is itself a number (regression targets such as a temperature in °C).</summary>
    public static LabelMap Number { get; } = new(null, []);

    /// <summary>True when the label is read as a number rather than looked up in a table.</summary>
    public bool IsNumeric => table is null;

    /// <summary>The class names ordered by their value (empty for <see cref="Number"/>).</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Looks up <paramref name="text"/>; false when it is not a known label (or, for <see cref="Number"/>, not a finite number).</summary>
    public bool TryMap(string text, out double value)
    {
        if (table is not null) return table.TryGetValue(text, out value);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    /// <summary>The labels this map accepts, for error messages: "F, M" or "a number".</summary>
    public string Describe() => table is null ? "a number" : string.Join(", ", table.Keys);
}
