using MathNet.Numerics.LinearAlgebra;

// Lessons 9–12: a sequential network W1, b1, W2, b2, …; forward, predict, backward.
namespace FromScratch;

/// <summary>
/// A sequential network of <see cref="Dense"/> layers: X (n_0 × m, one column per sample) flows through
/// layer 1, 2, …, L to Ŷ = A^[L]. Parameters are named W1, b1, W2, b2, … (layers counted from 1).
/// </summary>
public sealed class Network
{
    /// <summary>A network made of <paramref name="layers"/>, in order; each layer's inputs must match the previous layer's outputs.</summary>
    public Network(params Dense[] layers)
        : this((ILayer[])(layers ?? throw new ArgumentNullException(nameof(layers))))
    {
    }

    /// <summary>
    /// A network made of any forward/backward <paramref name="modules"/>, in order, e.g.
    /// Dense (identity) → <see cref="BatchNorm"/> → <see cref="ActivationLayer"/> (ReLU) → Dense (softmax).
    /// Each module's inputs must match the previous one's outputs, and the last module must be a
    /// <see cref="Dense"/> (the output layer, whose activation the loss may combine with).
    /// Dense layers are numbered 1 … L: W1, b1, W2, b2, …; a batch norm after Dense layer l has γl and βl, and
    /// that Dense layer's b is left out of <see cref="Parameters"/> (the mean subtraction cancels it; β takes its role).
    /// </summary>
    public Network(params ILayer[] modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        if (modules.Length == 0) throw new ArgumentException("A network needs at least one layer.", nameof(modules));
        for (int i = 0; i < modules.Length; i++)
            if (modules[i] is null) throw new ArgumentNullException(nameof(modules), $"Module {i + 1} of {modules.Length} is null.");
        if (modules[^1] is not Dense)
            throw new ArgumentException($"The last module must be a Dense output layer, but it is {modules[^1]} ({modules[^1].GetType().Name}).", nameof(modules));
        for (int i = 1; i < modules.Length; i++)
            if (modules[i].Inputs != modules[i - 1].Outputs)
                throw new ArgumentException(modules[i] is Dense d && modules[i - 1] is Dense p
                    ? $"Layer {DenseNumber(modules, i)} expects {d.Inputs} inputs but layer {DenseNumber(modules, i - 1)} has {p.Outputs} outputs (W{DenseNumber(modules, i - 1)} is {Guard.Shape(p.W.Value)}, W{DenseNumber(modules, i)} is {Guard.Shape(d.W.Value)})."
                    : $"Module {i + 1} ({modules[i]}) expects {modules[i].Inputs} inputs but module {i} ({modules[i - 1]}) has {modules[i - 1].Outputs} outputs.");

        var parameters = new List<Parameter>();
        int l = 0;
        for (int i = 0; i < modules.Length; i++)
        {
            switch (modules[i])
            {
                case Dense dense:
                    l++;
                    dense.W.Name = $"W{l}";
                    dense.B.Name = $"b{l}";
                    parameters.Add(dense.W);
                    bool normalizedNext = i + 1 < modules.Length && modules[i + 1] is BatchNorm;
                    if (!normalizedNext) parameters.Add(dense.B); // b before a batch norm is cancelled by μ: not trained
                    break;
                case BatchNorm norm:
                    norm.Gamma.Name = l == 0 ? "γ0" : $"γ{l}";
                    norm.Beta.Name = l == 0 ? "β0" : $"β{l}";
                    parameters.AddRange(norm.Parameters);
                    break;
                default:
                    parameters.AddRange(modules[i].Parameters);
                    break;
            }
        }
        Modules = modules;
        Layers = modules.OfType<Dense>().ToList();
        Parameters = parameters;
    }

    private static int DenseNumber(ILayer[] modules, int index) => modules.Take(index + 1).Count(m => m is Dense);

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

    /// <summary>The Dense layers 1 … L (the layers with weights W and b).</summary>
    public IReadOnlyList<Dense> Layers { get; }

    /// <summary>Every module in order: the Dense layers and any <see cref="BatchNorm"/> or <see cref="ActivationLayer"/> between them.</summary>
    public IReadOnlyList<ILayer> Modules { get; }

    /// <summary>Every trainable parameter in network order: W1, b1, W2, b2, … (with γl, βl after Wl where layer l is batch-normalized, and no bl).</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Number of inputs n_0.</summary>
    public int Inputs => Modules[0].Inputs;

    /// <summary>Number of outputs n_L.</summary>
    public int Outputs => Modules[^1].Outputs;

    /// <summary>Ŷ = A^[L] in training mode: runs every module (filling the caches; batch norm uses the batch's statistics) and returns the last activation.</summary>
    public Matrix<double> Forward(Matrix<double> x)
    {
        var a = x;
        foreach (var module in Modules) a = module.Forward(a);
        return a;
    }

    /// <summary>
    /// Predictions Ŷ for X in inference mode. Without batch norm this is the same computation as <see cref="Forward"/>;
    /// a <see cref="BatchNorm"/> module uses its running averages instead of the statistics of X.
    /// </summary>
    public Matrix<double> Predict(Matrix<double> x)
    {
        var a = x;
        foreach (var module in Modules) a = module.Predict(a);
        return a;
    }

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
        var output = Layers[^1]; // the last module is always this Dense output layer
        var combined = loss.CombinedOutputGradient(output.Activation, ŷ, y);
        var dA = combined is null ? output.Backward(loss.Gradient(ŷ, y)) : output.BackwardFromZ(combined);
        for (int i = Modules.Count - 2; i >= 0; i--) dA = Modules[i].Backward(dA);
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
    public override string ToString() => Modules.Count == Layers.Count
        ? $"Network {string.Join(" → ", new[] { Inputs }.Concat(Layers.Select(l => l.Outputs)))} ({string.Join(", ", Layers.Select(l => l.Activation.Name))})"
        : $"Network {string.Join(" → ", new[] { Inputs }.Concat(Layers.Select(l => l.Outputs)))} ({string.Join(" → ", Modules)})";
}
