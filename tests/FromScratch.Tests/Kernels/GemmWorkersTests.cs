using FromScratch.Kernels;
using MathNet.Numerics.LinearAlgebra;
using static FromScratch.Tests.TestMatrices;

namespace FromScratch.Tests.Kernels;

/// <summary>The helper threads: work handed to them is done once, completely, whoever computes which slab.</summary>
[Collection("Allocation")]
public class GemmWorkersTests
{
    /// <summary>Two slabs; each multiplies (both as big as a threaded product) and says that it ran.</summary>
    private sealed class SlabsThatMultiply(Matrix<double> a, Matrix<double> b, Matrix<double>[] c) : SlabWork
    {
        public readonly int[] Runs = new int[2];

        public override void Run(int part, int parts)
        {
            Gemm.Multiply(1, a, Op.Identity, b, Op.Identity, 0, c[part]); // Threading.Auto: would ask for the helpers
            Interlocked.Increment(ref Runs[part]);
        }
    }

    [Fact]
    public void A_slab_that_asks_for_the_helpers_again_computes_its_product_itself_and_no_slab_is_lost()
    {
        // The gate is reentrant: without a check, the calling thread's slab would publish its own product over the
        // work still being handed out, and the slab a late helper had not claimed yet would never run.
        var a = RandomMatrix(128, 784, seed: 51);
        var b = RandomMatrix(784, 64, seed: 52);
        Assert.True(2L * 128 * 784 * 64 >= Gemm.ParallelThresholdFlops, "the inner products should be big enough to share");
        var expected = Matrix<double>.Build.Dense(128, 64);
        Gemm.Multiply(1, a, Op.Identity, b, Op.Identity, 0, expected, Threading.SingleThread);
        for (int attempt = 0; attempt < 50; attempt++)
        {
            Thread.Sleep(2); // long enough for the helper to stop spinning and sleep: it wakes late, the usual case
            Matrix<double>[] c = [Matrix<double>.Build.Dense(128, 64, double.NaN), Matrix<double>.Build.Dense(128, 64, double.NaN)];
            var work = new SlabsThatMultiply(a, b, c);
            if (!GemmWorkers.TryRun(work, 2))
                continue; // another test's product held the helpers
            Assert.Equal([1, 1], work.Runs);
            Assert.Equal(expected.ToColumnMajorArray(), c[0].ToColumnMajorArray());
            Assert.Equal(expected.ToColumnMajorArray(), c[1].ToColumnMajorArray());
        }
    }
}
