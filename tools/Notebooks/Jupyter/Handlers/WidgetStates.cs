using System.Text.Json.Nodes;

namespace FromScratch.Notebooks.Jupyter;

/// <summary>
/// The states of the widget models ipywidgets 8 front ends render, as <see cref="WidgetComms"/> opens them: a knob's
/// slider (float, log or int), drop-down list or check box (@jupyter-widgets/controls 2.0.0), the layout and style
/// models they refer to (base 2.0.0), the Output (output 1.0.0) and the VBox around them. A model a state refers to
/// is opened first, through <c>open</c>, which returns its reference ("IPY_MODEL_&lt;id&gt;").
/// </summary>
internal static class WidgetStates
{
    private const string Controls = "@jupyter-widgets/controls";

    /// <summary>The Output model the figure is drawn into.</summary>
    public static JsonObject Output(Func<JsonObject, string> open) => Base("OutputModel", "OutputView", "@jupyter-widgets/output", "1.0.0", new JsonObject
    {
        ["msg_id"] = "", ["outputs"] = new JsonArray(), ["layout"] = Layout(open),
    });

    /// <summary>The box that shows <paramref name="children"/> (references) one under the other.</summary>
    public static JsonObject VBox(JsonArray children, Func<JsonObject, string> open) => Base("VBoxModel", "VBoxView", Controls, "2.0.0", new JsonObject
    {
        ["children"] = children, ["box_style"] = "", ["layout"] = Layout(open),
    });

    /// <summary>The control of a knob as the library describes it (kind, name, value, min, max, step, options).</summary>
    public static JsonObject Knob(JsonObject knob, Func<JsonObject, string> open)
    {
        string kind = (string)knob["kind"]!, name = (string)knob["name"]!;
        double value = (double)knob["value"]!, min = (double)knob["min"]!, max = (double)knob["max"]!, step = (double)knob["step"]!;
        var common = new JsonObject
        {
            ["description"] = name, ["description_allow_html"] = false, ["disabled"] = false, ["layout"] = Layout(open),
            ["_dom_classes"] = new JsonArray(), ["tabbable"] = null, ["tooltip"] = null,
        };
        JsonObject SliderParts(JsonObject o)
        {
            o["continuous_update"] = false; // the front end sends the value when the drag ends
            o["orientation"] = "horizontal";
            o["readout"] = true;
            o["behavior"] = "drag-tap";
            o["style"] = Style(open, "SliderStyleModel", new JsonObject { ["description_width"] = "", ["handle_color"] = null });
            return o;
        }
        return kind switch
        {
            "float" => Base("FloatSliderModel", "FloatSliderView", Controls, "2.0.0", SliderParts(Merge(common, new JsonObject
            {
                ["value"] = value, ["min"] = min, ["max"] = max, ["step"] = step, ["readout_format"] = ".4g",
            }))),
            "log" => Base("FloatLogSliderModel", "FloatLogSliderView", Controls, "2.0.0", SliderParts(Merge(common, new JsonObject
            {
                ["value"] = value, ["min"] = Math.Log10(min), ["max"] = Math.Log10(max), ["step"] = step, ["base"] = 10.0, ["readout_format"] = ".3g",
            }))),
            "int" => Base("IntSliderModel", "IntSliderView", Controls, "2.0.0", SliderParts(Merge(common, new JsonObject
            {
                ["value"] = (int)value, ["min"] = (int)min, ["max"] = (int)max, ["step"] = (int)step, ["readout_format"] = "d",
            }))),
            "dropdown" => Base("DropdownModel", "DropdownView", Controls, "2.0.0", Merge(common, new JsonObject
            {
                ["_options_labels"] = knob["options"]!.DeepClone(), ["index"] = (int)value,
                ["style"] = Style(open, "DescriptionStyleModel", new JsonObject { ["description_width"] = "" }),
            })),
            "checkbox" => Base("CheckboxModel", "CheckboxView", Controls, "2.0.0", Merge(common, new JsonObject
            {
                ["value"] = value != 0, ["indent"] = true,
                ["style"] = Style(open, "CheckboxStyleModel", new JsonObject { ["description_width"] = "", ["background"] = null }),
            })),
            _ => throw new ArgumentException($"unknown knob kind {kind}"),
        };
    }

    private static string Layout(Func<JsonObject, string> open) => open(Base("LayoutModel", "LayoutView", "@jupyter-widgets/base", "2.0.0", []));

    private static string Style(Func<JsonObject, string> open, string model, JsonObject rest)
    {
        var state = Base(model, "StyleView", Controls, "2.0.0", rest);
        state["_view_module"] = "@jupyter-widgets/base";
        return open(state);
    }

    private static JsonObject Merge(JsonObject a, JsonObject b)
    {
        var o = (JsonObject)a.DeepClone();
        foreach (var (k, v) in b) o[k] = v?.DeepClone();
        return o;
    }

    private static JsonObject Base(string model, string view, string module, string version, JsonObject rest)
    {
        var o = new JsonObject
        {
            ["_model_module"] = module, ["_model_module_version"] = version, ["_model_name"] = model,
            ["_view_module"] = module, ["_view_module_version"] = version, ["_view_name"] = view,
        };
        foreach (var (k, v) in rest) o[k] = v?.DeepClone();
        return o;
    }
}
