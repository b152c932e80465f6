using MathNet.Numerics.LinearAlgebra;

// Lessons 1–3 (one named parameter) and 10 (every entry of a matrix): the numerical gradient check.
namespace FromScratch;

/// <summary>
/// The numerical gradient check: estimate ∂E/∂θ by nudging one parameter θ a little in both
/// directions and watching the loss E, then compare with the gradient that backpropagation computed.
/// </summary>
public static class GradientCheck
{
    /// <summary>
    /// Central difference (E(θ + h) − E(θ − h)) / 2h for one parameter. <paramref name="get"/> and
    /// <paramref name="set"/> read and write that parameter; it is restored before returning.
    /// The error of this estimate shrinks like h², so h = 1e-5 gives about 10 correct digits.
    /// </summary>
    public static double CentralDifference(Func<double> loss, Func<double> get, Action<double> set, double h = 1e-5)
    {
        Guard.Positive(h, nameof(h));
        double θ = get();
        set(θ + h);
        double plus = loss();
        set(θ - h);
        double minus = loss();
        set(θ);
        return (plus - minus) / (2 * h);
    }

    /// <summary>
    /// Relative error |a − n| / max(|a| + |n|, 1e-12) between an analytic gradient a and a numerical one n.
    /// Below 1e-7 the two agree; around 1e-2 or more, the backward pass has a bug.
    /// The finite difference itself carries rounding noise of about 1e-16·|E|/h ≈ 1e-11·|E|, so for a
    /// gradient that is itself close to zero compare the absolute difference instead.
    /// </summary>
    public static double RelativeError(double analytic, double numerical)
    {
        double scale = Math.Max(Math.Abs(analytic) + Math.Abs(numerical), 1e-12);
        return Math.Abs(analytic - numerical) / scale;
    }

    /// <summary>
    /// The largest <see cref="RelativeError"/> over every entry of one matrix θ: the analytic gradient
    /// <paramref name="analytic"/>[i, j] against the central difference of <paramref name="loss"/> in θ[i, j], entry
    /// after entry (column by column). θ is restored; <paramref name="analytic"/> must have θ's shape.
    /// </summary>
    /// <param name="loss">E, computed from the current values of θ.</param>
    /// <param name="θ">The matrix whose entries are nudged, e.g. a layer's W, or γ of a batch norm.</param>
    /// <param name="analytic">∂E/∂θ from the backward pass.</param>
    /// <param name="h">The nudge.</param>
    public static double MaxRelativeError(Func<double> loss, Matrix<double> θ, Matrix<double> analytic, double h = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(θ);
        ArgumentNullException.ThrowIfNull(analytic);
        Guard.SameShape(analytic, nameof(analytic), θ, nameof(θ));
        double worst = 0;
        for (int j = 0; j < θ.ColumnCount; j++)
        {
            Interruption.ThrowIfRequested();
            for (int i = 0; i < θ.RowCount; i++)
            {
                double numerical = CentralDifference(loss, () => θ[i, j], v => θ[i, j] = v, h);
                worst = Math.Max(worst, RelativeError(analytic[i, j], numerical));
            }
        }
        return worst;
    }
}
