using System.Text.Json.Nodes;
using NetMQ.Sockets;
using static FromScratch.Notebooks.Jupyter.RequestContent;

namespace FromScratch.Notebooks.Jupyter;

/// <summary>
/// shutdown_request: shutdown_reply to the client and on IOPub (so every client learns it), then the kernel stops.
/// A restart is the front end's job: it starts a new process once this one has exited.
/// </summary>
internal sealed class ShutdownHandler(KernelContext kernel)
{
    /// <summary>Answers <paramref name="request"/> on <paramref name="socket"/> and stops the kernel.</summary>
    public void Shutdown(RouterSocket socket, JupyterMessage request)
    {
        bool restart = Optional(request.Content, "restart", false);
        var content = new JsonObject { ["status"] = "ok", ["restart"] = restart };
        kernel.Transport.Send(socket, request, "shutdown_reply", content);
        kernel.Transport.Publish("shutdown_reply", request, content.DeepClone().AsObject());
        kernel.RequestShutdown(restart ? "shutdown_request (restart)" : "shutdown_request");
    }
}
