using System.Text;
using System.Text.Json.Nodes;
using FromScratch.Notebooks.Engine;

namespace FromScratch.Notebooks.Format;

/// <summary>
/// The one writer of cell outputs as Jupyter JSON, in its two dialects: nbformat 4 outputs (a notebook file:
/// text as lists of lines, keys in order) and messaging-protocol content (IOPub messages and widget Outputs:
/// text as strings). A MIME bundle's JSON types (plotly) are JSON objects in both.
/// </summary>
public static class OutputJson
{
    /// <summary>nbformat outputs of a cell; consecutive text on the same stream becomes one output.</summary>
    public static JsonArray NotebookOutputs(IEnumerable<CellOutput> outputs, int executionCount)
    {
        var json = new JsonArray();
        string? lastStream = null;
        var streamText = new StringBuilder();
        void FlushStream()
        {
            if (lastStream is null) return;
            json.Add(new JsonObject { ["name"] = lastStream, ["output_type"] = "stream", ["text"] = NotebookDocument.ToLines(streamText.ToString()) });
            lastStream = null;
            streamText.Clear();
        }
        foreach (var output in outputs)
        {
            if (output is StreamOutput stream)
            {
                if (stream.Name != lastStream) FlushStream();
                lastStream = stream.Name;
                streamText.Append(stream.Text);
                continue;
            }
            FlushStream();
            json.Add(output switch
            {
                DisplayOutput d => new JsonObject { ["data"] = NotebookData(d.Bundle), ["metadata"] = new JsonObject(), ["output_type"] = "display_data" },
                ResultOutput r => new JsonObject
                {
                    ["data"] = NotebookData(r.Bundle), ["execution_count"] = executionCount, ["metadata"] = new JsonObject(), ["output_type"] = "execute_result",
                },
                ErrorOutput e => new JsonObject { ["ename"] = e.EName, ["evalue"] = e.EValue, ["output_type"] = "error", ["traceback"] = Traceback(e) },
                _ => throw new InvalidOperationException($"unknown output {output.GetType().Name}"),
            });
        }
        FlushStream();
        return json;
    }

    /// <summary>A MIME bundle as nbformat "data": text types as lists of lines, JSON types as JSON, MIME types in order.</summary>
    public static JsonObject NotebookData(MimeBundle bundle)
    {
        var data = new JsonObject();
        foreach (var (mime, value) in bundle.Data.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            data[mime] = mime.EndsWith("json", StringComparison.Ordinal) ? value.DeepClone() : NotebookDocument.ToLines(value.GetValue<string>());
        return data;
    }

    /// <summary>A MIME bundle as messaging-protocol "data": text types as strings, JSON types (plotly) as JSON objects.</summary>
    public static JsonObject MessageData(MimeBundle bundle)
    {
        var data = new JsonObject();
        foreach (var (mime, value) in bundle.Data) data[mime] = value.DeepClone();
        return data;
    }

    /// <summary>
    /// The IOPub message of one output: stream, display_data or update_display_data, execute_result (numbered
    /// <paramref name="executionCount"/>) or error, with its content.
    /// </summary>
    public static (string MsgType, JsonObject Content) Message(CellOutput output, int executionCount) => output switch
    {
        StreamOutput s => ("stream", new JsonObject { ["name"] = s.Name, ["text"] = s.Text }),
        DisplayOutput d => (d.Update ? "update_display_data" : "display_data", new JsonObject
        {
            ["data"] = MessageData(d.Bundle), ["metadata"] = new JsonObject(),
            ["transient"] = d.DisplayId is null ? new JsonObject() : new JsonObject { ["display_id"] = d.DisplayId },
        }),
        ResultOutput r => ("execute_result", new JsonObject { ["execution_count"] = executionCount, ["data"] = MessageData(r.Bundle), ["metadata"] = new JsonObject() }),
        ErrorOutput e => ("error", ErrorContent(e)),
        _ => throw new InvalidOperationException($"unknown output {output.GetType().Name}"),
    };

    /// <summary>The content of an error message (and of a failed execute_reply): ename, evalue, traceback.</summary>
    public static JsonObject ErrorContent(ErrorOutput error) => new()
    {
        ["ename"] = error.EName, ["evalue"] = error.EValue, ["traceback"] = Traceback(error),
    };

    /// <summary>A display_data output in messaging-protocol form (the outputs of an ipywidgets Output).</summary>
    public static JsonObject DisplayData(MimeBundle bundle) => new()
    {
        ["output_type"] = "display_data", ["data"] = MessageData(bundle), ["metadata"] = new JsonObject(),
    };

    /// <summary>A stream output in messaging-protocol form (text as one string).</summary>
    public static JsonObject Stream(string name, string text) => new() { ["output_type"] = "stream", ["name"] = name, ["text"] = text };

    private static JsonArray Traceback(ErrorOutput error) => new(error.Traceback.Select(l => (JsonNode?)l).ToArray());
}
