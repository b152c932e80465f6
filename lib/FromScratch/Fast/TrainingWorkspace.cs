using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
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
/// <para>
/// Two ways of sharing the work between the cores keep each core's numbers in its own cache (bench/README.md,
/// "Issue 20, sixth session"). In a step, a big first layer Z¹ = W¹·X is cut along k, the inputs
/// (<see cref="FirstLayerInHalves"/>): each core copies its half of the batch's rows, multiplies it by its half of W¹'s
/// columns, and fetches the same rows of the next batch; these are the same halves of W¹ that each core updates and
/// whose gradient it computes. The evaluation over the whole set is cut by columns: each core runs the whole network
/// on its half of the samples (<see cref="EvaluationInHalves"/>). The numbers do not depend on whether the other core
/// took part (the halves are always added in the same way): tests compare both to the bit.
/// </para>
/// </remarks>
internal sealed partial class TrainingWorkspace
{
    private readonly Network network;
    private readonly Threading threading;
    private readonly Dictionary<int, BatchBuffers> buffers = [];
    private readonly Dictionary<int, BatchBuffers>[] halfBuffers = [[], []]; // the evaluation's, one set per half
    private FirstLayerInHalves? firstLayer;
    private EvaluationInHalves? evaluation;

    /// <param name="network">The network whose gradients and predictions this computes (it keeps no copy).</param>
    /// <param name="threading"><see cref="Threading.SingleThread"/> keeps all work on the calling thread (tests: the same bits).</param>
    public TrainingWorkspace(Network network, Threading threading = Threading.Auto)
    {
        ArgumentNullException.ThrowIfNull(network);
        this.network = network;
        this.threading = threading;
    }

    /// <summary>
    /// The buffers of every layer for a batch of m samples. Z and A are made at once; X, Y and Δ, which only a
    /// training step needs, by <see cref="ForTraining"/> (an evaluation's sets never make them), before any helper
    /// thread sees the set.
    /// </summary>
    private sealed class BatchBuffers
    {
        private readonly Network network;
        private readonly int m;
        private Matrix<double>? x, y;
        private Matrix<double>[]? delta;

        public BatchBuffers(Network network, int m)
        {
            this.network = network;
            this.m = m;
            Z = PerLayer();
            A = PerLayer();
        }

        private Matrix<double>[] PerLayer() => [.. network.Layers.Select(layer => Matrix<double>.Build.Dense(layer.Outputs, m))];

        /// <summary>The batch's features (n_0 × m) and labels (n_L × m), copied from the data set.</summary>
        public Matrix<double> X => x ?? throw NotForTraining();
        public Matrix<double> Y => y ?? throw NotForTraining();

        /// <summary>Z^[l], A^[l] = g(Z^[l]) and Δ^[l] (dA^[l], then dZ^[l]) of layer l (index l − 1).</summary>
        public Matrix<double>[] Z { get; }
        public Matrix<double>[] A { get; }
        public Matrix<double>[] Delta => delta ?? throw NotForTraining();

        /// <summary>Makes X, Y and Δ if they are not there yet; returns this set.</summary>
        public BatchBuffers ForTraining()
        {
            x ??= Matrix<double>.Build.Dense(network.Inputs, m);
            y ??= Matrix<double>.Build.Dense(network.Outputs, m);
            delta ??= PerLayer();
            return this;
        }

        private static InvalidOperationException NotForTraining() => new("This buffer set was made for an evaluation; call ForTraining() before a training step uses it.");

        /// <summary>The second core's part of Z¹ = W¹·X when it is cut along k (<see cref="FirstLayerInHalves"/>), made on first use.</summary>
        public Matrix<double>? SecondHalfZ { get; set; }
    }

    private BatchBuffers For(int m) => For(buffers, m);

    private BatchBuffers For(Dictionary<int, BatchBuffers> set, int m)
    {
        if (!set.TryGetValue(m, out var b))
        {
            b = new BatchBuffers(network, m);
            set[m] = b;
        }
        return b;
    }

    /// <summary>
    /// Forward, loss and backward for the samples <paramref name="indices"/> (columns of X and Y): fills every
    /// parameter's gradient and returns the batch's loss E before any update — the same as
    /// <c>network.ComputeGradients(X[:, indices], Y[:, indices], loss)</c>. <paramref name="next"/>, the next batch's
    /// samples if known, only tells the cores which columns of X to start fetching from memory.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double ComputeGradients(Matrix<double> x, Matrix<double> y, ReadOnlySpan<int> indices, Loss loss, ReadOnlySpan<int> next = default)
    {
        var b = For(indices.Length).ForTraining();
        CopyColumns(y, indices, b.Y);
        // (Cut or not by the shapes alone, never by whether the other core is free: the bits stay the same.)
        bool firstLayerDone = FirstLayerInHalves.Worth(network.Layers[0], indices.Length);
        if (firstLayerDone)
            (firstLayer ??= new FirstLayerInHalves()).Run(x, indices, next, network.Layers[0].W.Value, b, threading); // X, Z¹ = W¹·X
        else
            CopyColumns(x, indices, b.X);
        Forward(DenseView.Of(b.X), b, threading, firstLayerDone);
        var ŷ = b.A[^1];
        double e = loss.ValueOnStorage(ŷ, b.Y); // = loss.Value(ŷ, Y), read from the storage
        Backward(DenseView.Of(b.X), b, loss);
        return e;
    }

    /// <summary>
    /// Ŷ for every column of X, written into <paramref name="ŷ"/> (n_L × N): the network runs on pieces of
    /// <paramref name="chunk"/> columns, read from X without copying, through the reused buffers; on a big
    /// evaluation each core takes half of the columns (<see cref="EvaluationInHalves"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Predict(Matrix<double> x, int chunk, Matrix<double> ŷ)
    {
        if (threading == Threading.Auto && EvaluationInHalves.Worth(network.Layers[0], x.ColumnCount)) // (the same bits either way)
        {
            for (int half = 0; half < 2; half++) // every buffer set exists before the cores start
            {
                var (j0, j1) = EvaluationInHalves.Columns(x.ColumnCount, half);
                For(halfBuffers[half], Math.Min(chunk, j1 - j0));
                if ((j1 - j0) % chunk != 0) For(halfBuffers[half], (j1 - j0) % chunk);
            }
            (evaluation ??= new EvaluationInHalves(this)).Run(x, chunk, ŷ, halfBuffers);
            return;
        }
        PredictColumns(x, 0, x.ColumnCount, chunk, ŷ, buffers, threading);
    }

    /// <summary>Ŷ for columns <paramref name="j0"/>…<paramref name="j1"/>−1 of X, in pieces of <paramref name="chunk"/>, with the buffers of <paramref name="set"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PredictColumns(Matrix<double> x, int j0, int j1, int chunk, Matrix<double> ŷ, Dictionary<int, BatchBuffers> set, Threading threads)
    {
        int outputs = network.Outputs;
        double[] into = ColumnMajor.Storage(ŷ, nameof(ŷ));
        for (int start = j0; start < j1; start += chunk)
        {
            int count = Math.Min(chunk, j1 - start);
            var b = For(set, count);
            Forward(DenseView.OfColumns(x, start, count), b, threads);
            SpanArithmetic.Copy(ColumnMajor.Storage(b.A[^1]).AsSpan(0, outputs * count), into.AsSpan(start * outputs, outputs * count));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Forward(DenseView x, BatchBuffers b, Threading threads, bool firstLayerDone = false)
    {
        var layers = network.Layers;
        var aPrev = x;
        for (int l = 0; l < layers.Count; l++)
        {
            var layer = layers[l];
            if (l > 0 || !firstLayerDone)
                Gemm.Multiply(1, DenseView.Of(layer.W.Value), Op.Identity, aPrev, Op.Identity, 0, DenseView.Of(b.Z[l]), threads); // Z = W·A_prev
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
            Gemm.Multiply(1.0 / m, DenseView.Of(dZ), Op.Identity, aPrev, Op.Transpose, 0, DenseView.Of(layer.W.Gradient), threading); // dW = (1/m)·dZ·A_prevᵀ
            VectorKernels.RowSums(dZ, 1.0 / m, layer.B.Gradient);                                                        // db = (1/m)·Σ dZ
            if (l == 0) break; // the inputs need no gradient
            Gemm.Multiply(1, DenseView.Of(layer.W.Value), Op.Transpose, DenseView.Of(dZ), Op.Identity, 0, DenseView.Of(b.Delta[l - 1]), threading); // dA_prev = Wᵀ·dZ
            layers[l - 1].Activation.BackwardInPlace(b.Z[l - 1], b.A[l - 1], b.Delta[l - 1]);                                     // dZ_prev = g′ applied to dA_prev
        }
    }

    /// <summary>Batch copies split over the cores since the process started (for the tests).</summary>
    internal static long SplitCopies;

    /// <summary>First layers of a step (<see cref="FirstLayerInHalves"/>) and evaluations (<see cref="EvaluationInHalves"/>) handed to the helpers (for the tests).</summary>
    internal static long SharedFirstLayers, SharedEvaluations;

    /// <summary>The columns <paramref name="indices"/> of <paramref name="source"/>, in that order, into <paramref name="target"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void CopyColumns(Matrix<double> source, ReadOnlySpan<int> indices, Matrix<double> target)
    {
        int rows = source.RowCount;
        double[] from = ColumnMajor.Storage(source, nameof(source)), to = ColumnMajor.Storage(target, nameof(target));
        // A big batch (784 × 64) whose first layer is not cut along k (FirstLayerInHalves: a few units only) is read
        // from all over X, from memory: both cores fetch their half of the columns.
        fixed (int* chosen = indices)
        {
            if (threading == Threading.Auto && (long)rows * indices.Length >= VectorKernels.ParallelLength
                && ColumnGather.TryRun(from, rows, chosen, indices.Length, to))
            {
                Interlocked.Increment(ref SplitCopies);
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

    /// <summary>
    /// Z¹ = W¹·X for a batch, cut along k (the rows of X, the inputs) into two halves, one per core: core h copies
    /// rows K_h of the batch's columns of X into the batch buffer, computes P_h = W¹[:, K_h]·X[K_h, :] (P_0 into Z¹,
    /// P_1 into <see cref="BatchBuffers.SecondHalfZ"/>), then asks memory for rows K_h of the next batch's columns;
    /// the calling thread adds Z¹ = P_0 + P_1.
    /// </summary>
    /// <remarks>
    /// Why along k: the halves of W¹'s columns are the ones each core already holds. dW¹ = (1/m)·dZ¹·Xᵀ is cut by
    /// W¹'s columns (C is wide) and the SGD update by the halves of W¹'s storage, which are the same columns, so in a
    /// step each core reads and writes only its half of W¹ (400 KiB of 784-128-10's 784), and its half of the batch.
    /// Cut by rows of W¹ instead (as a tall product is), each core read half of the numbers the other had just
    /// written, and packed all of X. The next batch's rows are fetched here because the product is done and the rest
    /// of the step needs little memory: the copy of a batch from all over X waited 0.04 ms for memory, and 0.015 ms
    /// once the rows were fetched a step ahead. When the other core is busy, the caller computes both halves in turn:
    /// the same bits.
    /// </remarks>
    private sealed unsafe class FirstLayerInHalves : SlabWork
    {
        private double[] x = [];
        private int n0, m, nextCount;
        private int* chosen, next;
        private DenseView w;
        private BatchBuffers? b;

        /// <summary>Whether Z¹ is big enough to share (the threshold of a threaded product) and deep enough to cut.</summary>
        public static bool Worth(Dense first, int m) =>
            2L * first.Outputs * first.Inputs * m >= Gemm.ParallelThresholdFlops && first.Inputs >= 2 * Slab;

        /// <summary>The rows K_h of X (and columns of W¹) of half <paramref name="half"/>, cut at a multiple of 8.</summary>
        public static (int Start, int End) Rows(int n0, int half) => Range(n0, Slab, half, 2);

        private const int Slab = 8; // a cache line of W¹'s column, and the tile by which dW¹'s columns are shared

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(Matrix<double> x, ReadOnlySpan<int> indices, ReadOnlySpan<int> nextIndices, Matrix<double> w1,
            BatchBuffers batch, Threading threading)
        {
            batch.SecondHalfZ ??= Matrix<double>.Build.Dense(batch.Z[0].RowCount, batch.Z[0].ColumnCount);
            fixed (int* p = indices, q = nextIndices)
            {
                (this.x, n0, m, nextCount, w, b) = (ColumnMajor.Storage(x), x.RowCount, indices.Length, nextIndices.Length, DenseView.Of(w1), batch);
                chosen = p;
                next = q;
                try
                {
                    if (threading == Threading.Auto && GemmWorkers.TryRun(this, 2))
                        Interlocked.Increment(ref SharedFirstLayers);
                    else
                    {
                        Run(0, 2);
                        Run(1, 2);
                    }
                }
                finally
                {
                    (this.x, b) = ([], null);
                    chosen = next = null;
                }
            }
            SpanArithmetic.Add(ColumnMajor.Storage(batch.Z[0]), ColumnMajor.Storage(batch.SecondHalfZ), ColumnMajor.Storage(batch.Z[0])); // Z¹ = P_0 + P_1
        }

        /// <summary>Half <paramref name="half"/> (of 2, whatever <paramref name="parts"/> is): copy, product, fetch.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Run(int half, int parts)
        {
            var (r0, r1) = Rows(n0, half);
            int rows = r1 - r0;
            double[] batchX = ColumnMajor.Storage(b!.X);
            for (int j = 0; j < m; j++)                                                  // X[K_h, j] = X_data[K_h, chosen_j]
                SpanArithmetic.Copy(x.AsSpan(chosen[j] * n0 + r0, rows), batchX.AsSpan(j * n0 + r0, rows));
            var wHalf = new DenseView(w.Data, w.Offset + r0 * w.Stride, w.Rows, rows, w.Stride);  // W¹[:, K_h]
            var xHalf = new DenseView(batchX, r0, rows, m, n0);                                   // X[K_h, :]
            Gemm.Multiply(1, wHalf, Op.Identity, xHalf, Op.Identity, 0, DenseView.Of(half == 0 ? b.Z[0] : b.SecondHalfZ!), Threading.SingleThread);
            if (Sse.IsSupported)
                fixed (double* data = x)
                    for (int j = 0; j < nextCount; j++)                                  // X_data[K_h, next_j] on its way to this core's cache
                        for (double* line = data + (long)next[j] * n0 + r0, end = line + rows; line < end; line += 8)
                            Sse.Prefetch1(line);
        }
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
