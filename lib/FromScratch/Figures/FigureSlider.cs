using System.Globalization;
using System.Text.Json.Nodes;

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

        var labels = new string[values.Count];
        var steps = new (JsonArray Data, JsonObject Layout, string Title)[values.Count];
        for (int s = 0; s < values.Count; s++)
        {
            Interruption.ThrowIfRequested();
            labels[s] = label(values[s]);
            var figure = draw(values[s]) ?? throw new InvalidOperationException($"draw returned no figure for {knob} = {labels[s]}.");
            var (data, layout) = PlotlyObjects.Json(figure.Chart);
            steps[s] = (data, layout, figure.Title);
        }
        var duplicate = labels.GroupBy(l => l).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"{knob} = {duplicate.Key} is in values {duplicate.Count()} times; give each value once.", nameof(values));

        bool sameTitles = steps.All(step => step.Title == steps[0].Title);
        string TitleOf(int s) => sameTitles ? $"{steps[s].Title} ({knob} = {labels[s]})" : steps[s].Title;

        // Traces equal in every step (by position) are shared; the others belong to their step.
        int fewest = steps.Min(step => step.Data.Count);
        bool[] shared = Enumerable.Range(0, fewest)
            .Select(k => steps.All(step => JsonNode.DeepEquals(step.Data[k], steps[0].Data[k]))).ToArray();
        bool IsShared(int k) => k < fewest && shared[k];

        var traces = new JsonArray();
        var owner = new List<int>(); // the step a trace belongs to, −1 when shared
        var ownVisibility = new List<JsonNode?>();
        void Add(JsonNode trace, int step)
        {
            var copy = trace.DeepClone().AsObject();
            ownVisibility.Add(copy["visible"]?.DeepClone() ?? JsonValue.Create(true));
            owner.Add(step);
            traces.Add(copy);
        }
        for (int k = 0; k < fewest; k++)
            if (shared[k]) Add(steps[0].Data[k]!, -1);
        for (int s = 0; s < steps.Length; s++)
            for (int k = 0; k < steps[s].Data.Count; k++)
                if (!IsShared(k)) Add(steps[s].Data[k]!, s);

        JsonArray Visibility(int s) =>
            new(Enumerable.Range(0, traces.Count)
                .Select(t => owner[t] == -1 || owner[t] == s ? ownVisibility[t]?.DeepClone() : JsonValue.Create(false)).ToArray());
        var visibleNow = Visibility(initial);
        for (int t = 0; t < traces.Count; t++) traces[t]!["visible"] = visibleNow[t]!.DeepClone();

        var layoutOut = (JsonObject)steps[initial].Layout.DeepClone();
        SetTitle(layoutOut, TitleOf(initial));
        if (sameAxes)
        {
            FitAxis(layoutOut, traces, "x");
            FitAxis(layoutOut, traces, "y");
        }
        // The slider sits under the plot: make the figure taller by as much, so the plot keeps its size.
        double height = layoutOut["height"] is JsonValue h && h.TryGetValue(out double v) ? v : 500;
        layoutOut["height"] = height + SliderHeight;
        var sliderSteps = new JsonArray();
        for (int s = 0; s < steps.Length; s++)
        {
            sliderSteps.Add(new JsonObject
            {
                ["label"] = labels[s],
                ["method"] = "update",
                ["args"] = new JsonArray(
                    new JsonObject { ["visible"] = Visibility(s) },
                    new JsonObject { ["title.text"] = TitleOf(s) }),
            });
        }
        layoutOut["sliders"] = new JsonArray(new JsonObject
        {
            ["active"] = initial,
            ["steps"] = sliderSteps,
            ["currentvalue"] = new JsonObject { ["prefix"] = $"{knob} = ", ["visible"] = true, ["xanchor"] = "left" },
            ["pad"] = new JsonObject { ["t"] = 55, ["b"] = 10 },
            ["x"] = 0.05, ["len"] = 0.9,
        });
        return new Figure(TitleOf(initial), traces, layoutOut);
    }

    private const int SliderHeight = 110;

    private static string SliderLabel<T>(T value) => value switch
    {
        double d => Check.Format(d, 4),
        float f => Check.Format(f, 4),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        null => "null",
        _ => value.ToString() ?? "",
    };

    private static void SetTitle(JsonObject layout, string title)
    {
        if (layout["title"] is JsonObject titleObject) titleObject["text"] = title;
        else layout["title"] = new JsonObject { ["text"] = title };
    }

    // One range for an axis that fits the traces of every step (log10 units on a log axis), with 5 % to spare.
    private static void FitAxis(JsonObject layout, JsonArray traces, string axis)
    {
        var axisObject = layout[axis + "axis"] as JsonObject ?? [];
        layout[axis + "axis"] = axisObject;
        bool log = (string?)axisObject["type"] == "log";
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var trace in traces)
        {
            if (trace?[axis] is not JsonArray numbers) continue;
            foreach (var n in numbers)
            {
                if (n is not JsonValue value || !value.TryGetValue(out double d) || !double.IsFinite(d)) continue;
                if (log && d <= 0) continue;
                double u = log ? Math.Log10(d) : d;
                min = Math.Min(min, u);
                max = Math.Max(max, u);
            }
        }
        if (!double.IsFinite(min)) return; // no numbers on this axis (e.g. a heatmap's categories): leave it automatic
        double spare = max > min ? 0.05 * (max - min) : Math.Max(Math.Abs(min) * 0.05, 0.5);
        axisObject["range"] = new JsonArray(min - spare, max + spare);
        axisObject["autorange"] = false;
    }
}
