using System.Text;

namespace FromScratch.Notebooks.Engine;

/// <summary>
/// Routes Console.Out and Console.Error to the cell that is running. Console.SetOut is
/// process-global, so it is installed once, and each write goes to the capture of the current
/// async flow (an AsyncLocal): two sessions running at the same time in one process (tests)
/// each get their own text; writes outside any cell go to the real console.
/// </summary>
internal static class ConsoleCapture
{
    private static readonly AsyncLocal<CellCapture?> Current = new();
    private static readonly object InstallLock = new();
    private static bool _installed;

    /// <summary>The console writers from before the capture was installed.</summary>
    public static TextWriter OriginalOut { get; private set; } = Console.Out;

    /// <summary>The original standard error.</summary>
    public static TextWriter OriginalError { get; private set; } = Console.Error;

    public static void Install()
    {
        lock (InstallLock)
        {
            if (_installed) return;
            OriginalOut = Console.Out;
            OriginalError = Console.Error;
            Console.SetOut(new RoutingWriter("stdout", OriginalOut));
            Console.SetError(new RoutingWriter("stderr", OriginalError));
            _installed = true;
        }
    }

    /// <summary>Makes <paramref name="capture"/> receive console writes in the current async flow until disposed.</summary>
    public static IDisposable Begin(CellCapture capture)
    {
        var previous = Current.Value;
        Current.Value = capture;
        return new Restore(() => Current.Value = previous);
    }

    private sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }

    private sealed class RoutingWriter(string stream, TextWriter fallback) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        private TextWriter? Target => Current.Value is { } capture ? null : fallback;

        public override void Write(char value)
        {
            if (Current.Value is { } capture) capture.Write(stream, value.ToString());
            else fallback.Write(value);
        }

        public override void Write(string? value)
        {
            if (value is null) return;
            if (Current.Value is { } capture) capture.Write(stream, value);
            else fallback.Write(value);
        }

        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

        public override void WriteLine(string? value) => Write((value ?? "") + "\n");

        public override void WriteLine() => Write("\n");

        public override void Flush()
        {
            if (Current.Value is { } capture) capture.Flush();
            else Target?.Flush();
        }
    }
}

/// <summary>
/// The console text of one running cell. Text is passed on line by line (so a kernel can stream
/// it live) and always flushed before a display output, so the order of prints and displays is kept.
/// </summary>
internal sealed class CellCapture(Action<CellOutput> emit)
{
    private readonly object _lock = new();
    private readonly StringBuilder _pending = new();
    private string _pendingStream = "stdout";

    public void Write(string stream, string text)
    {
        lock (_lock)
        {
            if (stream != _pendingStream) FlushLocked();
            _pendingStream = stream;
            _pending.Append(text);
            // Pass on whole lines as they complete; keep a partial line until it ends or a flush.
            int lastNewline = text.LastIndexOf('\n');
            if (lastNewline >= 0) FlushLocked();
        }
    }

    public void Flush()
    {
        lock (_lock) FlushLocked();
    }

    /// <summary>
    /// The partial stdout line written last (e.g. "Type a word: " before Console.ReadLine), removed
    /// so that it is not printed as well: a host shows it as the input prompt instead.
    /// </summary>
    public string TakePartialLine()
    {
        lock (_lock)
        {
            if (_pendingStream != "stdout" || _pending.Length == 0) return "";
            string text = _pending.ToString();
            _pending.Clear();
            return text;
        }
    }

    /// <summary>Flushes pending text, then emits <paramref name="output"/>, under one lock.</summary>
    public void EmitAfterFlush(CellOutput output)
    {
        lock (_lock)
        {
            FlushLocked();
            emit(output);
        }
    }

    private void FlushLocked()
    {
        if (_pending.Length == 0) return;
        string text = _pending.ToString();
        _pending.Clear();
        emit(new StreamOutput(_pendingStream, text));
    }
}
