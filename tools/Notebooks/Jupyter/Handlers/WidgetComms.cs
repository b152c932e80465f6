using System.Globalization;
using System.Text.Json.Nodes;
using FromScratch.Notebooks.Format;

namespace FromScratch.Notebooks.Jupyter;

/// <summary>
/// The ipywidgets side of our kernel: widget models behind Jupyter comms (target <c>jupyter.widget</c>, widget
/// protocol 2.1.0, the models of @jupyter-widgets/controls 2.0.0, base 2.0.0 and output 1.0.0 that ipywidgets 8
/// front ends render, their states built by <see cref="WidgetStates"/>), made for the course library's
/// <c>Knob.Show</c>. The library reads the AppContext data
/// "FromScratch.Widgets.Show", a <c>Func&lt;string, Func&lt;string, object?&gt;, bool&gt;</c>: given the knobs (JSON)
/// and a redraw function (values JSON → figure) it shows them and returns true, or returns false where nothing can be
/// live (no kernel in this flow: <c>run</c>). The kernel passes the front end's comm messages here (comm_msg through
/// <see cref="CommMessageHandler"/>): comm_info_request lists the open comms, <c>jupyter.widget.control</c>'s
/// request_states gets every model's state, a comm_msg update of a knob's value redraws the figure in the Output.
/// </summary>
internal sealed class WidgetComms
{
    internal const string LibraryHookName = "FromScratch.Widgets.Show";
    internal const string ProtocolVersion = "2.1.0";
    internal const string WidgetViewMime = "application/vnd.jupyter.widget-view+json";

    private static readonly AsyncLocal<WidgetComms?> Current = new();

    static WidgetComms() =>
        AppContext.SetData(LibraryHookName, (Func<string, Func<string, object?>, bool>)((knobs, redraw) =>
            Current.Value is { } comms && comms.Show(knobs, redraw)));

    private readonly object _lock = new();
    private readonly Dictionary<string, Model> _models = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _controlComms = new(StringComparer.Ordinal); // comm id → target

    /// <summary>Sends a comm message (msg_type, content) on IOPub as a child of the message being handled.</summary>
    public required Action<string, JsonObject> Publish { get; init; }

    /// <summary>Formats a figure (or any value) into an Output widget's output (nbformat display_data).</summary>
    public required Func<object?, JsonObject> FormatOutput { get; init; }

    /// <summary>Makes this kernel the one a cell's <c>Knob.Show</c> reaches, in the current async flow.</summary>
    public void MakeCurrent() => Current.Value = this;

    private sealed class Model(string id, JsonObject state)
    {
        public string Id { get; } = id;
        public JsonObject State { get; } = state;
        public Knob? Knob { get; init; }
        public Group? Group { get; init; }
    }

    private sealed record Knob(string Name, string Kind);

    /// <summary>The knobs and output of one Knob.Show call.</summary>
    private sealed class Group(Func<string, object?> redraw, string output)
    {
        public Func<string, object?> Redraw { get; } = redraw;
        public string Output { get; } = output;
        public List<Model> Knobs { get; } = [];
    }

    /// <summary>Opens the models of the knobs, draws the figure of their values into the Output, displays the box.</summary>
    private bool Show(string knobsJson, Func<string, object?> redraw)
    {
        var knobs = JsonNode.Parse(knobsJson)!.AsArray();
        var output = Open(WidgetStates.Output(OpenReference));
        var group = new Group(redraw, output.Id);
        var children = new JsonArray();
        foreach (var k in knobs)
        {
            var knob = k!.AsObject();
            var model = Open(new Model(NewId(), WidgetStates.Knob(knob, OpenReference))
            {
                Knob = new Knob((string)knob["name"]!, (string)knob["kind"]!), Group = group,
            });
            group.Knobs.Add(model);
            children.Add(Reference(model));
        }
        output.State["outputs"] = new JsonArray(Draw(group));
        Publish("comm_msg", Update(output.Id, new JsonObject { ["outputs"] = output.State["outputs"]!.DeepClone() }));
        children.Add(Reference(output));
        var box = Open(WidgetStates.VBox(children, OpenReference));
        Publish("display_data", new JsonObject
        {
            ["data"] = new JsonObject
            {
                [WidgetViewMime] = new JsonObject { ["model_id"] = box.Id, ["version_major"] = 2, ["version_minor"] = 0 },
                ["text/plain"] = "Knobs: " + string.Join(", ", knobs.Select(k => (string?)k!["name"])) + " (live in a front end with ipywidgets 8)",
            },
            ["metadata"] = new JsonObject(), ["transient"] = new JsonObject(),
        });
        return true;
    }

    private string OpenReference(JsonObject state) => Reference(Open(state));

    private static string Reference(Model model) => "IPY_MODEL_" + model.Id;

    private static string NewId() => Guid.NewGuid().ToString("N");

    private Model Open(JsonObject state) => Open(new Model(NewId(), state));

    private Model Open(Model model)
    {
        lock (_lock) _models[model.Id] = model;
        Publish("comm_open", new JsonObject
        {
            ["comm_id"] = model.Id, ["target_name"] = "jupyter.widget",
            ["data"] = new JsonObject { ["state"] = model.State.DeepClone(), ["buffer_paths"] = new JsonArray() },
        });
        return model;
    }

    private static JsonObject Update(string id, JsonObject state) => new()
    {
        ["comm_id"] = id, ["data"] = new JsonObject { ["method"] = "update", ["state"] = state, ["buffer_paths"] = new JsonArray() },
    };

    /// <summary>The knobs' values as the library reads them: name → number (a check box 1/0, a drop-down list its index).</summary>
    private JsonObject Values(Group group)
    {
        var values = new JsonObject();
        foreach (var m in group.Knobs)
        {
            var s = m.State;
            values[m.Knob!.Name] = m.Knob.Kind switch
            {
                "dropdown" => Number(s["index"]),
                "checkbox" => s["value"] is JsonValue b && b.GetValueKind() == System.Text.Json.JsonValueKind.True ? 1 : 0,
                _ => Number(s["value"]),
            };
        }
        return values;
    }

    /// <summary>Runs the redraw with the knobs' values; an exception becomes the Output's error text.</summary>
    private JsonObject Draw(Group group)
    {
        try
        {
            return FormatOutput(group.Redraw(Values(group).ToJsonString()));
        }
        catch (OperationCanceledException)
        {
            return OutputJson.Stream("stderr", "interrupted: the figure was not redrawn (move a knob to try again)\n");
        }
        catch (Exception e)
        {
            return OutputJson.Stream("stderr", $"{e.GetType().Name}: {e.Message}\n");
        }
    }

    // ---- messages from the front end ------------------------------------------------------------------------

    /// <summary>comm_info_reply content: the open comms, of <paramref name="target"/> when given.</summary>
    public JsonObject Info(string? target)
    {
        var comms = new JsonObject();
        lock (_lock)
        {
            foreach (var id in _models.Keys)
                if (target is null or "jupyter.widget") comms[id] = new JsonObject { ["target_name"] = "jupyter.widget" };
            foreach (var (id, t) in _controlComms)
                if (target is null || target == t) comms[id] = new JsonObject { ["target_name"] = t };
        }
        return new JsonObject { ["status"] = "ok", ["comms"] = comms };
    }

    /// <summary>A comm the front end opens: the widget control comm is kept; any other target is closed at once.</summary>
    public void Opened(JsonObject content)
    {
        string id = (string?)content["comm_id"] ?? "";
        string target = (string?)content["target_name"] ?? "";
        if (target == "jupyter.widget.control")
        {
            lock (_lock) _controlComms[id] = target;
            return;
        }
        Publish("comm_close", new JsonObject { ["comm_id"] = id, ["data"] = new JsonObject() });
    }

    /// <summary>The front end closed a comm.</summary>
    public void Closed(JsonObject content)
    {
        string id = (string?)content["comm_id"] ?? "";
        lock (_lock)
        {
            _models.Remove(id);
            _controlComms.Remove(id);
        }
    }

    /// <summary>
    /// comm_msg from the front end. <paramref name="later"/> are the comm messages already waiting behind it: updates of
    /// the same knobs are applied first, so a drag that sent many values redraws once, with the last one.
    /// Returns what to redraw (run by the caller under an interrupt), or null.
    /// </summary>
    public Action? Message(JsonObject content, IReadOnlyList<JsonObject> later)
    {
        string id = (string?)content["comm_id"] ?? "";
        var data = content["data"] as JsonObject ?? [];
        string method = (string?)data["method"] ?? "";
        bool isControl;
        Model? model;
        lock (_lock)
        {
            isControl = _controlComms.ContainsKey(id);
            _models.TryGetValue(id, out model);
        }
        if (isControl && method == "request_states")
        {
            var states = new JsonObject();
            lock (_lock) foreach (var m in _models.Values) states[m.Id] = m.State.DeepClone();
            Publish("comm_msg", new JsonObject
            {
                ["comm_id"] = id, ["data"] = new JsonObject { ["method"] = "update_states", ["states"] = states, ["buffer_paths"] = new JsonObject() },
            });
            return null;
        }
        if (model is null) return null;
        if (method == "request_state")
        {
            Publish("comm_msg", Update(id, (JsonObject)model.State.DeepClone()));
            return null;
        }
        if (method != "update" || data["state"] is not JsonObject state) return null;
        var changed = new HashSet<Group>();
        void Apply(Model m, JsonObject s)
        {
            foreach (var (k, v) in s) m.State[k] = v?.DeepClone();
            if (m.Group is { } g && m.Knob is not null && (s.ContainsKey("value") || s.ContainsKey("index"))) changed.Add(g);
        }
        Apply(model, state);
        foreach (var next in later)
        {
            if ((string?)next["data"]?["method"] != "update" || next["data"]?["state"] is not JsonObject s) continue;
            Model? other;
            lock (_lock) _models.TryGetValue((string?)next["comm_id"] ?? "", out other);
            if (other is not null) Apply(other, s);
        }
        if (changed.Count == 0) return null;
        return () =>
        {
            foreach (var group in changed)
            {
                var outputs = new JsonArray(Draw(group));
                Model? output;
                lock (_lock) _models.TryGetValue(group.Output, out output);
                if (output is null) continue;
                output.State["outputs"] = outputs;
                Publish("comm_msg", Update(output.Id, new JsonObject { ["outputs"] = outputs.DeepClone() }));
            }
        };
    }

    /// <summary>A JSON number whatever .NET type holds it (a front end sends 3 or 3.0), 0 when it is not one.</summary>
    private static double Number(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number
            ? double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture) : 0;
}
