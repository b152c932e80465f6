using System.Text.Json.Nodes;
using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.TraceObjects;

namespace FromScratch;

/// <summary>
/// Small tools on Plotly.NET's chart objects used by the figures: a plotly attribute that Plotly.NET.CSharp has no
/// parameter for (<see cref="Set{T}"/>, <see cref="Get"/>), a deep copy of a chart that keeps every object's Plotly.NET type
/// (<see cref="Copy"/>), and the figure JSON (<see cref="Json"/>).
/// </summary>
internal static class PlotlyObjects
{
    /// <summary>
    /// Sets the plotly attribute <paramref name="key"/> (plotly.js's own name, e.g. "hovertemplate") on a Plotly.NET
    /// object, for the few attributes Plotly.NET.CSharp's functions take no parameter for.
    /// </summary>
    public static T Set<T>(this T target, string key, object? value) where T : DynamicObj.DynamicObj
    {
        target.SetProperty(key, PlotlyValue(value));
        return target;
    }

    /// <summary>Sets <paramref name="key"/> on every trace of <paramref name="chart"/> (see <see cref="Set{T}"/>).</summary>
    public static GenericChart SetOnTraces(this GenericChart chart, string key, object? value)
    {
        foreach (var trace in GenericChart.getTraces(chart)) trace.SetProperty(key, PlotlyValue(value));
        return chart;
    }

    // A StyleParam (TickOptions.Outside, AxisType.Log …) is stored as its plotly value ("outside", "log"), as Plotly.NET's
    // own style functions store it: Plotly.NET's serializer (Chart.Show, toChartHTML) writes a StyleParam as {"Case": …}.
    private static object? PlotlyValue(object? value)
    {
        for (var type = value?.GetType(); type is not null; type = type.DeclaringType)
            if (type.DeclaringType == typeof(StyleParam))
                return value!.GetType().GetMethod("Convert", Type.EmptyTypes) is { } convert ? convert.Invoke(value, null) : value;
        return value;
    }

    /// <summary>The value of the plotly attribute <paramref name="key"/> of <paramref name="target"/>, or null when it is not set.</summary>
    public static object? Get(this DynamicObj.DynamicObj target, string key)
    {
        var existing = target.TryGetPropertyValue(key);
        return FSharpOption<object>.get_IsSome(existing) ? existing.Value : null;
    }

    /// <summary>The nested object <paramref name="key"/> of <paramref name="target"/> (e.g. a trace's "marker"), made if missing.</summary>
    public static TPart Part<TPart>(this DynamicObj.DynamicObj target, string key) where TPart : DynamicObj.DynamicObj, new()
    {
        if (target.Get(key) is TPart part) return part;
        var made = new TPart();
        target.SetProperty(key, made);
        return made;
    }

    /// <summary>
    /// A deep copy of <paramref name="chart"/>: every trace, marker, line, axis … is a new object of the same
    /// Plotly.NET type, so Plotly.NET's style functions (which change the objects they find) leave the original alone.
    /// </summary>
    public static GenericChart Copy(GenericChart chart)
    {
        var traces = GenericChart.getTraces(chart).Select(t => (Trace)CopyObject(t)).ToArray();
        var copy = GenericChart.ofTraceObjects(false, traces);
        copy = GenericChart.setLayout((Layout)CopyObject(GenericChart.getLayout(chart)), copy);
        return GenericChart.setConfig((Config)CopyObject(GenericChart.getConfig(chart)), copy);
    }

    private static DynamicObj.DynamicObj CopyObject(DynamicObj.DynamicObj source)
    {
        var properties = source.GetProperties(true).ToList();
        var type = source.GetType();
        // Traces are made with their plotly type name ("scatter", "heatmap" …); every other object has a default constructor.
        var copy = (DynamicObj.DynamicObj)(type.GetConstructor(Type.EmptyTypes) is { } make
            ? make.Invoke(null)
            : Activator.CreateInstance(type, properties.First(p => p.Key == "type").Value)!);
        foreach (var (key, value) in properties) copy.SetProperty(key, CopyValue(value));
        return copy;
    }

    // Numbers, strings, colours and arrays of numbers are never changed in place by Plotly.NET: they are shared.
    private static object? CopyValue(object? value) => value switch
    {
        DynamicObj.DynamicObj o => CopyObject(o),
        IEnumerable<DynamicObj.DynamicObj> objects => objects.Select(CopyObject).ToArray(),
        _ => value,
    };

    /// <summary>
    /// The chart's traces and layout as plotly JSON. NaN and ±∞ are written as null, which plotly draws as a gap
    /// (Plotly.NET's serializer would write NaN, which is not JSON); empty objects are left out.
    /// </summary>
    public static (JsonArray Data, JsonObject Layout) Json(GenericChart chart)
    {
        var data = new JsonArray(GenericChart.getTraces(chart).Select(t => Node(t)).ToArray());
        var layout = Node(GenericChart.getLayout(chart)) as JsonObject ?? [];
        return (data, layout);
    }

    /// <summary>
    /// A Plotly.NET value — a trace, an axis, a StyleParam, a colour, an array, a number — as the plotly JSON it is
    /// drawn from (see <see cref="Json"/>).
    /// </summary>
    public static JsonNode? JsonOf(object? value) => Node(value);

    private static JsonNode? Node(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        double d => double.IsFinite(d) ? JsonValue.Create(d) : null,
        float f => double.IsFinite(f) ? JsonValue.Create((double)f) : null,
        int or long or short or byte or decimal => JsonValue.Create(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)),
        DynamicObj.DynamicObj o => new JsonObject(o.GetProperties(true)
            .Select(p => KeyValuePair.Create(p.Key, Node(p.Value)))
            .Where(p => p.Value is not JsonObject { Count: 0 })),
        Color c => Node(c.Value),
        // Plotly.NET writes some objects as dictionaries, e.g. each of a slider step's args ({"visible": [...]}).
        IEnumerable<KeyValuePair<string, object?>> pairs => new JsonObject(pairs.Select(p => KeyValuePair.Create(p.Key, Node(p.Value)))),
        System.Runtime.CompilerServices.ITuple t => new JsonArray(Enumerable.Range(0, t.Length).Select(i => Node(t[i])).ToArray()),
        System.Collections.IEnumerable items => new JsonArray(items.Cast<object?>().Select(Node).ToArray()),
        // Plotly.NET's StyleParam values (AxisType.Log, Mode.Lines …) turn into plotly's value by their Convert().
        _ => value.GetType().GetMethod("Convert", Type.EmptyTypes) is { } convert
            ? Node(convert.Invoke(value, null))
            : JsonValue.Create(value.ToString()),
    };

    /// <summary>Gives a trace's line and markers the colour <paramref name="color"/>.</summary>
    public static void Recolor(Trace trace, string color)
    {
        trace.Part<Line>("line").SetProperty("color", Color.fromString(color));
        trace.Part<Marker>("marker").SetProperty("color", Color.fromString(color));
    }
}
