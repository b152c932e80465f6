using MathNet.Numerics.LinearAlgebra;
using static FromScratch.Tests.TestMatrices;

namespace FromScratch.Tests.Training;

public class DataHelperTests
{
    private static (Matrix<double> X, Matrix<double> Y) Numbered(int n) =>
        (Matrix<double>.Build.Dense(2, n, (r, j) => r == 0 ? j : 100 + j), Matrix<double>.Build.Dense(1, n, (_, j) => j));

    [Fact]
    public void Shuffle_moves_X_and_Y_together_and_is_seeded()
    {
        var (x, y) = Numbered(20);
        var (xs, ys) = DataSplit.Shuffle(x, y, seed: 4);
        for (int j = 0; j < 20; j++)
        {
            Assert.Equal(ys[0, j], xs[0, j]);
            Assert.Equal(ys[0, j] + 100, xs[1, j]);
        }
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (double)i), ys.Row(0).OrderBy(v => v));
        Assert.True(BitIdentical(xs, DataSplit.Shuffle(x, y, 4).X));
        Assert.False(BitIdentical(xs, DataSplit.Shuffle(x, y, 5).X));
        Assert.False(BitIdentical(xs, x));
    }

    [Fact]
    public void Train_test_split_partitions_the_samples()
    {
        var (x, y) = Numbered(10);
        var split = DataSplit.TrainTest(x, y, testFraction: 0.3, seed: 1);
        Assert.Equal(7, split.XTrain.ColumnCount);
        Assert.Equal(3, split.XTest.ColumnCount);
        var all = split.YTrain.Row(0).Concat(split.YTest.Row(0)).OrderBy(v => v);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (double)i), all);
        Assert.All(Enumerable.Range(0, 3), j => Assert.Equal(split.YTest[0, j], split.XTest[0, j]));
        Assert.Contains("1.5", Assert.Throws<ArgumentOutOfRangeException>(() => DataSplit.TrainTest(x, y, 1.5, 0)).Message);
        var e = Assert.Throws<ArgumentException>(() => DataSplit.Shuffle(x, Matrix<double>.Build.Dense(1, 9), 0));
        Assert.Contains("2×10", e.Message);
        Assert.Contains("1×9", e.Message);
    }

    [Fact]
    public void Standardizer_learns_training_statistics()
    {
        var train = M(new double[,] { { 1, 2, 3, 6 }, { 10, 10, 20, 20 } });
        var s = new Standardizer().Fit(train);
        Assert.Equal(3.0, s.Mean[0]);
        Assert.Equal(15.0, s.Mean[1]);
        Assert.Equal(Math.Sqrt((4 + 1 + 0 + 9) / 4.0), s.StandardDeviation[0], 15); // population σ
        Assert.Equal(5.0, s.StandardDeviation[1]);
        var z = s.Transform(train);
        Assert.All(z.RowSums(), v => Assert.Equal(0.0, v, 12));
        Assert.All(z.EnumerateRows(), r => Assert.Equal(1.0, r.PointwiseMultiply(r).Sum() / 4, 12));
        Assert.True((s.InverseTransform(z) - train).Enumerate().All(v => Math.Abs(v) < 1e-12));

        var zeroMean = new Standardizer(StandardizationMode.ZeroMean).FitTransform(train);
        Assert.Equal(M(new double[,] { { -2, -1, 0, 3 }, { -5, -5, 5, 5 } }), zeroMean);
    }

    [Fact]
    public void Standardizer_applies_the_training_statistics_to_new_data()
    {
        var train = M(new double[,] { { 60, 70, 80 }, { 160, 170, 180 } });
        var s = new Standardizer().Fit(train);
        var newBatch = M(new double[,] { { 90, 100 }, { 190, 200 } });
        var t = s.Transform(newBatch);
        double σ = Math.Sqrt(200.0 / 3);
        Assert.Equal((90 - 70) / σ, t[0, 0], 14);
        Assert.Equal((200 - 170) / σ, t[1, 1], 14);
        Assert.Equal(70.0, s.Mean[0]);                        // fitting is not changed by Transform
        var own = new Standardizer().FitTransform(newBatch);  // the bug: the batch's own statistics
        Assert.NotEqual(own[0, 0], t[0, 0]);
        Assert.Equal(-1.0, own[0, 0], 14);
    }

    [Fact]
    public void A_zero_mean_standardizer_still_measures_the_standard_deviation_even_when_it_is_0()
    {
        // Lesson 4's exercise 4.1 checks a learner's μ and s against this, on a single person too.
        var one = new Standardizer(StandardizationMode.ZeroMean).Fit(M(new double[,] { { 89 }, { 190 } }));
        Assert.Equal([89.0, 190.0], one.Mean.ToArray());
        Assert.Equal([0.0, 0.0], one.StandardDeviation.ToArray());
        var mixed = new Standardizer(StandardizationMode.ZeroMean).Fit(M(new double[,] { { 5, 5, 5 }, { 1, 2, 6 } }));
        Assert.Equal(0.0, mixed.StandardDeviation[0]);
        Assert.Equal(Math.Sqrt((4 + 1 + 9) / 3.0), mixed.StandardDeviation[1], 15);
    }

    [Fact]
    public void Standardizer_errors_name_the_problem()
    {
        Assert.Throws<InvalidOperationException>(() => new Standardizer().Transform(M(new double[,] { { 1 } })));
        var constant = Assert.Throws<ArgumentException>(() => new Standardizer().Fit(M(new double[,] { { 1, 2 }, { 7, 7 } })));
        Assert.Contains("Feature 1", constant.Message);
        Assert.Contains("7", constant.Message);
        Assert.Contains("standard deviation is 0", constant.Message);
        new Standardizer(StandardizationMode.ZeroMean).Fit(M(new double[,] { { 1, 2 }, { 7, 7 } })); // fine without σ
        var rows = Assert.Throws<ArgumentException>(() => new Standardizer().Fit(M(new double[,] { { 1, 2 }, { 3, 5 } })).Transform(M(new double[,] { { 1, 2, 3 } })));
        Assert.Contains("1×3", rows.Message);
        Assert.Contains("2 features", rows.Message);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => new Standardizer().Fit(M(new double[,] { { 1, double.NaN } }))).Message);
    }

    [Theory]
    [InlineData(10, 3, 4)]
    [InlineData(10, 1, 10)]
    [InlineData(10, 10, 1)]
    [InlineData(10, 5, 2)]
    [InlineData(7, 6, 2)]
    public void Mini_batches_cover_every_sample_once_per_epoch(int n, int b, int expectedBatches)
    {
        var (x, y) = Numbered(n);
        var batches = new MiniBatches(x, y, b, seed: 3);
        Assert.Equal(expectedBatches, batches.BatchesPerEpoch);
        Assert.Equal((n + b - 1) / b, batches.BatchesPerEpoch);
        var orders = new List<int[]>();
        for (int epoch = 0; epoch < 3; epoch++)
        {
            var epochBatches = batches.NextEpoch();
            Assert.Equal(expectedBatches, epochBatches.Count);
            Assert.All(epochBatches.SkipLast(1), batch => Assert.Equal(b, batch.X.ColumnCount));
            Assert.Equal(n - (expectedBatches - 1) * b, epochBatches[^1].X.ColumnCount); // the partial batch is kept
            var seen = epochBatches.SelectMany(batch => batch.Indices).ToArray();
            Assert.Equal(Enumerable.Range(0, n), seen.OrderBy(i => i));
            foreach (var batch in epochBatches)
                for (int j = 0; j < batch.Indices.Count; j++)
                {
                    Assert.Equal(batch.Indices[j], batch.X[0, j]);
                    Assert.Equal(batch.Indices[j], batch.Y[0, j]);
                }
            orders.Add(seen);
        }
        if (n > 1) Assert.False(orders[0].SequenceEqual(orders[1]) && orders[1].SequenceEqual(orders[2]), "each epoch should reshuffle");
        var again = new MiniBatches(x, y, b, seed: 3).NextEpoch().SelectMany(batch => batch.Indices);
        Assert.Equal(orders[0], again);
    }

    [Theory]
    [InlineData(10, 3, 4, 1)]
    [InlineData(10, 1, 10, 1)]
    [InlineData(10, 10, 1, 10)]
    [InlineData(10, 5, 2, 5)]
    [InlineData(199, 16, 13, 7)]
    [InlineData(1, 1, 1, 1)]
    public void Slice_cuts_an_order_into_consecutive_batches_keeping_the_short_last_one(int n, int b, int count, int last)
    {
        int[] order = Enumerable.Range(0, n).Select(i => (i * 7 + 3) % n).ToArray(); // a permutation when gcd(7, n) = 1
        Assert.Equal(count, MiniBatches.CountPerEpoch(n, b));
        int[][] batches = MiniBatches.Slice(order, b);
        Assert.Equal(count, batches.Length);
        Assert.All(batches.SkipLast(1), batch => Assert.Equal(b, batch.Length));
        Assert.Equal(last, batches[^1].Length);
        Assert.Equal(order, batches.SelectMany(batch => batch));                 // in order, every entry once
        Assert.Empty(MiniBatches.Slice([], b));
        Assert.Throws<ArgumentOutOfRangeException>(() => MiniBatches.Slice(order, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => MiniBatches.CountPerEpoch(0, b));
    }

    [Fact]
    public void Next_epoch_is_its_order_sliced()
    {
        var (x, y) = Numbered(11);
        var epoch = new MiniBatches(x, y, 4, seed: 5).NextEpoch();
        int[] order = epoch.SelectMany(batch => batch.Indices).ToArray();
        Assert.Equal(MiniBatches.Slice(order, 4), epoch.Select(batch => batch.Indices.ToArray()));
    }

    [Fact]
    public void Mini_batches_reject_bad_sizes()
    {
        var (x, y) = Numbered(5);
        Assert.Contains("0", Assert.Throws<ArgumentOutOfRangeException>(() => new MiniBatches(x, y, 0, 0)).Message);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new MiniBatches(x, y, 6, 0));
        Assert.Contains("6", e.Message);
        Assert.Contains("N = 5", e.Message);
        var unshuffled = new MiniBatches(x, y, 2, 0, shuffle: false).NextEpoch();
        Assert.Equal([0, 1], unshuffled[0].Indices);
    }

    [Fact]
    public void One_hot_encodes_and_decodes()
    {
        var y = OneHot.Encode([2, 0, 1], 3);
        Assert.Equal(M(new double[,] { { 0, 1, 0 }, { 0, 0, 1 }, { 1, 0, 0 } }), y);
        Assert.Equal([2, 0, 1], OneHot.Decode(y));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => OneHot.Encode([0, 3], 3));
        Assert.Contains("Label 3", e.Message);
        Assert.Contains("sample 1", e.Message);
    }
}

public class StandardizerNewDataTests
{
    [Fact]
    public void Transform_refuses_NaN_in_new_data_instead_of_passing_it_on()
    {
        var s = new Standardizer().Fit(TestMatrices.M(new double[,] { { 1, 2, 3 }, { 4, 6, 8 } }));
        var e = Assert.Throws<ArgumentException>(() => s.Transform(TestMatrices.M(new double[,] { { 1, 2 }, { 5, double.NaN } })));
        Assert.Contains("feature 1", e.Message);
        Assert.Contains("sample 1", e.Message);
        Assert.Contains("NaN", e.Message);
    }
}
