using FromScratch.Notebooks.Engine;
using NetMQ.Sockets;

namespace FromScratch.Notebooks.Jupyter;

/// <summary>
/// comm_msg from a front end's widget. The messages already waiting on shell are taken first: the knob updates among
/// them are applied together by <see cref="WidgetComms"/> (one redraw for a whole drag), the others are served after
/// it, in order. The redraw runs like a cell: an interrupt_request stops it.
/// </summary>
internal sealed class CommMessageHandler(KernelContext kernel, WidgetComms widgets, Action<RouterSocket, JupyterMessage> serveShell)
{
    /// <summary>Applies <paramref name="request"/> (and the updates waiting behind it), redraws, serves the rest.</summary>
    public void Handle(RouterSocket shell, JupyterMessage request)
    {
        var waiting = kernel.TakeWaiting(shell);
        var redraw = widgets.Message(request.Content, waiting.Where(IsUpdate).Select(m => m.Content).ToList());
        if (redraw is not null)
        {
            kernel.RunAsCell(request, allowStdin: false, interrupt =>
            {
                CellInterrupt.Set(interrupt);
                try
                {
                    redraw();
                }
                finally
                {
                    CellInterrupt.Set(CancellationToken.None);
                }
                return true;
            });
        }
        foreach (var queued in waiting.Where(m => !IsUpdate(m)))
        {
            serveShell(shell, queued);
            kernel.ShellRequest = request; // serving it set its own: this comm_msg is again the one being handled
        }
    }

    private static bool IsUpdate(JupyterMessage m) => m.Type == "comm_msg" && (string?)m.Content["data"]?["method"] == "update";
}
