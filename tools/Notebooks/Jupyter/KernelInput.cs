using System.Text.Json.Nodes;

namespace FromScratch.Notebooks.Jupyter;

/// <summary>
/// Console.In of the kernel process: each line a cell reads is asked of the front end — input_request on stdin to the
/// client of the running cell, with what the cell wrote just before as the prompt, then its input_reply. The wait ends
/// with an interrupt. Reading throws when the front end does not allow input or no cell is running.
/// </summary>
internal sealed class KernelInput(KernelContext kernel) : TextReader
{
    private string _pending = "";
    private int _next;

    public override string? ReadLine()
    {
        if (_next < _pending.Length)
        {
            string rest = _pending[_next..].TrimEnd('\n');
            _next = _pending.Length;
            return rest;
        }
        return RequestInput(kernel.Session.TakeInputPrompt(), password: false);
    }

    public override int Peek() => Fill() ? _pending[_next] : -1;

    public override int Read() => Fill() ? _pending[_next++] : -1;

    private bool Fill()
    {
        if (_next < _pending.Length) return true;
        _pending = RequestInput(kernel.Session.TakeInputPrompt(), password: false) + "\n";
        _next = 0;
        return true;
    }

    /// <summary>One line from the front end of the running cell (input_request, then its input_reply).</summary>
    private string RequestInput(string prompt, bool password)
    {
        var running = kernel.Running ?? throw new InvalidOperationException("input was requested outside a running cell");
        if (!running.AllowStdin)
            throw new InvalidOperationException("this front end does not accept input requests (allow_stdin is false): the cell cannot read from the console");
        var transport = kernel.Transport;
        lock (transport.StdinLock)
        {
            var stdin = transport.Stdin ?? throw new ObjectDisposedException("stdin");
            transport.Send(stdin, running.Request, "input_request", new JsonObject { ["prompt"] = prompt, ["password"] = password });
            while (true)
            {
                running.Interrupted.ThrowIfCancellationRequested();
                if (transport.Receive(stdin, "stdin", KernelTransport.PollInterval) is not { } reply) continue;
                if (reply.Type != "input_reply")
                {
                    kernel.Log($"unexpected {reply.Type} on stdin while waiting for input_reply");
                    continue;
                }
                return reply.Content["value"] is JsonValue v && v.TryGetValue(out string? value) ? value : "";
            }
        }
    }
}
