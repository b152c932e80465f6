using MathNet.Numerics.LinearAlgebra;

namespace FromScratch;

/// <summary>
/// A sequential network of <see cref="Dense"/> layers: X (n_0 × m, one column per sample) flows through
/// layer 1, 2, …, L to Ŷ = A^[L]. Parameters are named W1, b1, W2, b2, … (layers counted from 1).
/// </summary>
public sealed class Network
{
    /// <summary>A network made of <paramref name="layers"/>, in order; each layer's inputs must match the previous layer's outputs.</summary>
    public Network(params Dense[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Length == 0) throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        for (int l = 1; l < layers.Length; l++)
            if (layers[l].Inputs != layers[l - 1].Outputs)
                throw new ArgumentException($"Layer {l + 1} expects {layers[l].Inputs} inputs but layer {l} has {layers[l - 1].Outputs} outputs (W{l} is {Guard.Shape(layers[l - 1].W.Value)}, W{l + 1} is {Guard.Shape(layers[l].W.Value)}).");
        for (int l = 0; l < layers.Length; l++)
        {
            layers[l].W.Name = $"W{l + 1}";
            layers[l].B.Name = $"b{l + 1}";
        }
        Layers = layers;
    }

    /// <summary>
    /// A network with the given layer sizes [n_0, n_1, …, n_L]: <paramref name="hidden"/> on layers 1 … L−1,
    /// <paramref name="output"/> on layer L, weights drawn by <paramref name="initializer"/> from Random(<paramref name="seed"/>).
    /// </summary>
    public static Network Create(int[] layerSizes, Activation hidden, Activation output, Initializer initializer, int seed)
    {
        ArgumentNullException.ThrowIfNull(layerSizes);
        if (layerSizes.Length < 2) throw new ArgumentException($"layerSizes needs at least 2 entries (inputs and outputs), but has {layerSizes.Length}.", nameof(layerSizes));
        for (int i = 0; i < layerSizes.Length; i++) Guard.AtLeastOne(layerSizes[i], $"layerSizes[{i}]");
        var random = RandomNumbers.Create(seed);
        var layers = new Dense[layerSizes.Length - 1];
        for (int l = 0; l < layers.Length; l++)
            layers[l] = new Dense(layerSizes[l], layerSizes[l + 1], l == layers.Length - 1 ? output : hidden, initializer, random);
        return new Network(layers);
    }

    /// <summary>The layers 1 … L.</summary>
    public IReadOnlyList<Dense> Layers { get; }

    /// <summary>Every trainable parameter: W1, b1, W2, b2, …</summary>
    public IReadOnlyList<Parameter> Parameters => Layers.SelectMany(l => l.Parameters).ToList();

    /// <summary>Number of inputs n_0.</summary>
    public int Inputs => Layers[0].Inputs;

    /// <summary>Number of outputs n_L.</summary>
    public int Outputs => Layers[^1].Outputs;

    /// <summary>Ŷ = A^[L]: runs every layer (filling the caches) and returns the last activation.</summary>
    public Matrix<double> Forward(Matrix<double> x)
    {
        var a = x;
        foreach (var layer in Layers) a = layer.Forward(a);
        return a;
    }

    /// <summary>Predictions Ŷ for X (the same computation as <see cref="Forward"/>).</summary>
    public Matrix<double> Predict(Matrix<double> x) => Forward(x);

    /// <summary>E(Ŷ, Y) for the current parameters.</summary>
    public double Loss(Matrix<double> x, Matrix<double> y, Loss loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        return loss.Value(Forward(x), y);
    }

    /// <summary>
    /// Backpropagation after a <see cref="Forward"/> that produced <paramref name="ŷ"/>: fills every
    /// parameter's <see cref="Parameter.Gradient"/> with ∂E/∂θ. Uses dZ^[L] = Ŷ − Y when the loss and
    /// output activation allow it (<see cref="FromScratch.Loss.CombinedOutputGradient"/>), otherwise
    /// dA^[L] from the loss and the output activation's backward.
    /// </summary>
    public void Backward(Matrix<double> ŷ, Matrix<double> y, Loss loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        var output = Layers[^1];
        var combined = loss.CombinedOutputGradient(output.Activation, ŷ, y);
        var dA = combined is null ? output.Backward(loss.Gradient(ŷ, y)) : output.BackwardFromZ(combined);
        for (int l = Layers.Count - 2; l >= 0; l--) dA = Layers[l].Backward(dA);
    }

    /// <summary>Forward, loss and backward in one call; returns the loss E before any update.</summary>
    public double ComputeGradients(Matrix<double> x, Matrix<double> y, Loss loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        var ŷ = Forward(x);
        double e = loss.Value(ŷ, y);
        Backward(ŷ, y, loss);
        return e;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"Network {string.Join(" → ", new[] { Inputs }.Concat(Layers.Select(l => l.Outputs)))} ({string.Join(", ", Layers.Select(l => l.Activation.Name))})";
}
