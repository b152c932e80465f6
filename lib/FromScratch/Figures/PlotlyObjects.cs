using System.Text.Json.Nodes;
using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.LayoutObjects;
using Plotly.NET.TraceObjects;

namespace FromScratch;

/// <summary>
/// plotly figure JSON as Plotly.NET objects: every trace a <see cref="Trace2D"/>, its marker a <see cref="Marker"/>, the
/// axes <see cref="LinearAxis"/> objects and so on, so that Plotly.NET's style functions (which merge into the objects
/// they find) restyle a course figure as they restyle a chart built with Plotly.NET itself.
/// </summary>
internal static class PlotlyObjects
{
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

    /// <summary>
    /// The chart's traces and layout as plotly JSON. Written here rather than by Plotly.NET's serializer, whose static
    /// settings cannot initialize inside the notebook engine (its scripting loads FSharp.Core a second time).
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
        double d => double.IsFinite(d) ? JsonValue.Create(d) : null, // plotly draws null as a gap
        float f => double.IsFinite(f) ? JsonValue.Create((double)f) : null,
        int or long or short or byte or decimal => JsonValue.Create(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)),
        DynamicObj.DynamicObj o => new JsonObject(o.GetProperties(true).Select(p => KeyValuePair.Create(p.Key, Node(p.Value)))),
        Color c => Node(c.Value),
        System.Collections.IEnumerable items => new JsonArray(items.Cast<object?>().Select(Node).ToArray()),
        _ => value.GetType().GetMethod("Convert", Type.EmptyTypes) is { } convert
            ? Node(convert.Invoke(value, null))
            : JsonValue.Create(value.ToString()),
    };

    /// <summary>Gives a trace's line and markers the colour <paramref name="color"/>.</summary>
    public static void Recolor(Trace trace, string color)
    {
        foreach (var (key, make) in new (string, Func<DynamicObj.DynamicObj>)[] { ("line", () => new Line()), ("marker", () => new Marker()) })
        {
            var existing = trace.TryGetPropertyValue(key);
            var part = FSharpOption<object>.get_IsSome(existing) && existing.Value is DynamicObj.DynamicObj d ? d : make();
            part.SetProperty("color", color); // a CSS colour, as plotly reads it
            trace.SetProperty(key, part);
        }
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
