using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Text.Json;
using FromScratch.Bench;
using FromScratch.Kernels;

// dotnet run -c Release --project bench/FromScratch.Bench -- [--json FILE] [--only TEXT[,TEXT…]] [--sweep] [--jit] [--out DIR] [--threshold FLOPS]
string? jsonPath = null, only = null;
bool sweep = false, jit = false;
string repoRoot = FindRepoRoot();
string outDir = Path.Combine(repoRoot, "out", "bench");
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--json" when i + 1 < args.Length: jsonPath = args[++i]; break;
        case "--only" when i + 1 < args.Length: only = args[++i]; break;
        case "--out" when i + 1 < args.Length: outDir = Path.GetFullPath(args[++i]); break;
        case "--sweep": sweep = true; break;
        case "--jit": jit = true; break;
        case "--threshold" when i + 1 < args.Length: Gemm.ParallelThresholdFlops = long.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: [--json FILE] [--only TEXT[,TEXT…]] [--sweep] [--jit] [--out DIR] [--threshold FLOPS]");
            return 2;
    }
}

Console.WriteLine($".NET {Environment.Version}, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
Console.WriteLine($"Vector256 accelerated {Vector256.IsHardwareAccelerated}, Vector512 accelerated {Vector512.IsHardwareAccelerated}, " +
                  $"Avx2 {Avx2.IsSupported}, Fma {Fma.IsSupported}, Avx512F {Avx512F.IsSupported}; GEMM kernel: {Gemm.KernelName}, " +
                  $"threads from {Gemm.ParallelThresholdFlops:N0} flops");

if (sweep)
{
    Console.WriteLine("median (min) time per product; speed-up = single / all cores, of the medians (of the minima); " +
                      "all cores with 1 slab per core (the default) and with 2");
    Console.WriteLine($"{"product",-24} {"MFLOP",8} {"1 thread ms",20} {"all cores ms",20} {"speed-up",14} {"2 slabs/core ms",20} {"speed-up",14}");
    foreach (var (label, flops, single, threaded) in Workloads.ThresholdSweep())
    {
        // Interleaved: single, threaded, threaded with 2 slabs per core, and again, so all three see the same load.
        var s = new List<Result>(); var t = new List<Result>(); var t2 = new List<Result>();
        for (int round = 0; round < 2; round++)
        {
            s.Add(Harness.Measure(single));
            t.Add(Harness.Measure(threaded));
            GemmWorkers.SlabsPerCore = 2;
            t2.Add(Harness.Measure(threaded));
            GemmWorkers.SlabsPerCore = 1;
        }
        int steps = single.StepsPerRepetition;
        double Med(List<Result> r) => r.Select(x => x.MedianMs).Min() / steps;   // the better round's median
        double Min(List<Result> r) => r.Select(x => x.MinMs).Min() / steps;
        Console.WriteLine($"{label,-24} {flops / 1e6,8:F3} {Med(s),10:F4} ({Min(s),7:F4}) {Med(t),10:F4} ({Min(t),7:F4}) " +
                          $"{Med(s) / Med(t),6:F2} ({Min(s) / Min(t),5:F2}) {Med(t2),10:F4} ({Min(t2),7:F4}) {Med(s) / Med(t2),6:F2} ({Min(s) / Min(t2),5:F2})");
    }
    return 0;
}

BenchData.WriteAll(outDir, repoRoot);
Console.WriteLine($"data and initial weights written to {outDir}");

using var jitLog = jit ? new JitLog { WholeRun = Environment.GetEnvironmentVariable("FROMSCRATCH_BENCH_JIT_ALL") == "1" } : null;
Harness.JitLog = jitLog;
var results = new Dictionary<string, Result>();
Console.WriteLine($"{"workload",-44} {"median ms",10} {"min ms",10} {"first ms",10} {"(JIT ms",8} {"methods)",8} {"GFLOPS",8} {"alloc B/step",13}");
foreach (var w in Workloads.All(outDir, repoRoot))
{
    if (only is not null && !only.Split(',').Any(o => w.Name.Contains(o.Trim(), StringComparison.OrdinalIgnoreCase)))
        continue;
    long handedOut = GemmWorkers.SlabsHandedOut, byHelpers = GemmWorkers.SlabsByHelpers;
    var r = Harness.Measure(w);
    handedOut = GemmWorkers.SlabsHandedOut - handedOut;
    if (handedOut > 0) // the share of a threaded workload's slabs the helper threads took (≈ 0.5 on two idle cores)
        r = r with { Extra = new Dictionary<string, double>(r.Extra) { ["helper_share"] = (double)(GemmWorkers.SlabsByHelpers - byHelpers) / handedOut } };
    results[w.Name] = r;
    double perStep = r.MedianMs / w.StepsPerRepetition;
    string extra = string.Join(" ", r.Extra.Select(kv => $"{kv.Key}={kv.Value:R}"));
    Console.WriteLine($"{w.Name,-44} {perStep,10:F4} {r.MinMs / w.StepsPerRepetition,10:F4} {r.FirstMs / w.StepsPerRepetition,10:F4} {r.FirstJitMs,8:F1} {r.FirstJitMethods,8} {r.Gflops?.ToString("F1") ?? "",8} {r.AllocBytesPerStep,13:N0} {extra}");
    if (jitLog is not null)
    {
        // --jit: what the first repetition compiled, by tier, and the slowest compilations.
        var compiled = jitLog.Compiled.ToArray();
        jitLog.Compiled.Clear();
        Console.WriteLine("    JIT in the first repetition: " + string.Join(", ", compiled.GroupBy(c => c.Tier)
            .Select(g => $"{g.Key} {g.Count()} methods {g.Sum(c => c.Ms):F1} ms")));
        Console.WriteLine("    by namespace: " + string.Join(", ", compiled.GroupBy(c => c.Method[..Math.Max(0, c.Method.LastIndexOf('.'))])
            .OrderByDescending(g => g.Sum(c => c.Ms)).Take(8).Select(g => $"{g.Key} {g.Count()}/{g.Sum(c => c.Ms):F1} ms")));
        foreach (var c in compiled.OrderByDescending(c => c.Ms).Take(12))
            Console.WriteLine($"    {c.Ms,7:F2} ms  {c.Tier,-17} {c.Method}");
        if (Environment.GetEnvironmentVariable("FROMSCRATCH_BENCH_JIT_ALL") == "1")
            foreach (var c in compiled)
                Console.WriteLine($"    all {c.At:HH:mm:ss.fff} {c.Ms,7:F2} ms  {c.Tier,-17} {c.Method}");
    }
}

if (jsonPath is not null)
{
    // { "workload": { "median_ms": …, "min_ms": …, "gflops": …, "alloc_bytes_per_step": …, … } }, times per step.
    var workloads = Workloads.All(outDir, repoRoot).Where(w => results.ContainsKey(w.Name)).ToDictionary(w => w.Name);
    var doc = results.ToDictionary(kv => kv.Key, kv =>
    {
        int steps = workloads[kv.Key].StepsPerRepetition;
        var entry = new Dictionary<string, object?>
        {
            ["median_ms"] = kv.Value.MedianMs / steps,
            ["min_ms"] = kv.Value.MinMs / steps,
            ["gflops"] = kv.Value.Gflops,
            ["alloc_bytes_per_step"] = kv.Value.AllocBytesPerStep,
            ["repetitions"] = kv.Value.Repetitions,
            ["first_ms"] = kv.Value.FirstMs / steps,
            ["times_ms"] = kv.Value.TimesMs.Select(t => t / steps).ToArray(),
            ["first_jit_ms"] = kv.Value.FirstJitMs, // the JIT's compile time during the first repetition (all steps of it)
            ["first_jit_methods"] = kv.Value.FirstJitMethods,
        };
        foreach (var (key, value) in kv.Value.Extra)
            entry[key] = value;
        return entry;
    });
    string full = Path.GetFullPath(jsonPath);
    Directory.CreateDirectory(Path.GetDirectoryName(full)!);
    BenchData.WriteAtomically(full, JsonSerializer.SerializeToUtf8Bytes(doc, new JsonSerializerOptions { WriteIndented = true }));
    Console.WriteLine($"results written to {full}");
}
return 0;

static string FindRepoRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "FromScratch.slnx")))
            return dir.FullName;
    return Directory.GetCurrentDirectory();
}
