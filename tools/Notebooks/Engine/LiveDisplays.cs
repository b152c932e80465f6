namespace FromScratch.Notebooks.Engine;

/// <summary>
/// Outputs a cell redraws in place while it runs (Jupyter's display_data with a display_id, then
/// update_display_data), for the course library's live loss curve (lib/FromScratch/Training/LiveTraining.cs).
/// The library reads the AppContext data "FromScratch.LiveTraining.Display", a
/// <c>Func&lt;Action&lt;string, object, bool&gt;?&gt;</c> set here once per process: it returns the running
/// cell's display function (display id, value, replace?) when the session draws live, else null. The
/// session sets it per cell in the cell's async flow, so two sessions in one process never mix.
/// </summary>
internal static class LiveDisplays
{
    /// <summary>The AppContext data name the course library reads.</summary>
    internal const string LibraryHookName = "FromScratch.LiveTraining.Display";

    private static readonly AsyncLocal<Action<string, object, bool>?> Sink = new();

    static LiveDisplays() =>
        AppContext.SetData(LibraryHookName, (Func<Action<string, object, bool>?>)(() => Sink.Value));

    /// <summary>The display function of the current flow's cell (null: nothing is drawn live).</summary>
    internal static void Set(Action<string, object, bool>? sink) => Sink.Value = sink;
}
