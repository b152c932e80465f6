using System.Globalization;
using System.Text.Json.Nodes;
using Plotly.NET;
using Plotly.NET.LayoutObjects;

// Lessons 5–8: one knob, many runs, one figure with a slider (learning rate, batch size, β, number of pieces).
namespace FromScratch;

public sealed partial class Figure
{
    /// <summary>
    /// One figure with a slider under it: <paramref name="draw"/> runs once for every value of the knob (for example
    /// trains a network with that learning rate and plots its loss), and dragging the slider shows the figure of
    /// that value. Everything is computed now and stored in the figure, so the slider works wherever plotly.js
    /// draws — in a notebook, on the course site, in an exported HTML page or a slide — with no kernel running.
    /// A PNG or SVG of it shows the step <paramref name="initial"/>.
    /// <para>
    /// Example: <c>Figure.Slider("η", [0.001, 0.01, 0.1, 1.0], η => Plot.Training([Train(η)]), initial: 2)</c>.
    /// </para>
    /// <para>
    /// Each step shows its own figure's traces and title. When <paramref name="draw"/> gives every value the same
    /// title, the title of a step ends with the value, e.g. "Loss per epoch (η = 0.1)". Traces that are the same in
    /// every step (an error surface under the optimizer's paths) are stored once. The layout (axes, size, legend) is
    /// the one of the figure of <paramref name="initial"/>; each step's axes fit its own traces unless
    /// <paramref name="sameAxes"/> is true. Restyling the result (<see cref="With"/>) keeps the slider; adding traces
    /// to it (<see cref="Combine(Figure[])"/>) does not give them a step: build the figure you want in
    /// <paramref name="draw"/>.
    /// </para>
    /// </summary>
    /// <typeparam name="T">The knob's type: double for a learning rate, int for a batch size, …</typeparam>
    /// <param name="knob">The knob's name as the learner reads it, e.g. "η" or "batch size".</param>
    /// <param name="values">The values the slider offers, in slider order (at least one).</param>
    /// <param name="draw">Makes the figure of one value (it may train a network: it runs once per value, now).</param>
    /// <param name="initial">Index in <paramref name="values"/> of the step shown first (and in PNG/SVG exports).</param>
    /// <param name="sameAxes">True: every step is drawn on the same x and y ranges, those that fit all the steps, so
    /// a curve's height can be compared from step to step. False (default): each step's axes fit its own traces.</param>
    /// <param name="label">How a value is written on the slider; default: numbers in 4 significant digits
    /// ("0.0001", "1e+4"), other values by their ToString.</param>
    public static Figure Slider<T>(
        string knob, IReadOnlyList<T> values, Func<T, Figure> draw, int initial = 0, bool sameAxes = false,
        Func<T, string>? label = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(knob);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(draw);
        if (values.Count == 0) throw new ArgumentException($"values of the knob {knob} is empty; give at least one.", nameof(values));
        if (initial < 0 || initial >= values.Count)
            throw new ArgumentOutOfRangeException(nameof(initial), initial,
                $"initial must be the index of one of the {values.Count} values of {knob} (0…{values.Count - 1}), but was {initial}.");
        label ??= SliderLabel;

        // Every step's figure, as a copy: the visibility set below must not change the figures draw returned.
        var labels = new string[values.Count];
        var steps = new (GenericChart Chart, Trace[] Traces, string Title)[values.Count];
        for (int s = 0; s < values.Count; s++)
        {
            Interruption.ThrowIfRequested();
            labels[s] = label(values[s]);
            var figure = draw(values[s]) ?? throw new InvalidOperationException($"draw returned no figure for {knob} = {labels[s]}.");
            var chart = PlotlyObjects.Copy(figure.Chart);
            steps[s] = (chart, GenericChart.getTraces(chart).ToArray(), figure.Title);
        }
        var duplicate = labels.GroupBy(l => l).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"{knob} = {duplicate.Key} is in values {duplicate.Count()} times; give each value once.", nameof(values));

        bool sameTitles = steps.All(step => step.Title == steps[0].Title);
        string TitleOf(int s) => sameTitles ? $"{steps[s].Title} ({knob} = {labels[s]})" : steps[s].Title;

        // Traces equal in every step (by position, compared as the plotly JSON they are drawn from) are shared; the
        // others belong to their step.
        int fewest = steps.Min(step => step.Traces.Length);
        bool[] shared = Enumerable.Range(0, fewest).Select(k =>
        {
            var first = PlotlyObjects.JsonOf(steps[0].Traces[k]);
            return steps.Skip(1).All(step => JsonNode.DeepEquals(PlotlyObjects.JsonOf(step.Traces[k]), first));
        }).ToArray();
        bool IsShared(int k) => k < fewest && shared[k];

        var traces = new List<Trace>();
        var owner = new List<int>(); // the step a trace belongs to, −1 when shared
        var ownVisibility = new List<object>(); // true, false or "legendonly", as the step's figure had it
        void Add(Trace trace, int step)
        {
            ownVisibility.Add(trace.Get("visible") ?? true);
            owner.Add(step);
            traces.Add(trace);
        }
        for (int k = 0; k < fewest; k++)
            if (shared[k]) Add(steps[0].Traces[k], -1);
        for (int s = 0; s < steps.Length; s++)
            for (int k = 0; k < steps[s].Traces.Length; k++)
                if (!IsShared(k)) Add(steps[s].Traces[k], s);

        object[] Visibility(int s) =>
            Enumerable.Range(0, traces.Count).Select(t => owner[t] == -1 || owner[t] == s ? ownVisibility[t] : false).ToArray();
        var visibleNow = Visibility(initial);
        for (int t = 0; t < traces.Count; t++) traces[t].SetProperty("visible", visibleNow[t]);

        // One chart of every trace, with the layout (and config) of the initial step's figure.
        var layout = GenericChart.getLayout(steps[initial].Chart);
        var combined = GenericChart.ofTraceObjects(false, traces);
        combined = GenericChart.setLayout(layout, combined);
        combined = GenericChart.setConfig(GenericChart.getConfig(steps[initial].Chart), combined);
        SetTitle(layout, TitleOf(initial));
        if (sameAxes)
        {
            FitAxis(layout, traces, "x");
            FitAxis(layout, traces, "y");
        }
        // The slider sits under the plot: make the figure taller by as much, so the plot keeps its size. A legend under
        // the plot (the error surface's) would lie on the slider: the slider goes under the legend, the figure grows more.
        double? legendUnder = layout.Get("legend") is DynamicObj.DynamicObj legend
            && PlotlyObjects.JsonOf(legend.Get("y")) is JsonValue ly && ly.TryGetValue(out double legendY) && legendY < 0 ? legendY : null;
        int extra = legendUnder is null ? SliderHeight : SliderHeight + LegendRowHeight;
        double height = PlotlyObjects.JsonOf(layout.Get("height")) is JsonValue h && h.TryGetValue(out double v) ? v : 500;
        layout.SetProperty("height", double.IsInteger(height) ? (object)((int)height + extra) : height + extra);

        // Plotly.NET's slider objects. A step's args for plotly's "update" method are [trace changes, layout changes].
        var sliderSteps = Enumerable.Range(0, steps.Length).Select(s => SliderStep.init(
            Args: new[] { Tuple.Create("visible", (object)Visibility(s)), Tuple.Create("title.text", (object)TitleOf(s)) },
            Execute: null, Label: labels[s], Method: StyleParam.Method.Update, Name: null, TemplateItemName: null, Value: null,
            Visible: null)).ToArray();
        // Slider.init takes every optional argument from C# and types x as an int (plotly's x is a fraction of the
        // width): the slider's few attributes are set by name, its parts made by their init.
        var slider = new Slider()
            .Set("active", initial)
            .Set("steps", sliderSteps)
            .Set("currentvalue", SliderCurrentValue.init(
                Font: null, Offset: null, Prefix: $"{knob} = ", Suffix: null, Visible: true, XAnchor: StyleParam.XAnchorPosition.Left))
            .Set("pad", Padding.init(B: 10, L: null, R: null, T: legendUnder is null ? 55 : 45))
            .Set("x", 0.05)
            .Set("len", 0.9);
        if (legendUnder is double y) slider.Set("y", y); // the top of the slider (plotly's yanchor "top") at the legend's top
        combined = Plotly.NET.Chart.withSlider(slider, Append: false).Invoke(combined);
        return new Figure(combined, TitleOf(initial));
    }

    private const int SliderHeight = 110, LegendRowHeight = 70;

    private static string SliderLabel<T>(T value) => value switch
    {
        double d => Check.Format(d, 4),
        float f => Check.Format(f, 4),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        null => "null",
        _ => value.ToString() ?? "",
    };

    private static void SetTitle(Layout layout, string title)
    {
        if (layout.Get("title") is DynamicObj.DynamicObj titleObject) titleObject.SetProperty("text", title);
        else layout.SetProperty("title", new Title().Set("text", title));
    }

    // One range for an axis that fits the traces of every step (log10 units on a log axis), with 5 % to spare.
    private static void FitAxis(Layout layout, IReadOnlyList<Trace> traces, string axis)
    {
        var axisObject = layout.Get(axis + "axis") as DynamicObj.DynamicObj ?? new LinearAxis();
        layout.SetProperty(axis + "axis", axisObject);
        bool log = PlotlyObjects.JsonOf(axisObject.Get("type")) is JsonValue type && type.TryGetValue(out string? name) && name == "log";
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var trace in traces)
        {
            if (trace.Get(axis) is not System.Collections.IEnumerable items || items is string) continue;
            foreach (var n in items)
            {
                if (n is not (double or float or int or long or short or byte or decimal)) continue;
                double d = Convert.ToDouble(n, CultureInfo.InvariantCulture);
                if (!double.IsFinite(d) || (log && d <= 0)) continue;
                double u = log ? Math.Log10(d) : d;
                min = Math.Min(min, u);
                max = Math.Max(max, u);
            }
        }
        if (!double.IsFinite(min)) return; // no numbers on this axis (e.g. a heatmap's categories): leave it automatic
        double spare = max > min ? 0.05 * (max - min) : Math.Max(Math.Abs(min) * 0.05, 0.5);
        axisObject.SetProperty("range", new[] { min - spare, max + spare });
        axisObject.SetProperty("autorange", false);
    }
}
