using System.Text.Json.Nodes;
using NetMQ.Sockets;

namespace FromScratch.Notebooks.Jupyter;

/// <summary>
/// interrupt_request (on control, or on shell from old front ends): stops the running cell or widget redraw, if any;
/// the session keeps its variables. Always answered "ok", also when nothing was running.
/// </summary>
internal sealed class InterruptHandler(KernelContext kernel)
{
    /// <summary>Interrupts the running cell and sends interrupt_reply on <paramref name="socket"/>.</summary>
    public void Interrupt(RouterSocket socket, JupyterMessage request)
    {
        var running = kernel.Running;
        running?.Interrupt();
        kernel.Log(running is null ? "interrupt: no cell is running" : $"interrupt: cancelling the cell of {running.Request.Id}");
        kernel.Transport.Send(socket, request, "interrupt_reply", new JsonObject { ["status"] = "ok" });
    }
}
