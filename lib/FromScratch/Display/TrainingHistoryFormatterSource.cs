using System.Globalization;
using System.Net;

namespace FromScratch.Display;

/// <summary>
/// How a <see cref="TrainingHistory"/> displays: a one-row HTML table (run, outcome, epochs, iterations, first
/// and final epoch loss, final metric) and, as text, <see cref="TrainingHistory.ToString"/>.
/// </summary>
internal sealed class TrainingHistoryFormatterSource
{
    /// <summary>The history's two formatters: HTML table, plain text.</summary>
    public IEnumerable<object> CreateTypeFormatters() =>
    [
        new TypeFormatter(MimeTypes.Html, typeof(TrainingHistory), (value, writer) => { writer.Write(Html((TrainingHistory)value)); return true; }),
        new TypeFormatter(MimeTypes.PlainText, typeof(TrainingHistory), (value, writer) => { writer.Write(value.ToString()); return true; }),
    ];

    /// <summary>The HTML table of one history.</summary>
    internal static string Html(TrainingHistory history)
    {
        string outcome = history.Outcome switch
        {
            TrainingOutcome.Diverged => $"diverged in epoch {history.DivergedAtEpoch} (iteration {history.DivergedAtIteration})",
            TrainingOutcome.ReachedTarget => "reached the target loss",
            _ => "completed",
        };
        string Cell(string text) => $"<td>{WebUtility.HtmlEncode(text)}</td>";
        string metric = history.EpochMetric.Count > 0 ? Number(history.EpochMetric[^1]) : "—";
        string first = history.EpochLoss.Count > 0 ? Number(history.EpochLoss[0]) : "—";
        string final = history.Diverged ? Number(history.DivergedLoss ?? double.NaN) : history.Epochs > 0 ? Number(history.FinalLoss) : "—";
        return "<table class=\"fromscratch-history\">\n"
            + "<thead><tr><th>run</th><th>outcome</th><th>epochs</th><th>iterations</th><th>first epoch loss</th><th>final loss</th><th>final metric</th></tr></thead>\n"
            + "<tbody><tr>" + Cell(history.Name) + Cell(outcome)
            + Cell(history.Epochs.ToString(CultureInfo.InvariantCulture)) + Cell(history.Iterations.ToString(CultureInfo.InvariantCulture))
            + Cell(first) + Cell(final) + Cell(metric) + "</tr></tbody>\n</table>";
    }

    private static string Number(double x) => x switch
    {
        double.PositiveInfinity => "∞",
        double.NegativeInfinity => "−∞",
        _ when double.IsNaN(x) => "NaN",
        _ => x.ToString("G6", CultureInfo.InvariantCulture),
    };
}
