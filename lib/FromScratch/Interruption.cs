using System.Runtime.CompilerServices;

namespace FromScratch;

/// <summary>
/// How a notebook's Interrupt reaches the library's long loops (training epochs and steps, searches,
/// gradient checks, error-surface grids) without the library knowing the notebook engine.
/// A host that can interrupt (the notebook engine) stores, before any cell runs, a
/// <c>Func&lt;CancellationToken&gt;</c> under the AppContext data name <see cref="DataName"/>
/// ("FromScratch.Interruption.CurrentToken") that returns the running cell's token. Every long loop
/// calls <see cref="ThrowIfRequested"/> once per iteration: with no host it does nothing; with one it
/// throws <see cref="OperationCanceledException"/> once the cell is interrupted. Nothing is allocated.
/// The engine side of this contract is FromScratch.Notebooks.Engine.CellInterrupt.
/// </summary>
internal static class Interruption
{
    /// <summary>The AppContext data name the host sets (a <c>Func&lt;CancellationToken&gt;</c>).</summary>
    public const string DataName = "FromScratch.Interruption.CurrentToken";

    private static Func<CancellationToken>? _source;
    private static bool _looked;

    /// <summary>Throws <see cref="OperationCanceledException"/> when the host asked the running code to stop.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ThrowIfRequested()
    {
        if (!_looked) LookUp();
        if (_source is { } source) source().ThrowIfCancellationRequested();
    }

    /// <summary>True when the host asked the running code to stop (for a message saying so).</summary>
    public static bool IsRequested
    {
        get
        {
            if (!_looked) LookUp();
            return _source is { } source && source().IsCancellationRequested;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void LookUp()
    {
        _source = AppContext.GetData(DataName) as Func<CancellationToken>;
        _looked = true;
    }
}
