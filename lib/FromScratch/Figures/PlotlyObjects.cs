using System.Text.Json.Nodes;
using Microsoft.FSharp.Core;
using Plotly.NET.LayoutObjects;
using Plotly.NET;
using Plotly.NET.TraceObjects;

namespace FromScratch;

/// <summary>
/// Small tools on Plotly.NET's chart objects used by the figures: a plotly attribute that Plotly.NET.CSharp has no
/// parameter for (<see cref="Set{T}"/>), a deep copy of a chart that keeps every object's Plotly.NET type
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
        target.SetProperty(key, value);
        return target;
    }

    /// <summary>Sets <paramref name="key"/> on every trace of <paramref name="chart"/> (see <see cref="Set{T}"/>).</summary>
    public static GenericChart SetOnTraces(this GenericChart chart, string key, object? value)
    {
        foreach (var trace in GenericChart.getTraces(chart)) trace.SetProperty(key, value);
        return chart;
    }

    /// <summary>The nested object <paramref name="key"/> of <paramref name="target"/> (e.g. a trace's "marker"), made if missing.</summary>
    public static TPart Part<TPart>(this DynamicObj.DynamicObj target, string key) where TPart : DynamicObj.DynamicObj, new()
    {
        var existing = target.TryGetPropertyValue(key);
        if (FSharpOption<object>.get_IsSome(existing) && existing.Value is TPart part) return part;
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

    // ---- plotly JSON as Plotly.NET objects: used by Figure.Slider (FigureSlider.cs), which merges the finished
    // figures of every step as plotly JSON (shared traces found by comparing JSON, one "visible" list per step). ----

    /// <summary>A Plotly.NET chart of the traces <paramref name="data"/> with the layout <paramref name="layout"/>.</summary>
    public static GenericChart Chart(JsonNode data, JsonNode layout)
    {
        var traces = data.AsArray().Select(node =>
        {
            var obj = node!.AsObject();
            var trace = new Trace2D((string?)obj["type"] ?? "scatter");
            foreach (var (key, value) in obj)
                if (key != "type") trace.SetProperty(key, Value(value, TraceObject(key)));
            return (Trace)trace;
        }).ToArray();
        var plotlyLayout = new Layout();
        foreach (var (key, value) in layout.AsObject())
            plotlyLayout.SetProperty(key, Value(value, LayoutObject(key)));
        return GenericChart.setLayout(plotlyLayout, GenericChart.ofTraceObjects(false, traces));
    }

    // The Plotly.NET type of a nested object, by the property that holds it.
    private static Func<DynamicObj.DynamicObj> TraceObject(string key) => key switch
    {
        "marker" => () => new Marker(),
        "line" => () => new Line(),
        "textfont" => () => new Font(),
        _ => () => new DynamicObj.DynamicObj(),
    };

    private static Func<DynamicObj.DynamicObj> LayoutObject(string key) => key switch
    {
        "xaxis" or "yaxis" => () => new LinearAxis(),
        "title" => () => new Title(),
        "font" => () => new Font(),
        "legend" => () => new Legend(),
        "margin" => () => new Margin(),
        "annotations" => () => new Annotation(),
        _ => () => new DynamicObj.DynamicObj(),
    };

    private static object? Value(JsonNode? node, Func<DynamicObj.DynamicObj> make) => node switch
    {
        null => null,
        JsonObject o => Object(o, make),
        JsonArray a => a.Select(element => Value(element, make)).ToArray(),
        JsonValue v => v.GetValueKind() switch
        {
            System.Text.Json.JsonValueKind.Number => double.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture),
            System.Text.Json.JsonValueKind.True => true,
            System.Text.Json.JsonValueKind.False => false,
            _ => v.GetValue<string>(),
        },
        _ => node.ToJsonString(),
    };

    private static DynamicObj.DynamicObj Object(JsonObject o, Func<DynamicObj.DynamicObj> make)
    {
        var result = make();
        foreach (var (key, value) in o)
            result.SetProperty(key, Value(value, key switch
            {
                "title" => () => new Title(),
                "font" or "textfont" => () => new Font(),
                "line" => () => new Line(),
                _ => () => new DynamicObj.DynamicObj(),
            }));
        return result;
    }
}
