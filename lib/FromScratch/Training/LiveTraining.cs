using System.Diagnostics;
using System.Globalization;

// Lessons 5–12: a long training shows its loss curve while it runs (in the course's kernel).
namespace FromScratch;

/// <summary>
/// The loss curve of a training that takes a while, drawn while it trains: after about a second the
/// trainer's figure appears, with a line under it ("epoch 37 of 100 · loss 0.123 · 2.1 s, about 3.6 s
/// left"), and both are redrawn in place at most five times a second; at the end the figure shows the
/// whole run and the line becomes a one-line summary. An Interrupt stops the training as usual: the
/// network keeps the weights it reached and the line says where it stopped.
/// <para>
/// Only a host that can redraw an output in place shows this (the course's Jupyter kernel). It stores,
/// before any cell runs, a <c>Func&lt;Action&lt;string, object, bool&gt;?&gt;</c> under the AppContext data
/// name <see cref="DataName"/>: it returns the running cell's display function, or null where nothing
/// should be drawn (the <c>run</c> command, which writes only the figures a lesson shows itself). The
/// display function takes a display id, the value to show (a <see cref="Figure"/> or a line of text) and
/// whether it replaces the earlier value of that id. With no host — the official kernel, a test, a
/// program — the trainers run exactly as before: <see cref="Watch"/> returns null and nothing is
/// measured. The engine side of this contract is FromScratch.Notebooks.Engine.LiveDisplays.
/// </para>
/// </summary>
internal sealed class LiveTraining : IDisposable
{
    /// <summary>The AppContext data name the host sets.</summary>
    public const string DataName = "FromScratch.LiveTraining.Display";

    /// <summary>A training shorter than this shows nothing live.</summary>
    internal static readonly TimeSpan ShowAfter = TimeSpan.FromSeconds(1);

    /// <summary>The shortest time between two redraws (at most 5 a second).</summary>
    internal static readonly TimeSpan Every = TimeSpan.FromMilliseconds(200);

    private const int MostPoints = 1000; // a longer curve is drawn with every k-th value

    private static Func<Action<string, object, bool>?>? _host;
    private static bool _looked;

    private readonly TrainingHistory history;
    private readonly Action<string, object, bool> display;
    private readonly int epochs;
    private readonly long started = Stopwatch.GetTimestamp();
    private readonly string figureId = "fromscratch-live-" + Guid.NewGuid().ToString("N");
    private readonly string lineId = "fromscratch-live-line-" + Guid.NewGuid().ToString("N");
    private long next;
    private bool shown;

    private LiveTraining(TrainingHistory history, Action<string, object, bool> display, int epochs)
    {
        this.history = history;
        this.display = display;
        this.epochs = epochs;
        next = started + Ticks(ShowAfter);
    }

    /// <summary>
    /// Watches <paramref name="history"/> while a trainer fills it over <paramref name="epochs"/> epochs, when the
    /// host draws live; null otherwise (then nothing changes). Dispose it when the training ends, also by an exception.
    /// </summary>
    public static LiveTraining? Watch(TrainingHistory history, int epochs)
    {
        if (!_looked)
        {
            _host = AppContext.GetData(DataName) as Func<Action<string, object, bool>?>;
            _looked = true;
        }
        if (epochs <= 0 || _host?.Invoke() is not { } display) return null;
        var live = new LiveTraining(history, display, epochs);
        history.Live = live;
        return live;
    }

    /// <summary>Called by the history for every loss it records: redraws when it is time (no allocation otherwise).</summary>
    public void Tick()
    {
        if (Stopwatch.GetTimestamp() < next) return;
        Draw(final: false);
        next = Stopwatch.GetTimestamp() + Ticks(Every); // counted from the end of the redraw: at most 5 a second
    }

    /// <summary>The last redraw: the whole run, and the summary line.</summary>
    public void Dispose()
    {
        history.Live = null;
        if (shown) Draw(final: true);
    }

    private void Draw(bool final)
    {
        bool update = shown;
        shown = true;
        display(figureId, Curve(), update);
        display(lineId, final ? Summary() : Progress(), update);
    }

    private Figure Curve()
    {
        bool perEpoch = epochs > 1;
        var losses = perEpoch ? history.EpochLoss : history.IterationLoss;
        int stride = Math.Max(1, (losses.Count + MostPoints - 1) / MostPoints);
        var x = new List<double>();
        var y = new List<double>();
        for (int i = 0; i < losses.Count; i += stride)
        {
            x.Add(i + 1);
            y.Add(losses[i]);
        }
        if (losses.Count > 0 && x[^1] != losses.Count)
        {
            x.Add(losses.Count);
            y.Add(losses[^1]);
        }
        string unit = perEpoch ? "epoch" : "iteration";
        var figure = Plot.Lines(x, [(history.Name, (IReadOnlyList<double>)y)], $"{history.Name}: loss per {unit}", unit, "loss");
        return perEpoch ? figure.WithXAxis(range: (1, Math.Max(2, epochs))) : figure;
    }

    private string Progress()
    {
        double seconds = Seconds();
        int done = history.Epochs;
        string loss = done > 0 ? Check.Format(history.EpochLoss[^1], 4)
            : history.Iterations > 0 ? Check.Format(history.IterationLoss[^1], 4) : "—";
        string left = done > 0 ? $", about {Duration(seconds / done * (epochs - done))} left" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"epoch {Math.Min(done + 1, epochs)} of {epochs} · loss {loss} · {Duration(seconds)}{left}");
    }

    private string Summary()
    {
        string time = Duration(Seconds());
        string loss = Check.Format(history.FinalLoss, 4);
        if (history.Diverged || history.Outcome == TrainingOutcome.ReachedTarget)
            return $"{history} (in {time})";
        if (history.Epochs < epochs)
            return $"{history.Name}: stopped in epoch {history.Epochs + 1} of {epochs} after {time}" +
                (Interruption.IsRequested ? " (interrupted)" : "") +
                $"; loss {loss} after epoch {history.Epochs}: the network keeps the weights it reached";
        return $"{history.Name}: {epochs} epochs in {time}, final loss {loss}";
    }

    private double Seconds() => Stopwatch.GetElapsedTime(started).TotalSeconds;

    private static string Duration(double seconds) => seconds < 60
        ? seconds.ToString(seconds < 10 ? "0.0" : "0", CultureInfo.InvariantCulture) + " s"
        : $"{(int)(seconds / 60)} min {(int)(seconds % 60)} s";

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
