using System.Globalization;
using System.Text.Json.Nodes;

// Lessons 5 and 6: knobs you drag; the figure below re-trains and redraws.
namespace FromScratch;

/// <summary>
/// A knob a learner drags in the notebook — a slider (linear, logarithmic or whole numbers), a drop-down list or a
/// check box — and <see cref="Show"/>, which puts knobs above a figure and redraws the figure whenever one moves:
/// <code>
/// var η = Knob.LogSlider("η", 0.0001, 1, value: 0.1);
/// var epochs = Knob.IntSlider("epochs", 10, 500, value: 100);
/// Knob.Show(() => Plot.Training([Train(η.Value, (int)epochs.Value)]), η, epochs);
/// </code>
/// In the course's kernel the knobs are ipywidgets (VS Code, JupyterLab and Notebook draw them): moving one runs the
/// lambda again — after the drag settles, never once per pixel — and the figure is redrawn in place; Interrupt stops
/// a slow redraw. Where nothing can redraw (<c>run</c>, the official kernel, the site) the same cell shows the figure
/// of the default values with a one-line note, or, for one slider with <c>precompute</c> values, a figure with a
/// precomputed slider (<see cref="Figure.Slider{T}"/>) that works with no kernel.
/// </summary>
public sealed class Knob
{
    private const string HostDataName = "FromScratch.Widgets.Show";
    private static Func<string, Func<string, object?>, bool>? host;
    private static bool looked;

    private Knob(string kind, string name) { Kind = kind; Name = name; }

    /// <summary>The knob's label, e.g. "η".</summary>
    public string Name { get; }

    /// <summary>The value of a slider (a check box: 1 when ticked, 0 when not; a drop-down list: the index of the choice).</summary>
    public double Value { get; private set; }

    /// <summary>The choice of a drop-down list (for other knobs, <see cref="Value"/> written out).</summary>
    public string Text => Options is { } o ? o[(int)Value] : Value.ToString(CultureInfo.InvariantCulture);

    /// <summary>True when a check box is ticked (other knobs: when <see cref="Value"/> is not 0).</summary>
    public bool Checked => Value != 0;

    internal string Kind { get; }
    internal double Min { get; private init; }
    internal double Max { get; private init; }
    internal double Step { get; private init; }
    internal IReadOnlyList<string>? Options { get; private init; }
    internal IReadOnlyList<double>? Precompute { get; private init; }

    /// <summary>A slider from <paramref name="min"/> to <paramref name="max"/>, in steps of <paramref name="step"/>
    /// (default: a hundredth of the range), starting at <paramref name="value"/>.</summary>
    /// <param name="name">The label beside the knob, e.g. "η".</param>
    /// <param name="min">The smallest value.</param>
    /// <param name="max">The largest value.</param>
    /// <param name="value">The value it starts at (the default, used where the knob cannot be live).</param>
    /// <param name="step">How far one step moves it.</param>
    /// <param name="precompute">Values to precompute a slider figure for where the knob cannot be live.</param>
    public static Knob Slider(string name, double min, double max, double value, double? step = null, IReadOnlyList<double>? precompute = null)
    {
        Check(name, min, max, value, "Slider");
        return new Knob("float", name) { Min = min, Max = max, Value = value, Step = step ?? (max - min) / 100, Precompute = precompute };
    }

    /// <summary>
    /// A slider on a logarithmic scale, for a value that spans orders of magnitude such as a learning rate:
    /// <c>Knob.LogSlider("η", 0.0001, 1, value: 0.1)</c> moves through 0.0001, 0.001 … 1 evenly.
    /// </summary>
    /// <param name="name">The label beside the knob, e.g. "η".</param>
    /// <param name="min">The smallest value.</param>
    /// <param name="max">The largest value.</param>
    /// <param name="value">The value it starts at (the default, used where the knob cannot be live).</param>
    /// <param name="precompute">Values to precompute a slider figure for where the knob cannot be live, e.g. [0.001, 0.01, 0.1, 1].</param>
    public static Knob LogSlider(string name, double min, double max, double value, IReadOnlyList<double>? precompute = null)
    {
        Check(name, min, max, value, "LogSlider");
        if (min <= 0) throw new ArgumentOutOfRangeException(nameof(min), min, $"a log slider needs min > 0, but {name}'s min was {Format(min)}.");
        return new Knob("log", name) { Min = min, Max = max, Value = value, Step = 0.01, Precompute = precompute };
    }

    /// <summary>A slider of whole numbers from <paramref name="min"/> to <paramref name="max"/>, e.g. a batch size or a number of epochs.</summary>
    public static Knob IntSlider(string name, int min, int max, int value, int step = 1, IReadOnlyList<double>? precompute = null)
    {
        Check(name, min, max, value, "IntSlider");
        Guard.AtLeastOne(step, nameof(step));
        return new Knob("int", name) { Min = min, Max = max, Value = value, Step = step, Precompute = precompute };
    }

    /// <summary>A drop-down list of <paramref name="options"/>, showing <paramref name="value"/> first; read it with <see cref="Text"/>.</summary>
    public static Knob Dropdown(string name, IReadOnlyList<string> options, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        int index = options.ToList().IndexOf(value);
        if (index < 0) throw new ArgumentException($"{name}: '{value}' is not one of the options {string.Join(", ", options)}.", nameof(value));
        return new Knob("dropdown", name) { Options = options.ToArray(), Value = index, Max = options.Count - 1 };
    }

    /// <summary>A check box; read it with <see cref="Checked"/>.</summary>
    public static Knob Checkbox(string name, bool value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new Knob("checkbox", name) { Value = value ? 1 : 0, Max = 1 };
    }

    /// <summary>
    /// Shows <paramref name="knobs"/> above the figure <paramref name="draw"/> makes from their values, and redraws it
    /// when a knob moves (see the class summary). Where the knobs cannot be live, returns the figure to show instead
    /// (default values, or a precomputed slider) and prints one line saying so; returns null when the knobs are live.
    /// </summary>
    public static Figure? Show(Func<Figure> draw, params Knob[] knobs)
    {
        ArgumentNullException.ThrowIfNull(draw);
        ArgumentNullException.ThrowIfNull(knobs);
        if (knobs.Length == 0) throw new ArgumentException("Give at least one knob.", nameof(knobs));
        if (knobs.Select(k => k.Name).Distinct().Count() != knobs.Length)
            throw new ArgumentException($"Two knobs have the same name: {string.Join(", ", knobs.Select(k => k.Name))}.", nameof(knobs));
        if (!looked)
        {
            host = AppContext.GetData(HostDataName) as Func<string, Func<string, object?>, bool>;
            looked = true;
        }
        var controls = new JsonArray(knobs.Select(k => (JsonNode?)k.Describe()).ToArray());
        object? Redraw(string values)
        {
            var set = JsonNode.Parse(values)!.AsObject();
            foreach (var knob in knobs)
                if (set[knob.Name] is JsonValue v && v.TryGetValue(out double d)) knob.Value = knob.Clamp(d);
            return draw();
        }
        if (host is not null && host(controls.ToJsonString(), Redraw)) return null;

        var sliders = knobs.Where(k => k.Precompute is { Count: > 1 }).ToList();
        if (knobs.Length == 1 && sliders.Count == 1)
        {
            var knob = sliders[0];
            double start = knob.Value;
            Console.WriteLine($"(knobs need the C# (FromScratch) kernel to be live; here {knob.Name} is a precomputed slider of {knob.Precompute!.Count} values)");
            var values = knob.Precompute!;
            int initial = Enumerable.Range(0, values.Count).MinBy(i => Math.Abs(values[i] - start));
            try
            {
                return Figure.Slider(knob.Name, values, v => { knob.Value = v; return draw(); }, initial);
            }
            finally
            {
                knob.Value = start;
            }
        }
        Console.WriteLine("(knobs need the C# (FromScratch) kernel to be live; here: "
            + string.Join(", ", knobs.Select(k => $"{k.Name} = {k.Shown()}")) + ")");
        return draw();
    }

    /// <summary>"η = 0.1 (log slider 0.0001 … 1)".</summary>
    public override string ToString() => $"{Name} = {Shown()} ({Kind} knob)";

    private string Shown() => Kind switch
    {
        "dropdown" => Text,
        "checkbox" => Checked ? "on" : "off",
        _ => Format(Value),
    };

    private double Clamp(double v) => Kind == "checkbox" ? (v != 0 ? 1 : 0) : Math.Clamp(Kind == "int" ? Math.Round(v) : v, Min, Max);

    private JsonObject Describe()
    {
        var o = new JsonObject { ["kind"] = Kind, ["name"] = Name, ["value"] = Value, ["min"] = Min, ["max"] = Max, ["step"] = Step };
        if (Options is { } options) o["options"] = new JsonArray(options.Select(s => (JsonNode?)s).ToArray());
        return o;
    }

    private static void Check(string name, double min, double max, double value, string kind)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!double.IsFinite(min) || !double.IsFinite(max) || !(min < max))
            throw new ArgumentException($"{kind} {name}: min must be below max, both finite, but they were {Format(min)} and {Format(max)}.");
        if (!(value >= min && value <= max))
            throw new ArgumentOutOfRangeException(nameof(value), value, $"{kind} {name}: value {Format(value)} is outside {Format(min)} … {Format(max)}.");
    }

    private static string Format(double v) => FromScratch.Check.Format(v, 4);
}
