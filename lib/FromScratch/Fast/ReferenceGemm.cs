using MathNet.Numerics.LinearAlgebra;

namespace FromScratch.Kernels;

/// <summary>
/// The matrix product C ← α·op(A)·op(B) + β·C written as the plain triple loop of the definition,
/// (op(A)·op(B))ᵢⱼ = Σₚ op(A)ᵢₚ·op(B)ₚⱼ. Slow, but easy to read and to trust: the fast
/// <see cref="Gemm"/> is tested against it.
/// </summary>
/// <remarks>
/// The three products of backpropagation for a layer with weights W (n_l × n_(l−1)) and a batch of m
/// samples, one column per sample:
/// <list type="bullet">
/// <item>forward  Z = W·A_prev:              Multiply(1, W, Identity, A_prev, Identity, 0, Z)</item>
/// <item>weights  dW = (1/m)·dZ·A_prevᵀ:      Multiply(1/m, dZ, Identity, A_prev, Transpose, 0, dW)</item>
/// <item>backward dA_prev = Wᵀ·dZ:            Multiply(1, W, Transpose, dZ, Identity, 0, dA_prev)</item>
/// </list>
/// </remarks>
internal static class ReferenceGemm
{
    /// <summary>C ← α·op(A)·op(B) + β·C on dense matrices; C must already have the shape of the product.</summary>
    public static void Multiply(double alpha, Matrix<double> a, Op opA, Matrix<double> b, Op opB, double beta, Matrix<double> c) =>
        Multiply(alpha, DenseView.Of(a), opA, DenseView.Of(b), opB, beta, DenseView.Of(c));

    /// <summary>C ← α·op(A)·op(B) + β·C on views of column-major storage.</summary>
    public static void Multiply(double alpha, DenseView a, Op opA, DenseView b, Op opB, double beta, DenseView c)
    {
        GemmShapes.Check(a, opA, b, opB, c, out int m, out int n, out int k);

        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                // sum = Σₚ op(A)ᵢₚ · op(B)ₚⱼ
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    double aip = opA == Op.Identity ? a[i, p] : a[p, i];
                    double bpj = opB == Op.Identity ? b[p, j] : b[j, p];
                    sum += aip * bpj;
                }
                // β = 0 means "overwrite": C's old value is not read at all (it may be garbage, even NaN).
                c[i, j] = beta == 0 ? alpha * sum : alpha * sum + beta * c[i, j];
            }
        }
    }
}

/// <summary>The shape rules of C ← α·op(A)·op(B) + β·C, shared by both implementations.</summary>
internal static class GemmShapes
{
    /// <summary>Checks op(A) is m×k, op(B) is k×n and C is m×n; the message names all three shapes.</summary>
    public static void Check(DenseView a, Op opA, DenseView b, Op opB, DenseView c, out int m, out int n, out int k)
    {
        ArgumentNullException.ThrowIfNull(a.Data, nameof(a));
        ArgumentNullException.ThrowIfNull(b.Data, nameof(b));
        ArgumentNullException.ThrowIfNull(c.Data, nameof(c));
        m = opA == Op.Identity ? a.Rows : a.Columns;
        k = opA == Op.Identity ? a.Columns : a.Rows;
        int kb = opB == Op.Identity ? b.Rows : b.Columns;
        n = opB == Op.Identity ? b.Columns : b.Rows;
        // The message is only built when something is wrong: a correct call allocates nothing.
        if (k != kb)
            throw new ArgumentException($"Cannot multiply: {What(a, opA, b, opB, c)}; the columns of op(A) ({k}) must equal the rows of op(B) ({kb}).");
        if (c.Rows != m || c.Columns != n)
            throw new ArgumentException($"Wrong output shape: {What(a, opA, b, opB, c)}; C must be {m}×{n}.");
        if (ReferenceEquals(c.Data, a.Data) || ReferenceEquals(c.Data, b.Data))
            throw new ArgumentException($"C must not share storage with A or B ({What(a, opA, b, opB, c)}): the product would overwrite its own inputs.");
    }

    private static string What(DenseView a, Op opA, DenseView b, Op opB, DenseView c)
    {
        (int ra, int ca) = opA == Op.Identity ? (a.Rows, a.Columns) : (a.Columns, a.Rows);
        (int rb, int cb) = opB == Op.Identity ? (b.Rows, b.Columns) : (b.Columns, b.Rows);
        return $"op(A) = {Name(opA, "A")} is {ra}×{ca} (A is {a.Shape}), op(B) = {Name(opB, "B")} is {rb}×{cb} (B is {b.Shape}), C is {c.Shape}";
    }

    private static string Name(Op op, string x) => op == Op.Identity ? x : x + "ᵀ";
}
