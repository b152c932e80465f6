using MathNet.Numerics.LinearAlgebra;

namespace FromScratch.Kernels;

/// <summary>
/// The small in-place operations of a training step, each as the plain loop of its formula.
/// <see cref="VectorKernels"/> does the same with SIMD and is tested against these; both give bit-for-bit
/// the same numbers (same operations in the same order, no fused multiply-add).
/// </summary>
internal static class ReferenceVectorKernels
{
    /// <summary>Z ← Z + b·1ᵀ: add the bias column b (n×1) to every column (every sample) of Z (n×m).</summary>
    public static void AddBiasToColumns(Matrix<double> z, Matrix<double> b)
    {
        VectorKernelShapes.CheckBias(z, nameof(z), b, nameof(b));
        for (int j = 0; j < z.ColumnCount; j++)
            for (int i = 0; i < z.RowCount; i++)
                z[i, j] += b[i, 0];
    }

    /// <summary>db ← scale·Σⱼ dZ[:, j], the row sums of dZ (n×m) into db (n×1); with scale = 1/m this is db = (1/m)·Σ dZ.</summary>
    public static void RowSums(Matrix<double> dZ, double scale, Matrix<double> db)
    {
        VectorKernelShapes.CheckBias(dZ, nameof(dZ), db, nameof(db));
        for (int i = 0; i < dZ.RowCount; i++)
        {
            double sum = 0;
            for (int j = 0; j < dZ.ColumnCount; j++)
                sum += dZ[i, j];
            db[i, 0] = scale * sum;
        }
    }

    /// <summary>Y ← Y + α·X ("axpy"); the SGD update W ← W − η·dW is Axpy(−η, dW, W).</summary>
    public static void Axpy(double alpha, Matrix<double> x, Matrix<double> y)
    {
        Guard.SameShape(x, nameof(x), y, nameof(y));
        for (int j = 0; j < y.ColumnCount; j++)
            for (int i = 0; i < y.RowCount; i++)
                y[i, j] += alpha * x[i, j];
    }

    /// <summary>X ← X ⊙ Y, elementwise product in place (e.g. dZ = dA ⊙ σ′(Z) with dA stored in dZ).</summary>
    public static void MultiplyElementwise(Matrix<double> x, Matrix<double> y)
    {
        Guard.SameShape(x, nameof(x), y, nameof(y));
        for (int j = 0; j < x.ColumnCount; j++)
            for (int i = 0; i < x.RowCount; i++)
                x[i, j] *= y[i, j];
    }

    /// <summary>
    /// One Adam step for parameter θ with gradient g, in place on θ and on the moving averages v (of g) and s (of g²):
    /// v ← β1·v + (1−β1)·g;  s ← β2·s + (1−β2)·g²;  v̂ = v/(1−β1ᵗ);  ŝ = s/(1−β2ᵗ);  θ ← θ − η·v̂/(√ŝ + ε).
    /// <paramref name="t"/> counts steps from 1 (the bias correction).
    /// </summary>
    public static void AdamStep(Matrix<double> theta, Matrix<double> g, Matrix<double> v, Matrix<double> s,
        double eta, double beta1, double beta2, double epsilon, int t)
    {
        AdamParameters.Check(theta, g, v, s, eta, beta1, beta2, epsilon, t, out double correction1, out double correction2);
        for (int j = 0; j < theta.ColumnCount; j++)
        {
            for (int i = 0; i < theta.RowCount; i++)
            {
                double gij = g[i, j];
                double vij = beta1 * v[i, j] + (1 - beta1) * gij;
                double sij = beta2 * s[i, j] + (1 - beta2) * gij * gij; // the order of Adam.StepOf: ((1 − β2)·g)·g
                v[i, j] = vij;
                s[i, j] = sij;
                double vHat = vij / correction1;
                double sHat = sij / correction2;
                theta[i, j] -= eta * vHat / (Math.Sqrt(sHat) + epsilon);
            }
        }
    }
}

/// <summary>Shape checks shared by the reference and fast vector kernels.</summary>
internal static class VectorKernelShapes
{
    public static void CheckBias(Matrix<double> z, string zName, Matrix<double> b, string bName)
    {
        ArgumentNullException.ThrowIfNull(z, zName);
        ArgumentNullException.ThrowIfNull(b, bName);
        if (b.ColumnCount != 1 || b.RowCount != z.RowCount)
            throw new ArgumentException($"{zName} is {Guard.Shape(z)} but {bName} is {Guard.Shape(b)}; {bName} must be {z.RowCount}×1 (one entry per row of {zName}).");
    }
}

/// <summary>Checks of Adam's arguments, and its bias corrections 1−β1ᵗ and 1−β2ᵗ.</summary>
internal static class AdamParameters
{
    public static void Check(Matrix<double> theta, Matrix<double> g, Matrix<double> v, Matrix<double> s,
        double eta, double beta1, double beta2, double epsilon, int t, out double correction1, out double correction2)
    {
        Guard.SameShape(theta, nameof(theta), g, nameof(g));
        Guard.SameShape(theta, nameof(theta), v, nameof(v));
        Guard.SameShape(theta, nameof(theta), s, nameof(s));
        Guard.Positive(eta, nameof(eta));
        Guard.InUnitInterval(beta1, nameof(beta1));
        Guard.InUnitInterval(beta2, nameof(beta2));
        Guard.Positive(epsilon, nameof(epsilon));
        Guard.AtLeastOne(t, nameof(t));
        correction1 = 1 - Math.Pow(beta1, t);
        correction2 = 1 - Math.Pow(beta2, t);
    }
}
