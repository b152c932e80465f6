using System.Runtime.CompilerServices;
using FromScratch.Kernels;

// The fast path of the optimizers (Optimizers/Optimizer.cs has the math): RMSprop's and Adam's per-number formulas
// (RmsProp.StepOf, Adam.StepOf) applied to MathNet's storage directly instead of through the m[r, c] indexer, and
// compiled optimized from the first call. The same operations in the same order: the same bits (FastPathTests).
namespace FromScratch;

public abstract partial class Optimizer
{
    /// <summary><see cref="Step(IEnumerable{Parameter})"/> for the Trainer's fast path: every parameter through <see cref="UpdateOnStorage"/>.</summary>
    internal void StepOnStorage(IReadOnlyList<Parameter> parameters)
    {
        for (int i = 0; i < parameters.Count; i++) UpdateOnStorage(parameters[i]);
    }

    /// <summary>The update of <see cref="Update"/>, for dense matrices; an optimizer of a learner's own keeps its Update.</summary>
    internal virtual void UpdateOnStorage(Parameter p) => Update(p);
}

public sealed partial class RmsProp
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override void UpdateOnStorage(Parameter p)
    {
        Span<double> s = ColumnMajor.Storage(OptimizerState.For(squares, p).Value, "s");
        Span<double> θ = ColumnMajor.Storage(p.Value, p.Name);
        ReadOnlySpan<double> dθ = ColumnMajor.Storage(p.Gradient, "d" + p.Name);
        double η = LearningRate, β = Beta, ε = Epsilon;
        for (int i = 0; i < θ.Length; i++)
        {
            s[i] = β * s[i] + (1 - β) * dθ[i] * dθ[i];       // s = β·s + (1 − β)·dθ²
            θ[i] = θ[i] - η * dθ[i] / (Math.Sqrt(s[i]) + ε); // θ = θ − η·dθ/(√s + ε)
        }
    }
}

public sealed partial class Adam
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override void UpdateOnStorage(Parameter p)
    {
        if (!state.TryGetValue(p, out var st))
        {
            st = (new OptimizerState(p), new OptimizerState(p));
            state[p] = st;
        }
        int t = ++st.V.Steps;
        VectorKernels.AdamStep(p.Value, p.Gradient, st.V.Value, st.S.Value, LearningRate, Beta1, Beta2, Epsilon, t);
    }
}
