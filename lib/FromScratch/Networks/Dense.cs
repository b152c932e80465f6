using MathNet.Numerics.LinearAlgebra;

// Lesson 11: a dense layer, Z = W·A_prev + b and A = g(Z) forward; dW, db, dA_prev backward, with the cache.
namespace FromScratch;

/// <summary>
/// What a <see cref="Dense"/> layer remembers from its forward pass, for the backward pass:
/// the input A_prev (n_(l−1) × m), the W and b that were used, Z = W·A_prev + b and A = g(Z) (n_l × m).
/// </summary>
/// <param name="APrev">The layer's input A^[l−1], one column per sample.</param>
/// <param name="W">The weights W^[l] used (the parameter's matrix itself, not a copy).</param>
/// <param name="B">The biases b^[l] used (the parameter's matrix itself, not a copy).</param>
/// <param name="Z">The pre-activation Z^[l] = W·A_prev + b.</param>
/// <param name="A">The output A^[l] = g(Z^[l]).</param>
public sealed record DenseCache(Matrix<double> APrev, Matrix<double> W, Matrix<double> B, Matrix<double> Z, Matrix<double> A);

/// <summary>
/// A fully connected layer l: Z = W·A_prev + b, A = g(Z), with W of shape n_l × n_(l−1) and b of shape
/// n_l × 1 (added to every column, i.e. every sample).
/// </summary>
public sealed class Dense : ILayer
{
    /// <summary>A layer with the given initial weights and biases (copied) and activation g.</summary>
    public Dense(Matrix<double> weights, Matrix<double> biases, Activation activation)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(biases);
        ArgumentNullException.ThrowIfNull(activation);
        if (biases.RowCount != weights.RowCount || biases.ColumnCount != 1)
            throw new ArgumentException($"b must be {weights.RowCount}×1 for W of shape {Guard.Shape(weights)}, but b is {Guard.Shape(biases)}.");
        W = new Parameter("W", weights.Clone());
        B = new Parameter("b", biases.Clone());
        Activation = activation;
    }

    /// <summary>A layer of <paramref name="outputs"/> neurons on <paramref name="inputs"/> inputs; W drawn by <paramref name="initializer"/>, b = 0.</summary>
    public Dense(int inputs, int outputs, Activation activation, Initializer initializer, Random random)
        : this((initializer ?? throw new ArgumentNullException(nameof(initializer))).Weights(outputs, inputs, random), Matrix<double>.Build.Dense(outputs, 1), activation)
    {
    }

    /// <summary>The weights W^[l] (n_l × n_(l−1)) and their gradient dW.</summary>
    public Parameter W { get; }

    /// <summary>The biases b^[l] (n_l × 1) and their gradient db.</summary>
    public Parameter B { get; }

    /// <summary>The activation g of this layer.</summary>
    public Activation Activation { get; }

    /// <summary>Number of inputs n_(l−1).</summary>
    public int Inputs => W.Value.ColumnCount;

    /// <summary>Number of neurons n_l.</summary>
    public int Outputs => W.Value.RowCount;

    /// <summary>The cache of the last <see cref="Forward"/> call, or null before the first one.</summary>
    public DenseCache? Cache { get; private set; }

    /// <summary>W and b, in that order.</summary>
    public IReadOnlyList<Parameter> Parameters => [W, B];

    /// <summary>Z = W·A_prev + b and A = g(Z); caches (A_prev, W, b, Z, A) and returns A.</summary>
    public Matrix<double> Forward(Matrix<double> aPrev)
    {
        ArgumentNullException.ThrowIfNull(aPrev);
        if (aPrev.RowCount != Inputs)
            throw new ArgumentException($"Layer {W.Name}: input A_prev is {Guard.Shape(aPrev)} but W is {Guard.Shape(W.Value)}; A_prev needs {Inputs} rows (one per input, one column per sample).");
        if (aPrev.ColumnCount == 0)
            throw new ArgumentException($"Layer {W.Name}: input A_prev is {Guard.Shape(aPrev)}, a batch of m = 0 samples; the backward pass would divide by m = 0.");
        var z = W.Value * aPrev;
        var b = B.Value.Column(0);
        for (int j = 0; j < z.ColumnCount; j++) z.SetColumn(j, z.Column(j) + b); // broadcast b over the m columns
        var a = Activation.Forward(z);
        Cache = new DenseCache(aPrev, W.Value, B.Value, z, a);
        return a;
    }

    /// <summary>
    /// Backward from dA = ∂E/∂A of this layer (per-sample scale, see <see cref="Loss"/>):
    /// dZ = g'(Z) applied to dA, then <see cref="BackwardFromZ"/>. Returns dA_prev.
    /// </summary>
    public Matrix<double> Backward(Matrix<double> dA)
    {
        var cache = RequireCache();
        return BackwardFromZ(Activation.Backward(cache.Z, cache.A, dA));
    }

    /// <summary>
    /// Backward from dZ: stores dW = (1/m)·dZ·A_prevᵀ and db = (1/m)·Σ dZ (sum over the m columns)
    /// in the parameters' gradients and returns dA_prev = Wᵀ·dZ (per-sample scale, no 1/m).
    /// </summary>
    public Matrix<double> BackwardFromZ(Matrix<double> dZ)
    {
        var cache = RequireCache();
        Guard.SameShape(dZ, "dZ", cache.Z, "Z");
        int m = dZ.ColumnCount;
        W.SetGradient(dZ * cache.APrev.Transpose() / m);                               // dW = (1/m)·dZ·A_prevᵀ
        B.SetGradient(Matrix<double>.Build.DenseOfColumnVectors(dZ.RowSums() / m));  // db = (1/m)·Σ dZ
        return cache.W.Transpose() * dZ;                                              // dA_prev = Wᵀ·dZ
    }

    private DenseCache RequireCache() =>
        Cache ?? throw new InvalidOperationException($"Layer {W.Name}: call Forward before Backward (there is no cache yet).");

    /// <inheritdoc/>
    public override string ToString() => $"Dense {Inputs} → {Outputs}, {Activation.Name}";
}
