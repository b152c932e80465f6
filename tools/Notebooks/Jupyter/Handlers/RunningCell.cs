namespace FromScratch.Notebooks.Jupyter;

/// <summary>
/// The request whose code is running now — an execute_request's cell, or a widget's redraw for a comm_msg — with what
/// stops it: interrupt_request, Console.ReadLine's wait on stdin and a kernel shutdown all go through
/// <see cref="Interrupt"/>; <see cref="AllowStdin"/> says whether the cell may ask its front end for input.
/// </summary>
internal sealed class RunningCell(JupyterMessage request, bool allowStdin)
{
    private readonly CancellationTokenSource _interrupt = new();

    /// <summary>The request being run (the parent of input_request and of a process-death report).</summary>
    public JupyterMessage Request { get; } = request;

    /// <summary>False when the front end said allow_stdin false: Console.ReadLine in the cell is then an error.</summary>
    public bool AllowStdin { get; } = allowStdin;

    /// <summary>Cancelled by <see cref="Interrupt"/>.</summary>
    public CancellationToken Interrupted => _interrupt.Token;

    /// <summary>Asks the code to stop (it stops at its next interrupt check; the session keeps its variables).</summary>
    public void Interrupt()
    {
        try
        {
            _interrupt.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The cell ended between being found running and this call: nothing is left to stop.
        }
    }

    /// <summary>Ends the cell's interrupt (after it ran).</summary>
    public void End() => _interrupt.Dispose();
}
