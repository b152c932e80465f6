namespace FromScratch.Notebooks.Jupyter;

/// <summary>Console.In of the kernel process: each line a cell reads is asked of the front end (input_request).</summary>
internal sealed class KernelInput(JupyterKernel kernel) : TextReader
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
        return kernel.RequestInput(kernel.TakeInputPrompt(), password: false);
    }

    public override int Peek() => Fill() ? _pending[_next] : -1;

    public override int Read() => Fill() ? _pending[_next++] : -1;

    private bool Fill()
    {
        if (_next < _pending.Length) return true;
        _pending = kernel.RequestInput(kernel.TakeInputPrompt(), password: false) + "\n";
        _next = 0;
        return true;
    }
}
