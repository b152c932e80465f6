using System.Text.Json.Nodes;
using FromScratch.Notebooks.Engine;
using FromScratch.Notebooks.Format;

namespace FromScratch.Notebooks.Export;

/// <summary>A figure found in an executed notebook.</summary>
/// <param name="Notebook">The notebook's file name without extension.</param>
/// <param name="CellNumber">1-based number of the cell among all cells (markdown included), as in `run`'s figure files.</param>
/// <param name="IndexInCell">1-based index among that cell's figures.</param>
/// <param name="Figure">The plotly figure JSON, <c>{"data":[...],"layout":{...}}</c> (a private copy).</param>
internal sealed record NotebookFigure(string Notebook, int CellNumber, int IndexInCell, JsonObject Figure)
{
    /// <summary>The figure's title (layout.title.text or layout.title), or "(untitled)".</summary>
    public string Title => NotebookFigures.TitleOf(Figure);

    /// <summary>File name for the exported figure, e.g. "03-x-cell04-fig1.png".</summary>
    public string FileName(string extension) => $"{Notebook}-cell{CellNumber:00}-fig{IndexInCell}.{extension}";
}

/// <summary>Reads the figures (application/vnd.plotly.v1+json outputs) out of an executed notebook.</summary>
internal static class NotebookFigures
{
    /// <summary>Every figure of the notebook, in cell order.</summary>
    public static IReadOnlyList<NotebookFigure> Read(NotebookDocument notebook, string stem)
    {
        var figures = new List<NotebookFigure>();
        var cells = notebook.Cells;
        for (int i = 0; i < cells.Count; i++)
        {
            if (!cells[i].IsCode || cells[i].Json["outputs"] is not JsonArray outputs) continue;
            int inCell = 0;
            foreach (var output in outputs)
                if (output?["data"]?[MimeTypes.Plotly] is JsonObject figure)
                    figures.Add(new NotebookFigure(stem, i + 1, ++inCell, (JsonObject)figure.DeepClone()));
        }
        return figures;
    }

    /// <summary>layout.title.text, or layout.title when it is a string; "(untitled)" otherwise.</summary>
    public static string TitleOf(JsonObject figure) => figure["layout"]?["title"] switch
    {
        JsonObject title when title["text"] is JsonValue text && text.TryGetValue(out string? s) => s,
        JsonValue value when value.TryGetValue(out string? s) => s,
        _ => "(untitled)",
    };

    /// <summary>layout.height when the figure sets one, else <paramref name="fallback"/>.</summary>
    public static int HeightOf(JsonObject figure, int fallback) =>
        figure["layout"]?["height"] is JsonValue h && h.TryGetValue(out double height) && height >= 10 ? (int)Math.Round(height) : fallback;
}
