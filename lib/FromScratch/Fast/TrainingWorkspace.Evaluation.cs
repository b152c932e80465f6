using System.Runtime.CompilerServices;
using FromScratch.Kernels;
using MathNet.Numerics.LinearAlgebra;

namespace FromScratch;

// The evaluation over a whole set, shared between the cores (TrainingWorkspace.Predict).
internal sealed partial class TrainingWorkspace
{
    /// <summary>
    /// Ŷ over a whole set, cut by columns: each core runs the whole network on its half of the samples, in pieces,
    /// with buffers of its own. Every column is computed the same way, so the numbers are the pass's on one core.
    /// </summary>
    /// <remarks>
    /// Instead of sharing each product of each piece: the small layers (Z² of 10 rows, the softmax) ran on one core
    /// while the other waited, and every piece cost two hand-offs. Over 784-128-10's 60,000 images the evaluation took
    /// about 160 ms before and 140 after (bench/README.md).
    /// </remarks>
    private sealed class EvaluationInHalves(TrainingWorkspace workspace) : SlabWork
    {
        private Matrix<double>? x, ŷ;
        private Dictionary<int, BatchBuffers>[] sets = [];
        private int chunk;

        /// <summary>Whether each half of the first layer's product over the set is at least a threaded product's worth.</summary>
        public static bool Worth(Dense first, int n) =>
            2L * first.Outputs * first.Inputs * n >= 2 * Gemm.ParallelThresholdFlops && n >= 16;

        /// <summary>The columns of half <paramref name="half"/>.</summary>
        public static (int Start, int End) Columns(int n, int half) => Range(n, 8, half, 2);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(Matrix<double> x, int chunk, Matrix<double> ŷ, Dictionary<int, BatchBuffers>[] sets)
        {
            (this.x, this.chunk, this.ŷ, this.sets) = (x, chunk, ŷ, sets);
            try
            {
                if (GemmWorkers.TryRun(this, 2))
                    Interlocked.Increment(ref SharedEvaluations);
                else
                {
                    Run(0, 2);
                    Run(1, 2);
                }
            }
            finally
            {
                (this.x, this.ŷ, this.sets) = (null, null, []);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Run(int half, int parts)
        {
            var (j0, j1) = Columns(x!.ColumnCount, half);
            workspace.PredictColumns(x, j0, j1, chunk, ŷ!, sets[half], Threading.SingleThread);
        }
    }
}
