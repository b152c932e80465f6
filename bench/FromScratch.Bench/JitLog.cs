using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace FromScratch.Bench;

/// <summary>
/// Which methods the JIT compiled, at which tier, and how long each took (the runtime's own JIT events, read in
/// process): the evidence behind a workload's cold first repetition. <c>--jit</c> prints the slowest of each
/// workload's first repetition.
/// </summary>
public sealed class JitLog : EventListener
{
    private const EventKeywords JitKeyword = (EventKeywords)0x10;
    private readonly ConcurrentDictionary<long, (DateTime Start, string Name)> _started = new();
    private volatile bool _recording;

    /// <summary>Every method compiled while recording: name, tier and compile time in milliseconds.</summary>
    public ConcurrentQueue<(string Method, string Tier, double Ms, DateTime At)> Compiled { get; } = new();

    /// <summary>Records every repetition, not only the first (FROMSCRATCH_BENCH_JIT_ALL=1: when the tiers arrive).</summary>
    public bool WholeRun { get; init; }

    /// <summary>Starts (true) or stops (false) recording.</summary>
    public bool Recording { get => _recording; set => _recording = value; }

    /// <inheritdoc/>
    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
            EnableEvents(source, EventLevel.Verbose, JitKeyword);
    }

    /// <inheritdoc/>
    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!_recording || e.Payload is null) return;
        if (e.EventName == "MethodJittingStarted_V1")
        {
            long id = Convert.ToInt64(e.Payload[e.PayloadNames!.IndexOf("MethodID")]);
            string name = $"{e.Payload[e.PayloadNames.IndexOf("MethodNamespace")]}::{e.Payload[e.PayloadNames.IndexOf("MethodName")]}";
            _started[id] = (e.TimeStamp, name);
        }
        else if (e.EventName is "MethodLoadVerbose_V1" or "MethodLoadVerbose_V2")
        {
            long id = Convert.ToInt64(e.Payload[e.PayloadNames!.IndexOf("MethodID")]);
            if (!_started.TryRemove(id, out var start)) return;
            int flagsAt = e.PayloadNames.IndexOf("MethodFlags");
            uint flags = flagsAt >= 0 ? Convert.ToUInt32(e.Payload[flagsAt]) : 0;
            // MethodFlags bits 7–9: the optimization tier (1 min-opts, 2 full opts, 3 tier 0, 4 tier 1, 5 tier 1 by on-stack replacement, 6–7 instrumented).
            string tier = ((flags >> 7) & 0x7) switch
            {
                1 => "MinOpts", 2 => "FullOpts", 3 => "Tier0", 4 => "Tier1", 5 => "Tier1OSR", 6 => "Tier0Instrumented", 7 => "Tier1Instrumented", _ => "?",
            };
            Compiled.Enqueue((start.Name, tier, (e.TimeStamp - start.Start).TotalMilliseconds, e.TimeStamp));
        }
    }
}
