using MathNet.Numerics.LinearAlgebra;

// Lessons 11–12: every entry of every parameter (or of one matrix) against (E(θ + h) − E(θ − h)) / 2h.
namespace FromScratch;

/// <summary>The check of one parameter matrix: its worst entry.</summary>
/// <param name="Name">The parameter's name, e.g. "W2".</param>
/// <param name="MaxRelativeError">The largest relative error |a − n| / (|a| + |n|) over its entries.</param>
/// <param name="MaxAbsoluteError">The largest |a − n| over its entries.</param>
/// <param name="WorstRow">Row of the entry with the largest relative error.</param>
/// <param name="WorstColumn">Column of the entry with the largest relative error.</param>
public sealed record ParameterCheck(string Name, double MaxRelativeError, double MaxAbsoluteError, int WorstRow, int WorstColumn);

/// <summary>The result of checking a whole network's backpropagation against finite differences.</summary>
/// <param name="MaxRelativeError">The largest relative error over every entry of every parameter.</param>
/// <param name="Parameters">The detail for each parameter, in network order.</param>
public sealed record GradientCheckReport(double MaxRelativeError, IReadOnlyList<ParameterCheck> Parameters)
{
    /// <summary>True when <see cref="MaxRelativeError"/> is below <paramref name="tolerance"/> (1e-7 by default).</summary>
    public bool Passed(double tolerance = 1e-7) => MaxRelativeError < tolerance;

    /// <inheritdoc/>
    public override string ToString() =>
        $"max relative error {MaxRelativeError:E2}; " + string.Join(", ", Parameters.Select(p => $"{p.Name}: {p.MaxRelativeError:E2}"));
}

/// <summary>Gradient check over a whole <see cref="Network"/>.</summary>
public static class NetworkGradientCheck
{
    /// <summary>
    /// Runs backpropagation once on (X, Y), then nudges every entry θ of every parameter by ±h and compares
    /// ∂E/∂θ with the central difference (<see cref="GradientCheck.CentralDifference"/>). Parameters are
    /// restored. Returns the maximum relative error and the detail per parameter.
    /// </summary>
    public static GradientCheckReport Run(Network network, Matrix<double> x, Matrix<double> y, Loss loss, double h = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(network);
        network.ComputeGradients(x, y, loss);
        var checks = new List<ParameterCheck>();
        foreach (var p in network.Parameters)
        {
            var analytic = p.Gradient.Clone(); // the numerical loop runs Forward again, but never Backward
            double maxRel = 0, maxAbs = 0;
            int worstRow = 0, worstColumn = 0;
            for (int r = 0; r < p.Rows; r++)
                for (int c = 0; c < p.Columns; c++)
                {
                    Interruption.ThrowIfRequested();
                    int row = r, column = c;
                    double numerical = GradientCheck.CentralDifference(
                        () => network.Loss(x, y, loss),
                        () => p.Value[row, column],
                        v => p.Value[row, column] = v,
                        h);
                    double rel = GradientCheck.RelativeError(analytic[r, c], numerical);
                    if (double.IsNaN(rel)) rel = double.PositiveInfinity; // a NaN gradient must fail the check, not hide
                    double abs = Math.Abs(analytic[r, c] - numerical);
                    maxAbs = double.IsNaN(abs) ? double.PositiveInfinity : Math.Max(maxAbs, abs);
                    if (rel > maxRel) { maxRel = rel; worstRow = r; worstColumn = c; }
                }
            checks.Add(new ParameterCheck(p.Name, maxRel, maxAbs, worstRow, worstColumn));
        }
        return new GradientCheckReport(checks.Count == 0 ? 0 : checks.Max(c => c.MaxRelativeError), checks);
    }
}
