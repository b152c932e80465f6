#!/usr/bin/env python3
"""Run the benchmark's workloads with numpy (and PyTorch when importable: the GEMM and both MLPs, float64 and float32) on the data and starting weights
that bench/FromScratch.Bench wrote to out/bench/, and print them next to the C# results.

    dotnet run -c Release --project bench/FromScratch.Bench -- --json out/bench/csharp.json
    /usr/bin/python3 bench/compare.py [--out out/bench] [--csharp out/bench/csharp.json] [--json out/bench/python.json] [--only gemm,toy,mlp]

Every workload group is a function in WORKLOADS (gemm, toy, mlp) returning {"name": {"median_ms": ..., "gflops": ..., ...}}.
bench/interleaved.py alternates this script with the C# benchmark so both see the same machine load.
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time


OPENBLAS_VARIABLES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
GENERIC_CORES = {"prescott", "core2", "penryn", "dunnington", "nehalem", "atom", "katmai", "coppermine", "northwood",
                 "banias"}


def _probe(coretype, seconds=False):
    """OpenBLAS's core name in a fresh interpreter with OPENBLAS_CORETYPE=coretype (None: unset), and with seconds=True
    the median time of the benchmark's GEMM shape (64x784)(784x128) there. Both variables of the environment are left
    out of the probe: only the one named is set."""
    code = ("import ctypes, ctypes.util, sys\n"
            "lib = ctypes.CDLL(ctypes.util.find_library('openblas') or 'libopenblas.so.0')\n"
            "lib.openblas_get_corename.restype = ctypes.c_char_p\n"
            "name = lib.openblas_get_corename().decode()\n"
            "t = ''\n"
            "if len(sys.argv) > 1:\n"
            "    import numpy as np, time, statistics\n"
            "    a, b = np.random.default_rng(1).random((64, 784)), np.random.default_rng(2).random((784, 128))\n"
            "    c = np.empty((64, 128))\n"
            "    for _ in range(200): np.matmul(a, b, out=c)\n"
            "    ts = []\n"
            "    for _ in range(15):\n"
            "        s = time.perf_counter()\n"
            "        for _ in range(20): np.matmul(a, b, out=c)\n"
            "        ts.append((time.perf_counter() - s) / 20)\n"
            "    t = ' %r' % statistics.median(ts)\n"
            "print(name + t)")
    env = {k: v for k, v in os.environ.items() if k not in OPENBLAS_VARIABLES}
    if coretype:
        env["OPENBLAS_CORETYPE"] = coretype
    try:
        out = subprocess.run([sys.executable, "-c", code] + (["time"] if seconds else []), capture_output=True,
                             text=True, timeout=120, env=env).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return None, None
    if not out:
        return None, None
    return out[0], (float(out[1]) if len(out) > 1 else None)


def openblas_kernel():
    """Choose numpy's OpenBLAS kernel: the fastest one for this CPU, whatever the environment set. Returns a line
    that says which kernel numpy runs and why.

    OpenBLAS picks its kernels when it loads, from the CPU's model number, unless OPENBLAS_CORETYPE names one. Both
    ways can be wrong for a benchmark: Debian 12's OpenBLAS 0.3.21 predates Sapphire/Emerald Rapids and takes them for
    a 'Prescott' (2004, SSE3), and some machines set OPENBLAS_CORETYPE=Haswell (and OPENBLAS_L2_SIZE) for old builds'
    sake, which halves numpy's speed on an AVX-512 CPU. Either would flatter the C# side. So this measures the
    benchmark's GEMM shape in a fresh interpreter under OpenBLAS's own choice (both variables unset) and under each
    kernel the CPU's flags allow, and keeps the fastest; ties (within 3 %) go to OpenBLAS's own choice. Runs before
    numpy is imported here (OpenBLAS reads the variables when it loads); --keep-openblas-env skips it."""
    found = {k: os.environ[k] for k in OPENBLAS_VARIABLES if k in os.environ}
    if "--keep-openblas-env" in sys.argv:
        core, _ = _probe(os.environ.get("OPENBLAS_CORETYPE"))
        return f"{core or 'unknown (no OpenBLAS found)'} (kept from the environment: {found or 'nothing set'})"
    for k in OPENBLAS_VARIABLES:
        os.environ.pop(k, None)
    native, native_time = _probe(None, seconds=True)
    if native is None:
        return "unknown (no OpenBLAS found)"
    with open("/proc/cpuinfo") as f:
        flags = set(next((line.split(":", 1)[1].split() for line in f if line.startswith("flags")), []))
    candidates = []
    if {"avx512f", "avx512dq", "avx512bw", "avx512vl"} <= flags:
        candidates += ["SkylakeX", "Cooperlake"] if "avx512_bf16" in flags else ["SkylakeX"]
    if {"avx2", "fma"} <= flags:
        candidates += ["Haswell", "Zen"]
    timings = {f"{native} (OpenBLAS's own choice)": (None, native_time)}
    for name in candidates:
        core, seconds = _probe(name, seconds=True)
        if core and core.lower() != native.lower() and seconds:
            timings[core] = (name, seconds)
    best_label, (best_type, best_time) = min(timings.items(), key=lambda kv: kv[1][1])
    if best_type is not None and best_time > 0.97 * native_time:
        best_label, best_type, best_time = f"{native} (OpenBLAS's own choice)", None, native_time
    if best_type is not None:
        os.environ["OPENBLAS_CORETYPE"] = best_type
    measured = ", ".join(f"{label.split(' ')[0]} {t * 1e3:.3f} ms" for label, (_, t) in timings.items())
    why = (f"OPENBLAS_CORETYPE={best_type} set by compare.py" if best_type
           else "no OPENBLAS_CORETYPE") + f"; GEMM (64x784)(784x128) per kernel: {measured}"
    if native.lower() in GENERIC_CORES:
        why += f"; OpenBLAS alone took this CPU for a {native}"
    if found:
        why += f"; ignored from the environment: {found}"
    return f"{best_label.split(' ')[0]} ({why})"


OPENBLAS_KERNEL = openblas_kernel()

import numpy as np  # noqa: E402  (after the OpenBLAS kernel is chosen)

try:
    import torch  # optional
    torch.set_num_threads(os.cpu_count() or 1)  # Debian's build starts with one OpenMP thread; use every core, as we do
except ImportError:
    torch = None


# ---------------------------------------------------------------- data written by the C# side
class Data:
    """Arrays from out/bench/manifest.json: raw little-endian, column-major, one column per sample."""

    def __init__(self, out_dir):
        self.dir = out_dir
        path = os.path.join(out_dir, "manifest.json")
        if not os.path.exists(path):
            sys.exit(f"{path} not found: run the C# benchmark first (it writes the data and starting weights).")
        with open(path) as f:
            self.manifest = json.load(f)

    def __getitem__(self, name):
        entry = self.manifest["arrays"][name]
        flat = np.fromfile(os.path.join(self.dir, entry["file"]), dtype=entry["dtype"])
        expected = math.prod(entry["shape"])
        if flat.size != expected:
            raise ValueError(f"{entry['file']}: {flat.size} values, manifest says shape {entry['shape']} ({expected})")
        return flat.reshape(entry["shape"], order="F")


# ---------------------------------------------------------------- harness (same rules as the C# one)
def measure(step, repetitions=31, warm_up=5, steps_per_repetition=1, flops=0.0):
    first = None
    for w in range(warm_up):
        start = time.perf_counter()
        for _ in range(steps_per_repetition):
            step()
        if w == 0:
            first = (time.perf_counter() - start) * 1e3 / steps_per_repetition
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        for _ in range(steps_per_repetition):
            step()
        times.append((time.perf_counter() - start) * 1e3 / steps_per_repetition)
    median = statistics.median(times)
    result = {"median_ms": median, "min_ms": min(times), "repetitions": repetitions, "times_ms": times}
    if first is not None:
        result["first_ms"] = first
    if flops:
        result["gflops"] = flops / (median * 1e6)
    return result


# ---------------------------------------------------------------- workloads
def gemm(data):
    a, b = np.ascontiguousarray(data["gemm_a"]), np.ascontiguousarray(data["gemm_b"])
    m, k = a.shape
    n = b.shape[1]
    flops = 2.0 * m * n * k
    results = {}
    c = np.empty((m, n))
    results[f"gemm_{m}x{k}x{n}_numpy"] = measure(lambda: np.matmul(a, b, out=c), steps_per_repetition=10, flops=flops)
    c_path = os.path.join(data.dir, "gemm_c.f64")
    if os.path.exists(c_path):
        c_csharp = np.fromfile(c_path, dtype="<f8").reshape((m, n), order="F")
        scale = np.abs(a) @ np.abs(b)
        worst = float(np.max(np.abs(c_csharp - a @ b) / scale))
        results[f"gemm_{m}x{k}x{n}_numpy"]["max_rel_diff_vs_csharp"] = worst
    if torch is not None:
        ta, tb = torch.from_numpy(a), torch.from_numpy(b)
        tc = torch.empty((m, n), dtype=torch.float64)
        results[f"gemm_{m}x{k}x{n}_torch_f64"] = measure(lambda: torch.matmul(ta, tb, out=tc), steps_per_repetition=10, flops=flops)
    return results


def sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x))


def toy_python(x, y, w, epochs, eta):
    """The hand-written scalar loop of bench/FromScratch.Bench/ToyScalar.cs, line for line, in plain Python."""
    w31, w32, w41, w42, w53, w54, b3, b4, b5 = w
    samples = [(float(x[0, s]), float(x[1, s]), float(y[0, s])) for s in range(x.shape[1])]
    for _ in range(epochs):
        for x1, x2, ys in samples:
            h3 = sigmoid(w31 * x1 + w32 * x2 + b3)
            h4 = sigmoid(w41 * x1 + w42 * x2 + b4)
            yhat = sigmoid(w53 * h3 + w54 * h4 + b5)
            d5 = -2 * (ys - yhat) * yhat * (1 - yhat)
            d3 = d5 * w53 * h3 * (1 - h3)
            d4 = d5 * w54 * h4 * (1 - h4)
            w53 -= eta * d5 * h3; w54 -= eta * d5 * h4; b5 -= eta * d5
            w31 -= eta * d3 * x1; w32 -= eta * d3 * x2; b3 -= eta * d3
            w41 -= eta * d4 * x1; w42 -= eta * d4 * x2; b4 -= eta * d4
    loss = 0.0
    for x1, x2, ys in samples:
        h3 = sigmoid(w31 * x1 + w32 * x2 + b3)
        h4 = sigmoid(w41 * x1 + w42 * x2 + b4)
        e = ys - sigmoid(w53 * h3 + w54 * h4 + b5)
        loss += e * e
    return loss / len(samples)


def toy_numpy(x, y, w, epochs, eta):
    """The same network with numpy arrays (W1 2×2, W2 1×2), one sample at a time, as a numpy tutorial would write it."""
    W1 = np.array([[w[0], w[1]], [w[2], w[3]]]); b1 = np.array([w[6], w[7]])
    W2 = np.array([w[4], w[5]]); b2 = w[8]
    cols = [(x[:, s].copy(), float(y[0, s])) for s in range(x.shape[1])]
    for _ in range(epochs):
        for xs, ys in cols:
            h = 1.0 / (1.0 + np.exp(-(W1 @ xs + b1)))
            yhat = 1.0 / (1.0 + math.exp(-(W2 @ h + b2)))
            d5 = -2 * (ys - yhat) * yhat * (1 - yhat)
            dh = d5 * W2 * h * (1 - h)
            W2 = W2 - eta * d5 * h; b2 -= eta * d5
            W1 = W1 - eta * np.outer(dh, xs); b1 = b1 - eta * dh
    h = 1.0 / (1.0 + np.exp(-(W1 @ x + b1[:, None])))
    yhat = 1.0 / (1.0 + np.exp(-(W2 @ h + b2)))
    return float(np.mean((y[0] - yhat) ** 2))


TOY_EPOCHS = 100_000   # Workloads.ToyEpochs in the C# benchmark
TOY_ETA = 0.1          # Workloads.ToyLearningRate


def toy(data, epochs=TOY_EPOCHS):
    x, y, w = data["toy_x"], data["toy_y"], data["toy_init"][:, 0].tolist()
    results = {}
    for name, fn, reps in (("toy_2-2-1_python_scalar", toy_python, 3), ("toy_2-2-1_numpy", toy_numpy, 1)):
        loss = [None]

        def step():
            loss[0] = fn(x, y, w, epochs, TOY_ETA)
        results[name] = measure(step, repetitions=reps, warm_up=0)
        results[name]["final_loss"] = loss[0]
    return results


MLP_ETA = 0.1  # TrainingWorkloads.MlpLearningRate


def mlp_train(x, y, params, order, batch, eta):
    """ReLU hidden layer, softmax output, softmax cross-entropy, plain SGD, exactly as FromScratch's Trainer does it:
    for each batch (consecutive pieces of the C# sample order) forward, batch loss, backward (dZ2 = Ŷ − Y), update;
    after each epoch the loss over the whole set. One column per sample. Returns the final loss."""
    W1, b1, W2, b2 = (p.copy() for p in params)
    n = x.shape[1]
    for epoch in range(order.shape[1]):
        ord_ = order[:, epoch]
        for start in range(0, n, batch):
            idx = ord_[start:start + batch]
            xb, yb = x[:, idx], y[:, idx]
            m = idx.size
            z1 = W1 @ xb + b1                       # Z1 = W1·X + b1
            a1 = np.maximum(z1, 0.0)                # A1 = ReLU(Z1)
            z2 = W2 @ a1 + b2
            e = np.exp(z2 - z2.max(axis=0))         # softmax with the max shift
            a2 = e / e.sum(axis=0)
            loss = -np.sum(yb * np.log(np.maximum(a2, 1e-15))) / m  # the iteration loss the trainer records
            if not math.isfinite(loss):
                raise RuntimeError(f"loss {loss} at epoch {epoch + 1}")
            dz2 = a2 - yb                           # dZ2 = Ŷ − Y
            dW2 = dz2 @ a1.T / m; db2 = dz2.sum(axis=1, keepdims=True) / m
            dz1 = (W2.T @ dz2) * (z1 > 0)           # dZ1 = W2ᵀ·dZ2 ⊙ ReLU′(Z1)
            dW1 = dz1 @ xb.T / m; db1 = dz1.sum(axis=1, keepdims=True) / m
            W1 -= eta * dW1; b1 -= eta * db1; W2 -= eta * dW2; b2 -= eta * db2
        a1 = np.maximum(W1 @ x + b1, 0.0)           # epoch loss over the whole set
        z2 = W2 @ a1 + b2
        e = np.exp(z2 - z2.max(axis=0))
        a2 = e / e.sum(axis=0)
        final = float(-np.sum(y * np.log(np.maximum(a2, 1e-15))) / n)
    return final


def mlp_train_torch(x, y, params, order, batch, eta, dtype):
    """mlp_train in PyTorch tensors (same math, same batches; hand-written backward like ours, no autograd)."""
    x, y = torch.tensor(x, dtype=dtype), torch.tensor(y, dtype=dtype)
    W1, b1, W2, b2 = (torch.tensor(p, dtype=dtype) for p in params)   # copies: the updates below are in place
    order = torch.tensor(order, dtype=torch.long)
    n = x.shape[1]
    with torch.no_grad():
        for epoch in range(order.shape[1]):
            for start in range(0, n, batch):
                idx = order[start:start + batch, epoch]
                xb, yb = x[:, idx], y[:, idx]
                m = idx.numel()
                z1 = W1 @ xb + b1
                a1 = torch.clamp_min(z1, 0.0)
                z2 = W2 @ a1 + b2
                e = torch.exp(z2 - z2.amax(dim=0))
                a2 = e / e.sum(dim=0)
                loss = float(-(yb * torch.log(torch.clamp_min(a2, 1e-15))).sum() / m)
                if not math.isfinite(loss):
                    raise RuntimeError(f"loss {loss} at epoch {epoch + 1}")
                dz2 = a2 - yb
                dW2 = dz2 @ a1.T / m; db2 = dz2.sum(dim=1, keepdim=True) / m
                dz1 = (W2.T @ dz2) * (z1 > 0)
                dW1 = dz1 @ xb.T / m; db1 = dz1.sum(dim=1, keepdim=True) / m
                W1 -= eta * dW1; b1 -= eta * db1; W2 -= eta * dW2; b2 -= eta * db2
            a1 = torch.clamp_min(W1 @ x + b1, 0.0)
            z2 = W2 @ a1 + b2
            e = torch.exp(z2 - z2.amax(dim=0))
            a2 = e / e.sum(dim=0)
            final = float(-(y * torch.log(torch.clamp_min(a2, 1e-15))).sum() / n)
    return final


def mlp(data):
    results = {}
    for name, net, x, labels, reps in (
            ("mlp_digits_64-32-10_b32_10epochs", "64-32-10", lambda: data["digits_x"], lambda: data["digits_labels"], 21),
            ("mlp_784-128-10_b64_1epoch", "784-128-10", lambda: data["synthetic784_pixels"] / 255.0, lambda: data["synthetic784_labels"], 5)):
        key = f"order_{name}"
        if key not in data.manifest["arrays"]:
            print(f"{key} not in the manifest: rerun the C# benchmark"); continue
        X = np.asfortranarray(x())
        lab = labels()[0].astype(np.int64)
        Y = np.zeros((10, lab.size)); Y[lab, np.arange(lab.size)] = 1.0
        params = [data[f"init_{net}_{p}"] for p in ("W1", "b1", "W2", "b2")]
        order = data[key]
        batch = data.manifest["arrays"][key]["batch_size"]
        final = [None]

        def step():
            final[0] = mlp_train(X, Y, params, order, batch, MLP_ETA)
        results[f"{name}_numpy"] = measure(step, repetitions=reps, warm_up=1)
        results[f"{name}_numpy"]["final_loss"] = final[0]
        if torch is not None:
            for label, dtype in (("torch_f64", torch.float64), ("torch_f32", torch.float32)):
                def torch_step(dtype=dtype):
                    final[0] = mlp_train_torch(X, Y, params, order, batch, MLP_ETA, dtype)
                results[f"{name}_{label}"] = measure(torch_step, repetitions=reps, warm_up=1)
                results[f"{name}_{label}"]["final_loss"] = final[0]
    return results


WORKLOADS = [gemm, toy, mlp]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "out", "bench"))
    parser.add_argument("--csharp", help="the C# results (--json of FromScratch.Bench), printed side by side")
    parser.add_argument("--json", help="write the Python results here")
    parser.add_argument("--only", help="run only the workload groups (gemm, toy, mlp) named here, comma-separated")
    parser.add_argument("--allow-reference-blas", action="store_true",
                        help="measure even when numpy has no OpenBLAS (netlib's reference BLAS is ~10x slower)")
    parser.add_argument("--keep-openblas-env", action="store_true",
                        help="measure with OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE as the environment set them (default: the fastest kernel)")
    args = parser.parse_args()
    if OPENBLAS_KERNEL.startswith("unknown") and not args.allow_reference_blas:
        # Debian's python3-numpy links libblas.so.3, which is netlib's reference BLAS unless an optimized one is
        # installed: numpy is then ~10x slower on the GEMM, and any comparison flatters the C# side.
        sys.exit("numpy runs without OpenBLAS here (libblas.so.3 is the reference BLAS), so it is not numpy's best "
                 "baseline: apt-get install libopenblas0-pthread, or pass --allow-reference-blas")

    data = Data(os.path.normpath(args.out))
    print(f"numpy {np.__version__}, OpenBLAS kernel {OPENBLAS_KERNEL}"
          + (f", torch {torch.__version__} ({torch.get_num_threads()} threads)" if torch else ", torch not installed"))
    np.show_config() if os.environ.get("SHOW_BLAS") else None
    results = {}
    for workload in WORKLOADS:
        if args.only and not any(part.strip() in workload.__name__ for part in args.only.split(",")):
            continue
        results.update(workload(data))

    print(f"{'workload':<36} {'median ms':>10} {'min ms':>10} {'GFLOPS':>8}  notes")
    for name, r in results.items():
        notes = " ".join(f"{k}={v:.6g}" for k, v in r.items() if k not in ("median_ms", "min_ms", "gflops", "repetitions", "times_ms"))
        gflops = f"{r['gflops']:.1f}" if "gflops" in r else ""
        print(f"{name:<36} {r['median_ms']:>10.4f} {r['min_ms']:>10.4f} {gflops:>8}  {notes}")

    if args.csharp:
        with open(args.csharp) as f:
            cs = json.load(f)
        print("\nC# (same data, same starting weights):")
        for name, r in cs.items():
            gflops = f"{r['gflops']:.1f}" if r.get("gflops") else ""
            extra = f"final_loss={r['final_loss']:.6g}" if "final_loss" in r else ""
            print(f"{name:<44} {r['median_ms']:>10.4f} {gflops:>8}  alloc/step={r['alloc_bytes_per_step']:.0f} {extra}")
        if "toy_2-2-1_scalar" in cs and "toy_2-2-1_python_scalar" in results:
            diff = abs(cs["toy_2-2-1_scalar"]["final_loss"] - results["toy_2-2-1_python_scalar"]["final_loss"])
            print(f"toy final loss, C# vs Python: |difference| = {diff:.3g}")
        for name in ("mlp_digits_64-32-10_b32_10epochs", "mlp_784-128-10_b64_1epoch"):
            py = results.get(f"{name}_numpy", {}).get("final_loss")
            for path in ("fast", "reference"):
                c = cs.get(f"{name}_{path}", {}).get("final_loss")
                if py is not None and c is not None:
                    print(f"{name} final loss: C# {path} {c!r}, numpy {py!r}, |difference| = {abs(c - py):.3g}")

    if args.json:
        tmp = args.json + ".tmp"
        with open(tmp, "w") as f:
            json.dump({"_openblas_kernel": OPENBLAS_KERNEL, **results}, f, indent=2)
        os.replace(tmp, args.json)
        print(f"results written to {args.json}")


if __name__ == "__main__":
    main()
