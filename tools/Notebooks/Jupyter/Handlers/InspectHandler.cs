using System.Text.Json.Nodes;
using FromScratch.Notebooks.Engine;
using NetMQ.Sockets;
using static FromScratch.Notebooks.Jupyter.RequestContent;

namespace FromScratch.Notebooks.Jupyter;

/// <summary>inspect_request (Shift+Tab in a front end), answered by the session's <see cref="CodeAssistant"/>.</summary>
internal sealed class InspectHandler(KernelTransport transport, CodeAssistant assistant)
{
    /// <summary>inspect_request: the documentation of the symbol at the cursor, as text/plain.</summary>
    public void Inspect(RouterSocket shell, JupyterMessage request)
    {
        string code = Required<string>(request.Content, "code");
        int cursor = CodePoints.ToUtf16(code, Optional(request.Content, "cursor_pos", CodePoints.Count(code)));
        string? text = assistant.Inspect(code, cursor);
        transport.Send(shell, request, "inspect_reply", new JsonObject
        {
            ["status"] = "ok",
            ["found"] = text is not null,
            ["data"] = text is null ? new JsonObject() : new JsonObject { [MimeTypes.PlainText] = text },
            ["metadata"] = new JsonObject(),
        });
    }
}
