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
    public int BatchesPerEpoch => (SampleCount + BatchSize - 1) / BatchSize;

    /// <summary>The batches of the next epoch, in a fresh order (every sample exactly once).</summary>
    public IReadOnlyList<MiniBatch> NextEpoch()
    {
        Interruption.ThrowIfRequested();
        var order = NextOrder().ToArray();
        var batches = new List<MiniBatch>(BatchesPerEpoch);
        for (int start = 0; start < SampleCount; start += BatchSize)
        {
            var indices = order[start..Math.Min(start + BatchSize, SampleCount)];
            batches.Add(new MiniBatch(DataSplit.Columns(x, indices), DataSplit.Columns(y, indices), indices));
        }
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
