#!/usr/bin/env python3
"""Run the C# benchmark and compare.py alternately (C# numpy C# numpy ...), so both see the same machine load,
and print one table: per workload the median of the rounds' medians and the best repetition of all rounds.

    /usr/bin/python3 bench/interleaved.py --rounds 3 [--csharp-only gemm,mlp_784] [--python-only gemm,mlp]
                                          [--baseline ../other-checkout]

Each round is one `dotnet FromScratch.Bench.dll --only ... --json out/bench/rounds/csharp-<i>.json` and one
`compare.py --only ... --json out/bench/rounds/python-<i>.json`; `uptime`'s load average is recorded before every
process. Build the benchmark first: `dotnet build -c Release bench/FromScratch.Bench` (and tools/Notebooks for the
notebook workloads). The summary goes to out/bench/interleaved.json.

--baseline DIR adds a third process to every round: the benchmark built in another checkout DIR (e.g. a worktree of
an older commit: `git worktree add --detach ../before COMMIT`, then build its benchmark the same way), listed as side
"before", so a change's before/after table comes from one run on one machine load.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, ".."))
OUT = os.path.join(ROOT, "out", "bench")
BENCH_DLL = os.path.join(HERE, "FromScratch.Bench", "bin", "Release", "net10.0", "FromScratch.Bench.dll")


def load_average():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def run(command):
    load = load_average()
    print(f"[load {load:.2f}] {' '.join(command)}", flush=True)
    completed = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if completed.returncode != 0:
        sys.exit(f"{command[0]} failed ({completed.returncode}):\n{completed.stdout}")
    return load


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--csharp-only", default="gemm_64x784x128_fast,gemm_64x784x128_mathnet_into,gemm_64x784x128,mlp_digits_64-32-10_b32_10epochs_fast,"
                                "mlp_784-128-10_b64_1epoch_fast,toy_2-2-1,alloc_per_training_step",
                        help="comma-separated name parts for FromScratch.Bench --only")
    parser.add_argument("--python-only", default="gemm,mlp", help="compare.py --only (workload groups: gemm, toy, mlp)")
    parser.add_argument("--skip-reference", action="store_true", help="leave out the slow *_reference MLP workloads")
    parser.add_argument("--baseline", help="another checkout whose built benchmark runs too, every round (side 'before')")
    args = parser.parse_args()
    if not os.path.exists(BENCH_DLL):
        sys.exit(f"{BENCH_DLL} not found: dotnet build -c Release bench/FromScratch.Bench")
    baseline_dll = None
    if args.baseline:
        baseline_dll = os.path.join(os.path.abspath(args.baseline), "bench", "FromScratch.Bench", "bin", "Release", "net10.0",
                                    "FromScratch.Bench.dll")
        if not os.path.exists(baseline_dll):
            sys.exit(f"{baseline_dll} not found: build the baseline's benchmark (dotnet build -c Release bench/FromScratch.Bench there)")

    rounds_dir = os.path.join(OUT, "rounds")
    os.makedirs(rounds_dir, exist_ok=True)
    per_workload = {}   # name -> {"side": ..., "medians": [...], "mins": [...], "extra": {...}}
    loads = []
    kernels = []  # numpy's OpenBLAS kernel, per round (compare.py chooses it anew in every process)
    for i in range(args.rounds):
        cs_json = os.path.join(rounds_dir, f"csharp-{i}.json")
        py_json = os.path.join(rounds_dir, f"python-{i}.json")
        base_json = os.path.join(rounds_dir, f"before-{i}.json")
        if baseline_dll:
            loads.append(run(["dotnet", baseline_dll, "--only", args.csharp_only, "--json", base_json,
                              "--out", os.path.join(rounds_dir, "before-data")]))
        loads.append(run(["dotnet", BENCH_DLL, "--only", args.csharp_only, "--json", cs_json]))
        py = [sys.executable, os.path.join(HERE, "compare.py"), "--json", py_json]
        if args.python_only:
            py += ["--only", args.python_only]
        loads.append(run(py))
        sides = (("before", base_json),) if baseline_dll else ()
        for side, path in sides + (("C#", cs_json), ("numpy", py_json)):
            with open(path) as f:
                for name, r in json.load(f).items():
                    if side == "before":
                        name = f"{name} (before)"
                    if name == "_openblas_kernel":
                        kernels.append(r)
                        continue
                    if args.skip_reference and name.endswith("_reference"):
                        continue
                    entry = per_workload.setdefault(name, {"side": side, "medians": [], "mins": [], "firsts": [],
                                                               "times": [], "extra": {}})
                    entry["medians"].append(r["median_ms"])
                    entry["mins"].append(r["min_ms"])
                    if "first_ms" in r:
                        entry["firsts"].append(r["first_ms"])
                    if "times_ms" in r:
                        entry["times"].append(r["times_ms"])
                    for k, v in r.items():
                        if k not in ("median_ms", "min_ms", "gflops", "repetitions", "first_ms", "times_ms"):
                            entry["extra"][k] = v

    summary = {"rounds": args.rounds, "baseline": os.path.abspath(args.baseline) if args.baseline else None, "load_average_before_each_process": loads, "openblas_kernel_per_round": kernels,
               "workloads": {}}
    print(f"\n{args.rounds} rounds, load average {min(loads):.2f}–{max(loads):.2f} (before each process)")
    for i, kernel in enumerate(kernels):
        print(f"round {i + 1}: numpy's OpenBLAS kernel {kernel}")
    print(f"{'workload':<50} {'side':<6} {'median ms':>11} {'best ms':>11}  notes")
    for name, e in sorted(per_workload.items()):
        median, best = statistics.median(e["medians"]), min(e["mins"])
        summary["workloads"][name] = {"side": e["side"], "median_ms": median, "min_ms": best,
                                      "round_medians_ms": e["medians"], "round_first_ms": e["firsts"],
                                      "round_times_ms": e["times"], **e["extra"]}
        notes = " ".join(f"{k}={v:.6g}" for k, v in e["extra"].items() if isinstance(v, (int, float)))
        if e["firsts"]:
            notes = f"first(cold)={statistics.median(e['firsts']):.4g} " + notes
        print(f"{name:<50} {e['side']:<6} {median:>11.4f} {best:>11.4f}  {notes}")
    path = os.path.join(OUT, "interleaved.json")
    with open(path + ".tmp", "w") as f:
        json.dump(summary, f, indent=2)
    os.replace(path + ".tmp", path)
    print(f"summary written to {path}")


if __name__ == "__main__":
    main()
