using System.Diagnostics;

namespace FromScratch.Bench;

/// <summary>What one workload measured.</summary>
/// <param name="MedianMs">Median wall time of one repetition, in milliseconds.</param>
/// <param name="MinMs">Fastest repetition, in milliseconds.</param>
/// <param name="Gflops">Floating-point operations per second of the median repetition, in 10⁹ (null when not a flop count workload).</param>
/// <param name="AllocBytesPerStep">Bytes allocated (all threads) per step, after warm-up.</param>
/// <param name="Repetitions">How many timed repetitions.</param>
/// <param name="Extra">Workload-specific numbers (e.g. the final loss), written to the JSON as well.</param>
/// <param name="FirstMs">The first repetition of all, the first warm-up one: what a fresh process pays (JIT, buffers, threads).</param>
/// <param name="TimesMs">Every timed repetition, in the order they ran (for bimodal timings: which repetitions jump).</param>
/// <param name="FirstJitMs">Time the JIT spent compiling (all threads) during the first repetition.</param>
/// <param name="FirstJitMethods">Methods the JIT compiled during the first repetition.</param>
public sealed record Result(double MedianMs, double MinMs, double? Gflops, double AllocBytesPerStep, int Repetitions,
    IReadOnlyDictionary<string, double> Extra, double FirstMs, IReadOnlyList<double> TimesMs,
    double FirstJitMs = double.NaN, long FirstJitMethods = 0);

/// <summary>
/// One benchmark: <see cref="Setup"/> prepares data and buffers (not timed) and returns the step to time.
/// A repetition runs the step <see cref="StepsPerRepetition"/> times; allocation is reported per step.
/// </summary>
/// <param name="Name">Key in the JSON output, e.g. "gemm_64x784x128_fast".</param>
/// <param name="Description">One line for the console table.</param>
/// <param name="Setup">Builds the step (called once, untimed).</param>
/// <param name="FlopsPerStep">Floating-point operations of one step, for GFLOPS (0 = not reported).</param>
/// <param name="StepsPerRepetition">Steps per timed repetition.</param>
/// <param name="Repetitions">Timed repetitions (the median and minimum are over these).</param>
/// <param name="WarmUp">Untimed repetitions first (JIT tiering, packing buffers, caches).</param>
public sealed record Workload(string Name, string Description, Func<Step> Setup, double FlopsPerStep = 0,
    int StepsPerRepetition = 1, int Repetitions = 31, int WarmUp = 5);

/// <summary>The timed action, and optionally numbers to report once it has run (e.g. the final loss).</summary>
public sealed record Step(Action Run, Func<IReadOnlyDictionary<string, double>>? Report = null);

/// <summary>Warm up, then time N repetitions; report median and minimum, GFLOPS and allocated bytes.</summary>
public static class Harness
{
    /// <summary>When set (<c>--jit</c>), records what the JIT compiles during each workload's first repetition.</summary>
    public static JitLog? JitLog { get; set; }

    /// <summary>Runs one workload.</summary>
    public static Result Measure(Workload w)
    {
        Step step = w.Setup();
        double first = double.NaN, firstJit = double.NaN;
        long firstMethods = 0;
        for (int r = 0; r < w.WarmUp; r++)
        {
            TimeSpan jitBefore = System.Runtime.JitInfo.GetCompilationTime();
            long methodsBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (r == 0 && JitLog is not null) JitLog.Recording = true;
            long warmStart = Stopwatch.GetTimestamp();
            for (int s = 0; s < w.StepsPerRepetition; s++)
                step.Run();
            if (r == 0)
            {
                if (JitLog is not null && !JitLog.WholeRun) JitLog.Recording = false;
                first = Stopwatch.GetElapsedTime(warmStart).TotalMilliseconds;
                firstJit = (System.Runtime.JitInfo.GetCompilationTime() - jitBefore).TotalMilliseconds;
                firstMethods = System.Runtime.JitInfo.GetCompiledMethodCount() - methodsBefore;
            }
        }

        var times = new double[w.Repetitions];
        long allocated = 0;
        for (int r = 0; r < w.Repetitions; r++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            long start = Stopwatch.GetTimestamp();
            for (int s = 0; s < w.StepsPerRepetition; s++)
                step.Run();
            times[r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (JitLog is { WholeRun: true }) Console.WriteLine($"    repetition {r + 1} ended {DateTime.UtcNow:HH:mm:ss.fff}: {times[r]:F1} ms");
            allocated += GC.GetTotalAllocatedBytes(precise: true) - before;
        }
        double[] inOrder = (double[])times.Clone();
        Array.Sort(times);
        double median = times[times.Length / 2];
        double? gflops = w.FlopsPerStep > 0 ? w.FlopsPerStep * w.StepsPerRepetition / (median * 1e6) : null;
        var extra = step.Report?.Invoke() ?? new Dictionary<string, double>();
        return new Result(median, times[0], gflops, (double)allocated / (w.Repetitions * w.StepsPerRepetition), w.Repetitions, extra,
            first, inOrder, firstJit, firstMethods);
    }
}
