using System.Text.Json.Nodes;
using FromScratch.Notebooks.Format;

namespace FromScratch.Notebooks.Export;

/// <summary>A notebook's source file and its executed copy in out/notebooks/.</summary>
/// <param name="SourcePath">The notebook as written (notebooks/03-x.ipynb).</param>
/// <param name="ExecutedPath">Its executed copy (out/notebooks/03-x.ipynb).</param>
internal sealed record ExecutedNotebook(string SourcePath, string ExecutedPath)
{
    /// <summary>The file name without extension, e.g. "03-x": names figures and site pages.</summary>
    public string Stem => Path.GetFileNameWithoutExtension(SourcePath);

    /// <summary>Reads the executed copy.</summary>
    public NotebookDocument Load() => NotebookDocument.Load(ExecutedPath);
}

/// <summary>
/// Whether an executed copy can be reused by `export` and `site` (the commands in Cli/ run the stale ones).
/// </summary>
internal static class ExecutedNotebooks
{
    /// <summary>
    /// An executed copy is up to date when it exists, is newer than its source and than the library
    /// (build/lib/FromScratch.dll), and every code cell in it ran without an error output.
    /// Otherwise the reason it is stale, for the progress message.
    /// </summary>
    public static string? StaleReason(string sourcePath, string executedPath, string? libraryPath)
    {
        if (!File.Exists(executedPath)) return "not run yet";
        var executedTime = File.GetLastWriteTimeUtc(executedPath);
        if (File.GetLastWriteTimeUtc(sourcePath) > executedTime) return "source changed since the last run";
        if (libraryPath is not null && File.Exists(libraryPath) && File.GetLastWriteTimeUtc(libraryPath) > executedTime) return "library rebuilt since the last run";
        NotebookDocument executed;
        try
        {
            executed = NotebookDocument.Load(executedPath);
        }
        catch (NotebookFormatException)
        {
            return "executed copy unreadable";
        }
        foreach (var cell in executed.Cells.Where(c => c.IsCode))
        {
            if (cell.Json["execution_count"] is not JsonValue) return "not every cell ran";
            if (cell.Json["outputs"] is JsonArray outputs && outputs.Any(o => (string?)o?["output_type"] == "error")) return "the last run failed";
        }
        return null;
    }
}
