using System.ComponentModel;
using Microsoft.AspNetCore.Html;

namespace FromScratch.Notebooks.Engine;

/// <summary>
/// The members every cell can call directly, as in the old C# kernel: <c>display(value)</c> and
/// <c>HTML(text)</c>. (Lower-case names on purpose: the same cell text works in both places.)
/// </summary>
public sealed class NotebookGlobals
{
    private readonly NotebookSession _session;

    internal NotebookGlobals(NotebookSession session) => _session = session;

    /// <summary>Shows <paramref name="value"/> as a display output of the running cell, formatted like a cell result.</summary>
#pragma warning disable IDE1006 // the old kernel's names
    public void display(object? value) => _session.Display(value);

    /// <summary>Marks <paramref name="html"/> as HTML: displayed or returned from a cell, it renders as HTML.</summary>
    public IHtmlContent HTML(string html) => new HtmlString(html);
#pragma warning restore IDE1006
}

/// <summary>
/// Cooperative interrupts and stack guards. The engine inserts a call to <see cref="Check"/> at the
/// top of every loop body in cell code, and a call to <see cref="Enter"/> at the top of every method,
/// local function, accessor, constructor and lambda a cell defines (see CellGuards), so a cell stuck
/// in a loop or a recursion stops when it is interrupted, and a recursion that goes too deep becomes
/// an ordinary error instead of a fatal stack overflow.
/// The course library's own loops observe the same token through the AppContext data
/// "FromScratch.Interruption.CurrentToken" (a <c>Func&lt;CancellationToken&gt;</c>, read by
/// lib/FromScratch/Interruption.cs), which the engine sets once per process.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class CellInterrupt
{
    /// <summary>The AppContext data name the course library reads (see lib/FromScratch/Interruption.cs).</summary>
    internal const string LibraryHookName = "FromScratch.Interruption.CurrentToken";

    private static readonly AsyncLocal<CancellationToken> Token = new();

    static CellInterrupt() => AppContext.SetData(LibraryHookName, (Func<CancellationToken>)(() => Token.Value));

    /// <summary>Throws <see cref="OperationCanceledException"/> when the running cell was cancelled.</summary>
    public static void Check() => Token.Value.ThrowIfCancellationRequested();

    /// <summary>
    /// The first call of every member a cell defines: throws <see cref="InsufficientExecutionStackException"/>
    /// when the thread is close to the end of its stack (a runaway recursion), and
    /// <see cref="OperationCanceledException"/> when the cell was cancelled.
    /// </summary>
    public static void Enter()
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        Token.Value.ThrowIfCancellationRequested();
    }

    /// <summary>The running cell's token (what the library's loops observe).</summary>
    internal static CancellationToken Current => Token.Value;

    /// <summary>Sets the token of the current flow and makes sure the library hook is registered.</summary>
    internal static void Set(CancellationToken token) => Token.Value = token;
}
