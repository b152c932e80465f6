using System.Text.Json.Nodes;
using FromScratch.Notebooks.Engine;
using NetMQ.Sockets;
using static FromScratch.Notebooks.Jupyter.RequestContent;

namespace FromScratch.Notebooks.Jupyter;

/// <summary>complete_request and is_complete_request, answered by the session's <see cref="CodeAssistant"/>.</summary>
internal sealed class CompleteHandler(KernelTransport transport, CodeAssistant assistant)
{
    /// <summary>is_complete_request: complete, incomplete (with the indent of the next line) or invalid.</summary>
    public void IsComplete(RouterSocket shell, JupyterMessage request)
    {
        var answer = CodeAssistant.IsComplete(Required<string>(request.Content, "code"));
        var content = new JsonObject { ["status"] = answer.Status };
        if (answer.Status == "incomplete") content["indent"] = answer.Indent;
        transport.Send(shell, request, "is_complete_reply", content);
    }

    /// <summary>complete_request: the completions at the cursor (code points), with their kinds.</summary>
    public void Complete(RouterSocket shell, JupyterMessage request)
    {
        string code = Required<string>(request.Content, "code");
        int cursor = CodePoints.ToUtf16(code, Optional(request.Content, "cursor_pos", CodePoints.Count(code)));
        var list = assistant.Complete(code, cursor);
        int start = CodePoints.FromUtf16(code, list.Start), end = CodePoints.FromUtf16(code, list.End);
        transport.Send(shell, request, "complete_reply", new JsonObject
        {
            ["status"] = "ok",
            ["matches"] = new JsonArray(list.Items.Select(i => (JsonNode?)i.Text).ToArray()),
            ["cursor_start"] = start,
            ["cursor_end"] = end,
            ["metadata"] = new JsonObject
            {
                ["_jupyter_types_experimental"] = new JsonArray(list.Items.Select(i => (JsonNode?)new JsonObject
                {
                    ["start"] = start, ["end"] = end, ["text"] = i.Text, ["type"] = i.Kind,
                }).ToArray()),
            },
        });
    }
}
