using FromScratch.Kernels;
using MathNet.Numerics.LinearAlgebra;

namespace FromScratch.Bench;

/// <summary>
/// The list of workloads. Each group is one method returning <see cref="Workload"/>s: these kernels, then
/// <see cref="TrainingWorkloads"/> (toy library, digits 64-32-10, 784-128-10, allocation per step) and
/// <see cref="NotebookWorkloads"/> (first-cell latency, all lessons).
/// </summary>
public static class Workloads
{
    /// <summary>Toy network: epochs × 4 samples.</summary>
    public const int ToyEpochs = 100_000;

    /// <summary>Learning rate η of the toy network.</summary>
    public const double ToyLearningRate = 0.1;

    /// <summary>Every workload, in the order they run.</summary>
    public static IEnumerable<Workload> All(string outDir, string repoRoot) =>
        Toy().Concat(GemmLesson(outDir)).Concat(BackpropProducts()).Concat(TrainingWorkloads.All(repoRoot)).Concat(StepParts.All(repoRoot))
            .Concat(NotebookWorkloads.All(outDir, repoRoot));

    /// <summary>The hand-written scalar 2-2-1 baseline (phase 2 adds the library's ToyNetwork next to it).</summary>
    public static IEnumerable<Workload> Toy()
    {
        yield return new Workload("toy_2-2-1_scalar", $"toy 2-2-1, hand-written scalar C#, {ToyEpochs:N0} epochs × 4 samples",
            () =>
            {
                ToyScalar? net = null;
                return new Step(
                    () => { net = new ToyScalar(BenchData.ToyInitialWeights()); net.Train(BenchData.ToyX, BenchData.ToyY, ToyEpochs, ToyLearningRate); },
                    () => new Dictionary<string, double> { ["final_loss"] = net!.Loss(BenchData.ToyX, BenchData.ToyY) });
            }, Repetitions: 11, WarmUp: 2);
        yield return new Workload("toy_2-2-1_scalar_epoch_loss",
            "the same hand-written loop, also computing E over the four people after every epoch (the work ToyNetwork.Train does on top)",
            () =>
            {
                ToyScalar? net = null;
                var epochLoss = new double[ToyEpochs];
                return new Step(
                    () => { net = new ToyScalar(BenchData.ToyInitialWeights()); net.Train(BenchData.ToyX, BenchData.ToyY, ToyEpochs, ToyLearningRate, epochLoss); },
                    () => new Dictionary<string, double> { ["final_loss"] = epochLoss[^1] });
            }, Repetitions: 11, WarmUp: 2);
    }

    /// <summary>(64×784)·(784×128): reference loop, MathNet (operator and into a preallocated C), fast single/threaded/auto.</summary>
    public static IEnumerable<Workload> GemmLesson(string outDir)
    {
        const int m = 64, k = 784, n = 128;
        const double flops = 2.0 * m * n * k;
        string shape = $"{m}x{k}x{n}";
        (Matrix<double> A, Matrix<double> B, Matrix<double> C) Operands()
        {
            var (a, b) = BenchData.GemmOperands();
            return (a, b, Matrix<double>.Build.Dense(m, n));
        }

        yield return new Workload($"gemm_{shape}_reference", "GEMM (64×784)·(784×128), ReferenceGemm triple loop",
            () => { var (a, b, c) = Operands(); return new Step(() => ReferenceGemm.Multiply(1, a, Op.Identity, b, Op.Identity, 0, c)); },
            flops, Repetitions: 5, WarmUp: 1);
        yield return new Workload($"gemm_{shape}_mathnet_operator", "GEMM, MathNet C = A * B (allocates C)",
            () => { var (a, b, _) = Operands(); Matrix<double>? c = null; return new Step(() => c = a * b); }, flops);
        yield return new Workload($"gemm_{shape}_mathnet_into", "GEMM, MathNet A.Multiply(B, C) into preallocated C",
            () => { var (a, b, c) = Operands(); return new Step(() => a.Multiply(b, c)); }, flops);
        yield return new Workload($"gemm_{shape}_fast_single", "GEMM, Gemm.Multiply single thread",
            () => { var (a, b, c) = Operands(); return new Step(() => Gemm.Multiply(1, a, Op.Identity, b, Op.Identity, 0, c, Threading.SingleThread)); },
            flops, StepsPerRepetition: 10);
        // Each micro-kernel forced on one thread (those this CPU can run): what a machine whose default is another
        // kernel would see, e.g. the 128-bit kernel an ARM64 laptop runs, or the scalar one.
        foreach (var kernel in Enum.GetValues<Gemm.Kernel>().Where(Gemm.IsSupported))
            yield return new Workload($"gemm_{shape}_kernel_{kernel.ToString().ToLowerInvariant()}",
                $"GEMM, one thread, the {kernel} micro-kernel forced" + (kernel == Gemm.DefaultKernel ? " (this CPU's default)" : ""),
                () =>
                {
                    var (a, b, c) = Operands();
                    return new Step(() => Gemm.Multiply(1, DenseView.Of(a), Op.Identity, DenseView.Of(b), Op.Identity, 0, DenseView.Of(c),
                        Threading.SingleThread, kernel));
                },
                flops, StepsPerRepetition: kernel == Gemm.Kernel.Scalar ? 1 : 10);
        yield return new Workload($"gemm_{shape}_fast_threaded", "GEMM, Gemm.Multiply on all cores",
            () => { var (a, b, c) = Operands(); return new Step(() => Gemm.Multiply(1, a, Op.Identity, b, Op.Identity, 0, c, Threading.AllCores)); },
            flops, StepsPerRepetition: 10);
        yield return new Workload($"gemm_{shape}", "GEMM, Gemm.Multiply (Threading.Auto: what the library uses)",
            () =>
            {
                var (a, b, c) = Operands();
                return new Step(() => Gemm.Multiply(1, a, Op.Identity, b, Op.Identity, 0, c),
                    () =>
                    {
                        // Save the product so compare.py can check numpy computes the same numbers.
                        BenchData.WriteAtomically(Path.Combine(outDir, "gemm_c.f64"),
                            System.Runtime.InteropServices.MemoryMarshal.AsBytes(ColumnMajor.Storage(c).AsSpan()).ToArray());
                        return new Dictionary<string, double>();
                    });
            }, flops, StepsPerRepetition: 10);
    }

    /// <summary>
    /// The three products of one backprop step (Z = W·A_prev, dW = (1/m)·dZ·A_prevᵀ, dA_prev = Wᵀ·dZ) for every layer
    /// of 64-32-10 and 784-128-10 at batch sizes 32 and 64: the fast kernels (Threading.Auto) and MathNet operator code.
    /// </summary>
    public static IEnumerable<Workload> BackpropProducts()
    {
        foreach (int[] sizes in new[] { new[] { 64, 32, 10 }, new[] { 784, 128, 10 } })
        {
            foreach (int batch in new[] { 32, 64 })
            {
                string net = string.Join("-", sizes);
                double flops = 0;
                for (int l = 1; l < sizes.Length; l++)
                    flops += 3 * 2.0 * sizes[l] * sizes[l - 1] * batch; // three products of n_l·n_(l−1)·m multiply-adds
                foreach (bool fast in new[] { true, false })
                {
                    yield return new Workload($"backprop_products_{net}_b{batch}_{(fast ? "fast" : "mathnet")}",
                        $"the 3 backprop products of every layer of {net}, batch {batch}, {(fast ? "Gemm.Multiply" : "MathNet operators")}",
                        () => BackpropStep(sizes, batch, fast), flops, StepsPerRepetition: 20);
                }
            }
        }
    }

    private static Step BackpropStep(int[] sizes, int m, bool fast)
    {
        var rng = new Random(BenchData.Seed);
        Matrix<double> Random(int r, int c) => Matrix<double>.Build.Dense(r, c, (_, _) => 2 * rng.NextDouble() - 1);
        int L = sizes.Length - 1;
        var W = new Matrix<double>[L + 1];
        var A = new Matrix<double>[L + 1];
        var Z = new Matrix<double>[L + 1];
        var dZ = new Matrix<double>[L + 1];
        var dW = new Matrix<double>[L + 1];
        var dA = new Matrix<double>[L + 1];
        A[0] = Random(sizes[0], m);
        for (int l = 1; l <= L; l++)
        {
            W[l] = Random(sizes[l], sizes[l - 1]);
            A[l] = Random(sizes[l], m);
            Z[l] = Matrix<double>.Build.Dense(sizes[l], m);
            dZ[l] = Random(sizes[l], m);
            dW[l] = Matrix<double>.Build.Dense(sizes[l], sizes[l - 1]);
            dA[l - 1] = Matrix<double>.Build.Dense(sizes[l - 1], m);
        }
        if (fast)
            return new Step(() =>
            {
                for (int l = 1; l <= L; l++)
                    Gemm.Multiply(1, W[l], Op.Identity, A[l - 1], Op.Identity, 0, Z[l]);           // Z = W·A_prev
                for (int l = L; l >= 1; l--)
                {
                    Gemm.Multiply(1.0 / m, dZ[l], Op.Identity, A[l - 1], Op.Transpose, 0, dW[l]);  // dW = (1/m)·dZ·A_prevᵀ
                    Gemm.Multiply(1, W[l], Op.Transpose, dZ[l], Op.Identity, 0, dA[l - 1]);        // dA_prev = Wᵀ·dZ
                }
            });
        return new Step(() =>
        {
            for (int l = 1; l <= L; l++)
                Z[l] = W[l] * A[l - 1];
            for (int l = L; l >= 1; l--)
            {
                dW[l] = dZ[l] * A[l - 1].Transpose() / m;
                dA[l - 1] = W[l].Transpose() * dZ[l];
            }
        });
    }

    /// <summary>
    /// Threshold study (--sweep): for products of growing size, single thread vs all cores. The smallest size where
    /// all cores win clearly is the default of <see cref="Gemm.ParallelThresholdFlops"/>.
    /// </summary>
    public static IEnumerable<(string Label, double Flops, Workload Single, Workload Threaded)> ThresholdSweep()
    {
        var shapes = new List<(int M, int N, int K)>
        {
            (10, 32, 32), (32, 32, 64), (10, 64, 128), (32, 64, 64), (64, 64, 64), (128, 32, 64), (96, 96, 96),
            (128, 64, 128), (128, 128, 128), (64, 128, 784), (128, 64, 784), (128, 784, 64), (784, 64, 128), (192, 192, 192),
            (128, 256, 784), (256, 256, 256),
        };
        foreach (var (m, n, k) in shapes)
        {
            var rng = new Random(1);
            var a = Matrix<double>.Build.Dense(m, k, (_, _) => rng.NextDouble());
            var b = Matrix<double>.Build.Dense(k, n, (_, _) => rng.NextDouble());
            var c = Matrix<double>.Build.Dense(m, n);
            double flops = 2.0 * m * n * k;
            int steps = (int)Math.Clamp(2e7 / flops, 1, 2000);
            Workload Make(Threading t) => new($"{m}x{k}x{n}_{t}", "", () => new Step(() => Gemm.Multiply(1, a, Op.Identity, b, Op.Identity, 0, c, t)),
                flops, StepsPerRepetition: steps, Repetitions: 15, WarmUp: 3);
            yield return ($"({m}×{k})·({k}×{n})", flops, Make(Threading.SingleThread), Make(Threading.AllCores));
        }
    }
}
