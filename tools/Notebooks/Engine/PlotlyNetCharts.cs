using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FromScratch.Notebooks.Engine;

/// <summary>
/// Any Plotly.NET chart a cell's code builds (a <c>Plotly.NET.GenericChart</c>, e.g. from <c>Chart.Point</c> or
/// <c>figure.Chart.WithTitle(…)</c>) displays inline like a course figure, offline — the way Plotly.NET.Interactive
/// shows charts in .NET Interactive — and so is written to out/figures and exported to PNG/SVG/HTML like one.
/// The engine references neither Plotly.NET nor the library: the chart becomes the course library's
/// <c>FromScratch.Figure</c> when the notebook loaded the library (which writes the JSON itself), otherwise Plotly.NET's
/// own <c>GenericChart.toFigureJson</c> writes it.
/// </summary>
internal static class PlotlyNetCharts
{
    private const string GenericChartType = "Plotly.NET.GenericChart";

    /// <summary>A figure for <paramref name="value"/> when it is a Plotly.NET chart; otherwise the value itself.</summary>
    public static object? AsFigure(object? value)
    {
        if (value is null || ChartType(value.GetType()) is not { } chartType) return value;
        if (CourseFigure(chartType) is { } figure) return figure.Invoke([value, null]);
        var toFigureJson = chartType.GetMethod("toFigureJson", BindingFlags.Public | BindingFlags.Static, [chartType])
            ?? throw new InvalidOperationException($"{chartType.AssemblyQualifiedName} has no static toFigureJson(GenericChart).");
        string json = (string)toFigureJson.Invoke(null, [value])!;
        return new ChartFigure(json);
    }

    // new FromScratch.Figure(GenericChart chart, string? title), from a loaded library built on this same Plotly.NET.
    private static ConstructorInfo? CourseFigure(Type chartType) =>
        AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => a.GetName().Name == "FromScratch")
            .Select(a => a.GetType("FromScratch.Figure")?.GetConstructor([chartType, typeof(string)]))
            .FirstOrDefault(c => c is not null);

    private static Type? ChartType(Type type)
    {
        for (Type? t = type; t is not null; t = t.BaseType)
            if (t.FullName == GenericChartType) return t;
        return null;
    }

    /// <summary>The figure of a Plotly.NET chart: its data and layout as plotly JSON (the formatter finds <see cref="ToPlotlyJson"/> by name).</summary>
    internal sealed class ChartFigure(string figureJson)
    {
        private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.Default };

        /// <summary><c>{"data":[...],"layout":{...}}</c>, with &lt;, &gt; and &amp; escaped so it can sit in a script element.</summary>
        public string ToPlotlyJson()
        {
            var figure = JsonNode.Parse(figureJson)?.AsObject()
                ?? throw new InvalidOperationException("Plotly.NET wrote the chart as JSON null.");
            return new JsonObject
            {
                ["data"] = figure["data"]?.DeepClone() ?? new JsonArray(),
                ["layout"] = figure["layout"]?.DeepClone() ?? new JsonObject(),
            }.ToJsonString(Options);
        }
    }
}
