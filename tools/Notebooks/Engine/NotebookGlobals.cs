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
/// Cooperative interrupts. The engine inserts a call to <see cref="Check"/> at the top of every
/// loop body in cell code, so a cell stuck in a loop stops when it is cancelled or times out.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class CellInterrupt
{
    private static readonly AsyncLocal<CancellationToken> Token = new();

    /// <summary>Throws <see cref="OperationCanceledException"/> when the running cell was cancelled.</summary>
    public static void Check() => Token.Value.ThrowIfCancellationRequested();

    internal static void Set(CancellationToken token) => Token.Value = token;
}
