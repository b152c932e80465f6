using FromScratch.Kernels;
using MathNet.Numerics.LinearAlgebra;

namespace FromScratch.Bench;

/// <summary>
/// Where one training step of 784-128-10 at batch 64 spends its time: each part on its own, 50 times a repetition,
/// on buffers of the step's shapes. The parts add up to about <c>alloc_per_training_step</c>; this is how the slow
/// ones were found (ReLU through a virtual call per entry, SGD through TensorPrimitives' non-temporal stores).
/// </summary>
public static class StepParts
{
    private const int Steps = 50;

    /// <summary>The parts, named <c>step_784-128-10_*</c>, plus the axpy comparison that explains the SGD update.</summary>
    public static IEnumerable<Workload> All(string repoRoot)
    {
        var build = Matrix<double>.Build;
        var rng = new Random(BenchData.Seed);
        Matrix<double> Random(int rows, int columns) => build.Dense(rows, columns, (_, _) => 2 * rng.NextDouble() - 1);
        var w1 = Random(128, 784); var x = Random(784, 64); var z1 = Random(128, 64); var a1 = build.Dense(128, 64);
        var dZ1 = Random(128, 64); var dW1 = build.Dense(128, 784); var b1 = Random(128, 1); var db1 = build.Dense(128, 1);
        var z2 = Random(10, 64); var a2 = build.Dense(10, 64);
        const double flops = 2.0 * 128 * 784 * 64;

        Workload Part(string name, string description, Action run, double flopsPerStep = 0) =>
            new($"step_784-128-10_{name}", description, () => new Step(run), flopsPerStep, Steps, Repetitions: 11, WarmUp: 2);

        yield return Part("z1", "Z¹ = W¹·X, (128×784)·(784×64), Gemm Auto", () => Gemm.Multiply(1, w1, Op.Identity, x, Op.Identity, 0, z1), flops);
        yield return Part("z1_single", "the same on one thread", () => Gemm.Multiply(1, w1, Op.Identity, x, Op.Identity, 0, z1, Threading.SingleThread), flops);
        yield return Part("dw1", "dW¹ = (1/m)·dZ¹·Xᵀ, (128×64)·(64×784), Gemm Auto", () => Gemm.Multiply(1.0 / 64, dZ1, Op.Identity, x, Op.Transpose, 0, dW1), flops);
        yield return Part("dw1_single", "the same on one thread", () => Gemm.Multiply(1.0 / 64, dZ1, Op.Identity, x, Op.Transpose, 0, dW1, Threading.SingleThread), flops);
        var w2 = Random(10, 128); var dZ2 = Random(10, 64); var dW2 = build.Dense(10, 128); var dA1 = build.Dense(128, 64);
        yield return Part("z2", "Z² = W²·A¹, (10×128)·(128×64)", () => Gemm.Multiply(1, w2, Op.Identity, a1, Op.Identity, 0, z2));
        yield return Part("dw2", "dW² = (1/m)·dZ²·A¹ᵀ, (10×64)·(64×128)", () => Gemm.Multiply(1.0 / 64, dZ2, Op.Identity, a1, Op.Transpose, 0, dW2));
        yield return Part("da1", "dA¹ = W²ᵀ·dZ², (128×10)·(10×64)", () => Gemm.Multiply(1, w2, Op.Transpose, dZ2, Op.Identity, 0, dA1));
        var y2 = build.Dense(10, 64, (i, j) => i == j % 10 ? 1 : 0);
        yield return Part("loss", "E = softmax cross-entropy of Ŷ (10×64), read from the storage as a step does", () => Loss.SoftmaxCrossEntropy.ValueOnStorage(a2, y2));
        yield return Part("loss_value", "the same through the public Loss.Value (the lesson's code: indexers)", () => Loss.SoftmaxCrossEntropy.Value(a2, y2));
        yield return Part("bias", "Z¹ + b¹ (128×64)", () => VectorKernels.AddBiasToColumns(z1, b1));
        yield return Part("relu_forward", "A¹ = ReLU(Z¹) (128×64)", () => Activation.ReLU.ForwardInto(z1, a1));
        yield return Part("relu_backward", "dZ¹ = dA¹ ⊙ ReLU′(Z¹) (128×64)", () => Activation.ReLU.BackwardInPlace(z1, a1, dZ1));
        yield return Part("softmax", "Ŷ = softmax(Z²) (10×64)", () => Activation.Softmax.ForwardInto(z2, a2));
        yield return Part("row_sums", "db¹ = (1/m)·Σ dZ¹ (128×64)", () => VectorKernels.RowSums(dZ1, 1.0 / 64, db1));
        var network = TrainingWorkloads.Network(TrainingWorkloads.Mnist);
        var sgd = new Sgd(1e-9);
        var parameters = network.Parameters;
        yield return Part("sgd", "θ ← θ − η·dθ for all 101,770 parameters (VectorKernels.Axpy)", () => sgd.Step(parameters));

        // The SGD update's kernel, and what it replaced: TensorPrimitives.MultiplyAdd on W¹'s 100,352 numbers.
        double[] dw = ColumnMajor.Storage(dW1), w = ColumnMajor.Storage(w1);
        yield return new Workload("axpy_100352_tensorprimitives", "w ← w + (−1e-9)·dw with TensorPrimitives.MultiplyAdd (784 KiB spans)",
            () => new Step(() => System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(dw, -1e-9, w, w)), 0, Steps, 11, 2);
        yield return new Workload("axpy_100352_vectorkernels", "the same with VectorKernels.Axpy (a plain Vector<double> loop)",
            () => new Step(() => VectorKernels.Axpy(-1e-9, dW1, w1)), 0, Steps, 11, 2);
    }
}
