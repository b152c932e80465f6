using System.Runtime.CompilerServices;
using MathNet.Numerics.LinearAlgebra;

namespace FromScratch.Kernels;

/// <summary>
/// Matrix updates written into the matrix itself, for the optimizers (Optimizers/Optimizer.cs): a step changes θ and
/// the optimizer's state in place instead of building a new matrix per step, so a training step allocates nothing.
/// </summary>
internal static class InPlace
{
    /// <summary>target ← target + a·x, entry by entry (several entries at a time: <see cref="VectorKernels.Axpy"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddScaled(Matrix<double> target, double a, Matrix<double> x) => VectorKernels.Axpy(a, x, target);
}
