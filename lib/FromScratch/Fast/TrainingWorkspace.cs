using System.Runtime.CompilerServices;
using FromScratch.Kernels;
using MathNet.Numerics.LinearAlgebra;

namespace FromScratch;

/// <summary>
/// The fast training path of <see cref="Trainer"/>: the same mathematics as <see cref="Network.ComputeGradients"/>
/// (Dense.Forward / Dense.Backward, which stay the readable reference), computed into buffers that are allocated
/// once and reused, with the <see cref="Gemm"/> and <see cref="VectorKernels"/> kernels. After the first step of each
/// batch size nothing is allocated, so a training epoch puts no garbage on the heap.
/// </summary>
/// <remarks>
/// Per layer l and per batch size m there is one buffer set: Z^[l] and A^[l] (n_l × m) and Δ^[l] (n_l × m), which holds
/// dA^[l] and, after the activation's backward in place, dZ^[l]. The gradients dW and db are written straight into the
/// parameters' <see cref="Parameter.Gradient"/> matrices. The batch's X and Y are copied into buffers (the samples of a
/// shuffled batch are not next to each other); the evaluation over the whole set reads X's columns without copying.
/// A typical run has two batch sizes (B and the last, partial batch N mod B), hence two buffer sets.
/// The layers' <see cref="Dense.Cache"/> is not touched: call <see cref="Network.Forward"/> to fill it.
/// </remarks>
internal sealed class TrainingWorkspace
{
    private readonly Network network;
    private readonly Dictionary<int, BatchBuffers> buffers = [];

    public TrainingWorkspace(Network network)
    {
        ArgumentNullException.ThrowIfNull(network);
        this.network = network;
    }

    /// <summary>The buffers of every layer for a batch of m samples.</summary>
    private sealed class BatchBuffers
    {
        public BatchBuffers(Network network, int m)
        {
            int layers = network.Layers.Count;
            X = Matrix<double>.Build.Dense(network.Inputs, m);
            Y = Matrix<double>.Build.Dense(network.Outputs, m);
            Z = new Matrix<double>[layers];
            A = new Matrix<double>[layers];
            Delta = new Matrix<double>[layers];
            for (int l = 0; l < layers; l++)
            {
                int n = network.Layers[l].Outputs;
                Z[l] = Matrix<double>.Build.Dense(n, m);
                A[l] = Matrix<double>.Build.Dense(n, m);
                Delta[l] = Matrix<double>.Build.Dense(n, m);
            }
        }

        /// <summary>The batch's features (n_0 × m) and labels (n_L × m), copied from the data set.</summary>
        public Matrix<double> X { get; }
        public Matrix<double> Y { get; }

        /// <summary>Z^[l], A^[l] = g(Z^[l]) and Δ^[l] (dA^[l], then dZ^[l]) of layer l (index l − 1).</summary>
        public Matrix<double>[] Z { get; }
        public Matrix<double>[] A { get; }
        public Matrix<double>[] Delta { get; }
    }

    private BatchBuffers For(int m)
    {
        if (!buffers.TryGetValue(m, out var b))
        {
            b = new BatchBuffers(network, m);
            buffers[m] = b;
        }
        return b;
    }

    /// <summary>
    /// Forward, loss and backward for the samples <paramref name="indices"/> (columns of X and Y): fills every
    /// parameter's gradient and returns the batch's loss E before any update — the same as
    /// <c>network.ComputeGradients(X[:, indices], Y[:, indices], loss)</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double ComputeGradients(Matrix<double> x, Matrix<double> y, ReadOnlySpan<int> indices, Loss loss)
    {
        var b = For(indices.Length);
        CopyColumns(x, indices, b.X);
        CopyColumns(y, indices, b.Y);
        Forward(DenseView.Of(b.X), b);
        var ŷ = b.A[^1];
        double e = loss.ValueOnStorage(ŷ, b.Y); // = loss.Value(ŷ, Y), read from the storage
        Backward(DenseView.Of(b.X), b, loss);
        return e;
    }

    /// <summary>
    /// Ŷ for every column of X, written into <paramref name="ŷ"/> (n_L × N): the network runs on pieces of
    /// <paramref name="chunk"/> columns, read from X without copying, through the reused buffers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Predict(Matrix<double> x, int chunk, Matrix<double> ŷ)
    {
        int n = x.ColumnCount, outputs = network.Outputs;
        double[] into = ColumnMajor.Storage(ŷ, nameof(ŷ));
        for (int start = 0; start < n; start += chunk)
        {
            int count = Math.Min(chunk, n - start);
            var b = For(count);
            Forward(DenseView.OfColumns(x, start, count), b);
            SpanArithmetic.Copy(ColumnMajor.Storage(b.A[^1]).AsSpan(0, outputs * count), into.AsSpan(start * outputs, outputs * count));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Forward(DenseView x, BatchBuffers b)
    {
        var layers = network.Layers;
        var aPrev = x;
        for (int l = 0; l < layers.Count; l++)
        {
            var layer = layers[l];
            Gemm.Multiply(1, DenseView.Of(layer.W.Value), Op.Identity, aPrev, Op.Identity, 0, DenseView.Of(b.Z[l])); // Z = W·A_prev
            VectorKernels.AddBiasToColumns(b.Z[l], layer.B.Value);                                                 //   + b
            layer.Activation.ForwardInto(b.Z[l], b.A[l]);                                                          // A = g(Z)
            aPrev = DenseView.Of(b.A[l]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Backward(DenseView x, BatchBuffers b, Loss loss)
    {
        var layers = network.Layers;
        int last = layers.Count - 1;
        int m = x.Columns;
        var output = layers[last];
        // dZ^[L] = Ŷ − Y when the loss and output activation pair up, otherwise dA^[L] from the loss and g's backward.
        if (!loss.CombinedOutputGradientInto(output.Activation, b.A[last], b.Y, b.Delta[last]))
        {
            loss.GradientInto(b.A[last], b.Y, b.Delta[last]);
            output.Activation.BackwardInPlace(b.Z[last], b.A[last], b.Delta[last]);
        }
        for (int l = last; l >= 0; l--)
        {
            var layer = layers[l];
            var dZ = b.Delta[l];
            var aPrev = l == 0 ? x : DenseView.Of(b.A[l - 1]);
            Gemm.Multiply(1.0 / m, DenseView.Of(dZ), Op.Identity, aPrev, Op.Transpose, 0, DenseView.Of(layer.W.Gradient)); // dW = (1/m)·dZ·A_prevᵀ
            VectorKernels.RowSums(dZ, 1.0 / m, layer.B.Gradient);                                                        // db = (1/m)·Σ dZ
            if (l == 0) break; // the inputs need no gradient
            Gemm.Multiply(1, DenseView.Of(layer.W.Value), Op.Transpose, DenseView.Of(dZ), Op.Identity, 0, DenseView.Of(b.Delta[l - 1])); // dA_prev = Wᵀ·dZ
            layers[l - 1].Activation.BackwardInPlace(b.Z[l - 1], b.A[l - 1], b.Delta[l - 1]);                                     // dZ_prev = g′ applied to dA_prev
        }
    }

    /// <summary>Batch copies split over the cores since the process started (for the tests).</summary>
    internal static long SplitCopies;

    /// <summary>The columns <paramref name="indices"/> of <paramref name="source"/>, in that order, into <paramref name="target"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void CopyColumns(Matrix<double> source, ReadOnlySpan<int> indices, Matrix<double> target)
    {
        int rows = source.RowCount;
        double[] from = ColumnMajor.Storage(source, nameof(source)), to = ColumnMajor.Storage(target, nameof(target));
        // A big batch (784 × 64) is read from all over X, from memory: both cores fetch their half of the columns.
        fixed (int* chosen = indices)
        {
            if ((long)rows * indices.Length >= VectorKernels.ParallelLength
                && ColumnGather.TryRun(from, rows, chosen, indices.Length, to))
            {
                SplitCopies++;
                return;
            }
        }
        CopyColumns(from, rows, indices, to);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyColumns(double[] from, int rows, ReadOnlySpan<int> indices, Span<double> to)
    {
        for (int j = 0; j < indices.Length; j++)
            SpanArithmetic.Copy(from.AsSpan(indices[j] * rows, rows), to.Slice(j * rows, rows));
    }

    /// <summary>A batch copy cut into slabs of columns, for the helper threads (one holder per calling thread).</summary>
    private sealed unsafe class ColumnGather : SlabWork
    {
        [ThreadStatic] private static ColumnGather? mine;
        private double[] from = [], to = [];
        private int rows, count;
        private int* indices;

        public static bool TryRun(double[] from, int rows, int* indices, int count, double[] to)
        {
            var work = mine ??= new ColumnGather();
            (work.from, work.rows, work.count, work.to) = (from, rows, count, to);
            work.indices = indices;
            try
            {
                return GemmWorkers.TryRun(work, count);
            }
            finally
            {
                (work.from, work.to) = ([], []);
                work.indices = null;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Run(int part, int parts)
        {
            var (j0, j1) = Range(count, 1, part, parts);
            CopyColumns(from, rows, new ReadOnlySpan<int>(indices + j0, j1 - j0), to.AsSpan(j0 * rows, (j1 - j0) * rows));
        }
    }
}
