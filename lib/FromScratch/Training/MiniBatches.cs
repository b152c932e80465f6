using MathNet.Numerics.LinearAlgebra;

// Lesson 6: mini-batches of B samples, ⌈N/B⌉ per epoch, seeded reshuffle.
namespace FromScratch;

/// <summary>One mini-batch: the columns <see cref="Indices"/> of X and Y.</summary>
/// <param name="X">Features of the batch, n_features × B.</param>
/// <param name="Y">Labels of the batch, n_outputs × B.</param>
/// <param name="Indices">Which samples (columns of the full data set) are in the batch.</param>
public sealed record MiniBatch(Matrix<double> X, Matrix<double> Y, IReadOnlyList<int> Indices);

/// <summary>
/// Cuts a data set (one column per sample) into mini-batches of size B, epoch after epoch. Each epoch reshuffles
/// the samples with one Random(<c>seed</c>) kept for the whole run, so a seed fixes every epoch's order.
/// An epoch has ⌈N/B⌉ batches; the last one keeps the leftover N mod B samples. B = N is batch gradient
/// descent, B = 1 is stochastic gradient descent.
/// </summary>
public sealed class MiniBatches
{
    private readonly Matrix<double> x;
    private readonly Matrix<double> y;
    private readonly Random random;
    private readonly int[] order;

    /// <summary>Mini-batches of <paramref name="batchSize"/> (1 … N) samples of (X, Y); shuffled each epoch unless <paramref name="shuffle"/> is false.</summary>
    public MiniBatches(Matrix<double> x, Matrix<double> y, int batchSize, int seed, bool shuffle = true)
    {
        DataSplit.CheckSameSamples(x, y);
        Guard.AtLeastOne(batchSize, nameof(batchSize));
        if (batchSize > x.ColumnCount)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"batchSize must be at most the number of samples N = {x.ColumnCount}, but was {batchSize}.");
        this.x = x;
        this.y = y;
        BatchSize = batchSize;
        Shuffle = shuffle;
        random = RandomNumbers.Create(seed);
        order = new int[x.ColumnCount];
    }

    /// <summary>The batch size B.</summary>
    public int BatchSize { get; }

    /// <summary>Whether each epoch draws a new order.</summary>
    public bool Shuffle { get; }

    /// <summary>The number of samples N.</summary>
    public int SampleCount => x.ColumnCount;

    /// <summary>Batches per epoch, ⌈N/B⌉ (= updates per epoch).</summary>
    public int BatchesPerEpoch => CountPerEpoch(SampleCount, BatchSize);

    /// <summary>The number of batches (= updates) in an epoch of <paramref name="sampleCount"/> samples in batches of <paramref name="batchSize"/>: ⌈N/B⌉.</summary>
    public static int CountPerEpoch(int sampleCount, int batchSize)
    {
        Guard.AtLeastOne(sampleCount, nameof(sampleCount));
        Guard.AtLeastOne(batchSize, nameof(batchSize));
        return (sampleCount + batchSize - 1) / batchSize; // ⌈N/B⌉ in whole numbers
    }

    /// <summary>
    /// Cuts an epoch's sample order into batches: consecutive pieces of <paramref name="batchSize"/> entries of
    /// <paramref name="order"/>, the last one holding what is left (N − (⌈N/B⌉ − 1)·B samples). This is how
    /// <see cref="NextEpoch"/> cuts its shuffled order.
    /// </summary>
    public static int[][] Slice(IReadOnlyList<int> order, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(order);
        Guard.AtLeastOne(batchSize, nameof(batchSize));
        var batches = new int[order.Count == 0 ? 0 : CountPerEpoch(order.Count, batchSize)][];
        for (int k = 0; k < batches.Length; k++)
        {
            int start = k * batchSize, end = Math.Min(start + batchSize, order.Count);
            batches[k] = new int[end - start];
            for (int j = start; j < end; j++) batches[k][j - start] = order[j];
        }
        return batches;
    }

    /// <summary>The batches of the next epoch, in a fresh order (every sample exactly once).</summary>
    public IReadOnlyList<MiniBatch> NextEpoch()
    {
        Interruption.ThrowIfRequested();
        var batches = new List<MiniBatch>(BatchesPerEpoch);
        foreach (int[] indices in Slice(NextOrder().ToArray(), BatchSize))
            batches.Add(new MiniBatch(DataSplit.Columns(x, indices), DataSplit.Columns(y, indices), indices));
        return batches;
    }

    /// <summary>
    /// The sample order of the next epoch (the batches are its consecutive pieces of <see cref="BatchSize"/>), in an array
    /// this object reuses: the same order <see cref="NextEpoch"/> would have produced, without allocating.
    /// </summary>
    internal ReadOnlySpan<int> NextOrder()
    {
        if (Shuffle)
            RandomNumbers.Permute(random, order);
        else
            for (int i = 0; i < order.Length; i++) order[i] = i;
        return order;
    }
}
