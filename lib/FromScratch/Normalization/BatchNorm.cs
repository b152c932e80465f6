using MathNet.Numerics.LinearAlgebra;

// Lesson 12: batch normalization, Ẑ = (Z − μ)/√(σ² + ε), γ·Ẑ + β, running averages for inference.
namespace FromScratch;

/// <summary>
/// What <see cref="BatchNorm"/> remembers from a training-time forward pass, for the backward pass
/// (n features × m samples, one column per sample; μ, σ² and 1/√(σ² + ε) are n × 1).
/// </summary>
/// <param name="Z">The input Z of the batch.</param>
/// <param name="Mean">μ, the mean of each feature (row) over the batch.</param>
/// <param name="Variance">σ², the variance of each feature over the batch (divided by m).</param>
/// <param name="InverseStandardDeviation">1/√(σ² + ε) of each feature.</param>
/// <param name="ZNormalized">ẑ = (z − μ)/√(σ² + ε).</param>
/// <param name="Output">z̃ = γ·ẑ + β.</param>
public sealed record BatchNormCache(
    Matrix<double> Z, Vector<double> Mean, Vector<double> Variance, Vector<double> InverseStandardDeviation,
    Matrix<double> ZNormalized, Matrix<double> Output);

/// <summary>
/// Batch normalization of a hidden layer's Z, feature by feature (row by row) over the mini-batch (the m columns):
/// <code>
/// μ  = (1/m)·Σᵢ z⁽ⁱ⁾            σ² = (1/m)·Σᵢ (z⁽ⁱ⁾ − μ)²
/// ẑ⁽ⁱ⁾ = (z⁽ⁱ⁾ − μ) / √(σ² + ε)   z̃⁽ⁱ⁾ = γ·ẑ⁽ⁱ⁾ + β
/// </code>
/// γ and β (n × 1) are learned like weights: they are <see cref="Parameter"/>s, so every optimizer updates them.
/// With γ = √(σ² + ε) and β = μ the layer could undo the normalization, so it never takes capacity away; it only
/// makes the scale of Z something the network chooses instead of something that drifts.
/// <para>
/// Training (<see cref="Forward"/>) uses the batch's own μ and σ² and updates running averages
/// μ_run ← ρ·μ_run + (1 − ρ)·μ, σ²_run ← ρ·σ²_run + (1 − ρ)·σ² (ρ = <see cref="Momentum"/>; they start at 0 and 1).
/// Inference (<see cref="Predict"/>) uses μ_run and σ²_run, so a prediction for one sample does not depend on
/// which other samples happen to be in its batch.
/// </para>
/// <para>
/// In a network put it between a linear layer and the activation: Dense (identity) → BatchNorm → <see cref="ActivationLayer"/>.
/// That Dense layer's bias b is cancelled exactly by the mean subtraction (β plays its role), so
/// <see cref="Network"/> leaves it out of the trained parameters.
/// </para>
/// </summary>
public sealed class BatchNorm : ILayer
{
    /// <summary>
    /// Batch normalization of <paramref name="features"/> rows; γ starts at 1 and β at 0 (ẑ passes unchanged).
    /// ε (default 1e-5) keeps the division finite when a feature is constant in a batch; ρ (default 0.9) is the
    /// coefficient of the running averages.
    /// </summary>
    public BatchNorm(int features, double ε = 1e-5, double momentum = 0.9)
    {
        Guard.AtLeastOne(features, nameof(features));
        Guard.Positive(ε, nameof(ε));
        Guard.InUnitInterval(momentum, nameof(momentum));
        Features = features;
        Epsilon = ε;
        Momentum = momentum;
        Gamma = new Parameter("γ", Matrix<double>.Build.Dense(features, 1, 1.0));
        Beta = new Parameter("β", Matrix<double>.Build.Dense(features, 1, 0.0));
        RunningMean = Vector<double>.Build.Dense(features, 0.0);
        RunningVariance = Vector<double>.Build.Dense(features, 1.0);
    }

    /// <summary>Number of features n (rows of Z).</summary>
    public int Features { get; }

    /// <summary>ε in √(σ² + ε).</summary>
    public double Epsilon { get; }

    /// <summary>ρ, the coefficient of the running averages of μ and σ² (an exponentially weighted average over batches).</summary>
    public double Momentum { get; }

    /// <summary>The scale γ (n × 1) and its gradient dγ = ∂E/∂γ.</summary>
    public Parameter Gamma { get; }

    /// <summary>The shift β (n × 1) and its gradient dβ = ∂E/∂β.</summary>
    public Parameter Beta { get; }

    /// <summary>The running average of μ over the training batches seen so far (used by <see cref="Predict"/>).</summary>
    public Vector<double> RunningMean { get; }

    /// <summary>The running average of σ² over the training batches seen so far (used by <see cref="Predict"/>).</summary>
    public Vector<double> RunningVariance { get; }

    /// <summary>Number of training batches that have updated the running averages.</summary>
    public int BatchesSeen { get; private set; }

    /// <summary>The cache of the last <see cref="Forward"/> call, or null before the first one.</summary>
    public BatchNormCache? Cache { get; private set; }

    /// <inheritdoc/>
    public int Inputs => Features;

    /// <inheritdoc/>
    public int Outputs => Features;

    /// <summary>γ and β, in that order.</summary>
    public IReadOnlyList<Parameter> Parameters => [Gamma, Beta];

    /// <summary>
    /// Training-time forward pass on a batch Z (n × m, m ≥ 2): normalizes with the batch's μ and σ², returns
    /// z̃ = γ·ẑ + β, caches everything for <see cref="Backward"/> and updates the running averages.
    /// </summary>
    public Matrix<double> Forward(Matrix<double> input)
    {
        CheckInput(input);
        int m = input.ColumnCount;
        if (m < 2)
            throw new ArgumentException($"Batch normalization in training needs at least 2 samples per batch to measure a variance, but the batch has {m} column (input is {Guard.Shape(input)}). Use a larger batch size, or Predict for a single sample.", nameof(input));
        var μ = input.RowSums() / m;                                   // μ = (1/m)·Σᵢ z⁽ⁱ⁾
        var centered = Matrix<double>.Build.Dense(Features, m, (k, i) => input[k, i] - μ[k]);
        var σ2 = centered.PointwiseMultiply(centered).RowSums() / m;   // σ² = (1/m)·Σᵢ (z⁽ⁱ⁾ − μ)²
        var inverseσ = σ2.Map(v => 1.0 / Math.Sqrt(v + Epsilon));     // 1/√(σ² + ε)
        var ẑ = Matrix<double>.Build.Dense(Features, m, (k, i) => centered[k, i] * inverseσ[k]);
        var output = Scale(ẑ);                                         // z̃ = γ·ẑ + β
        Cache = new BatchNormCache(input, μ, σ2, inverseσ, ẑ, output);

        for (int k = 0; k < Features; k++)
        {
            RunningMean[k] = Momentum * RunningMean[k] + (1 - Momentum) * μ[k];
            RunningVariance[k] = Momentum * RunningVariance[k] + (1 - Momentum) * σ2[k];
        }
        BatchesSeen++;
        return output;
    }

    /// <summary>
    /// Inference-time forward pass: ẑ = (z − μ_run)/√(σ²_run + ε), z̃ = γ·ẑ + β for every column on its own.
    /// Changes nothing (no cache, no running-average update); works for any m ≥ 1.
    /// </summary>
    public Matrix<double> Predict(Matrix<double> input)
    {
        CheckInput(input);
        var ẑ = Matrix<double>.Build.Dense(Features, input.ColumnCount,
            (k, i) => (input[k, i] - RunningMean[k]) / Math.Sqrt(RunningVariance[k] + Epsilon));
        return Scale(ẑ);
    }

    /// <summary>
    /// Backward from dZ̃ (per sample, n × m). Fills dγ = (1/m)·Σᵢ dz̃⁽ⁱ⁾·ẑ⁽ⁱ⁾ and dβ = (1/m)·Σᵢ dz̃⁽ⁱ⁾, and returns
    /// dZ through μ and σ² as well (every ẑ⁽ⁱ⁾ depends on every z⁽ʲ⁾ of the batch). With dẑ = γ·dz̃:
    /// <code>dz⁽ⁱ⁾ = (1/(m·√(σ² + ε)))·(m·dẑ⁽ⁱ⁾ − Σⱼ dẑ⁽ʲ⁾ − ẑ⁽ⁱ⁾·Σⱼ dẑ⁽ʲ⁾·ẑ⁽ʲ⁾)</code>
    /// </summary>
    public Matrix<double> Backward(Matrix<double> dOutput)
    {
        var cache = Cache ?? throw new InvalidOperationException($"{Gamma.Name}/{Beta.Name}: call Forward before Backward (there is no cache yet).");
        ArgumentNullException.ThrowIfNull(dOutput);
        Guard.SameShape(dOutput, "dZ̃", cache.Output, "Z̃");
        var ẑ = cache.ZNormalized;
        int m = ẑ.ColumnCount;
        Gamma.SetGradient(Column(dOutput.PointwiseMultiply(ẑ).RowSums() / m));  // dγ = (1/m)·Σᵢ dz̃⁽ⁱ⁾·ẑ⁽ⁱ⁾
        Beta.SetGradient(Column(dOutput.RowSums() / m));                        // dβ = (1/m)·Σᵢ dz̃⁽ⁱ⁾

        var dẑ = Matrix<double>.Build.Dense(Features, m, (k, i) => Gamma.Value[k, 0] * dOutput[k, i]); // dẑ = γ·dz̃
        var sumDẑ = dẑ.RowSums();                          // Σⱼ dẑ⁽ʲ⁾
        var sumDẑẑ = dẑ.PointwiseMultiply(ẑ).RowSums();    // Σⱼ dẑ⁽ʲ⁾·ẑ⁽ʲ⁾
        return Matrix<double>.Build.Dense(Features, m,
            (k, i) => cache.InverseStandardDeviation[k] / m * (m * dẑ[k, i] - sumDẑ[k] - ẑ[k, i] * sumDẑẑ[k]));
    }

    /// <inheritdoc/>
    public override string ToString() => $"batch norm {Features}";

    // z̃ = γ·ẑ + β, γ and β broadcast over the m columns.
    private Matrix<double> Scale(Matrix<double> ẑ) =>
        Matrix<double>.Build.Dense(Features, ẑ.ColumnCount, (k, i) => Gamma.Value[k, 0] * ẑ[k, i] + Beta.Value[k, 0]);

    private void CheckInput(Matrix<double> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.RowCount != Features)
            throw new ArgumentException($"Batch norm of {Features} features: input Z is {Guard.Shape(input)}; it needs {Features} rows (one per feature, one column per sample).", nameof(input));
    }

    private static Matrix<double> Column(Vector<double> v) => Matrix<double>.Build.DenseOfColumnVectors(v);
}
