namespace FromScratch;

/// <summary>
/// A drawing the library makes (SVG): the 2-2-1 network with its names (lessons 0, 2), the chain-rule path of
/// ∂E/∂w31 (lesson 2), the caches of an L-layer network (lesson 11), where batch normalization sits (lesson 12), and
/// the graph behind an autograd <see cref="Autograd.Value"/> (lesson 13).
/// As a cell's value it shows as the picture, in our kernel and in the official .NET kernel; the site and the
/// slide decks show it too. <see cref="SaveSvg"/> writes it to a file for a slide or a document.
/// </summary>
[Display.TypeFormatterSource(typeof(Display.DiagramFormatterSource),
    PreferredMimeTypes = [Display.MimeTypes.Html, Display.MimeTypes.PlainText])]
public sealed class Diagram
{
    private readonly string _svg;
    private readonly string _description;

    private Diagram(string svg, string description)
    {
        _svg = svg;
        _description = description;
    }

    /// <summary>
    /// Lessons 0 and 2: the 2-2-1 network — inputs 1 and 2, hidden neurons 3 and 4, output neuron 5 — with every
    /// weight's name on its edge (w31 is the weight into neuron 3 from input 1), each neuron's formula and the error E.
    /// </summary>
    public static Diagram ToyNetwork() =>
        new(NetworkDiagrams.ToyNetwork(null), "The 2-2-1 network: inputs 1, 2 → hidden 3, 4 → output 5, weights w31 … w54, biases b3 … b5");

    /// <summary>
    /// Lesson 2: the 2-2-1 network with the current value of every weight and bias written on it, e.g. after training.
    /// </summary>
    /// <param name="network">The network whose numbers to show.</param>
    public static Diagram ToyNetwork(ToyNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return new(NetworkDiagrams.ToyNetwork(network), $"The 2-2-1 network with its values: {network}");
    }

    /// <summary>
    /// Lesson 2: the chain rule for ∂E/∂w31 drawn on the network — the path w31 → neuron 3 → neuron 5 → E highlighted
    /// and each of the five factors written where it arises. Given a network and a person, each factor's value and
    /// their product too (the number <c>network.Backward</c> returns for w31).
    /// </summary>
    /// <param name="network">Optional: the network whose factors to evaluate (together with <paramref name="person"/>).</param>
    /// <param name="person">Optional: the sample x1, x2, y the factors are evaluated at.</param>
    public static Diagram ChainRule(ToyNetwork? network = null, ToySample? person = null)
    {
        if ((network is null) != (person is null))
            throw new ArgumentException("Give both a network and a person to see the factors' values, or neither for the formulas only.");
        string what = network is null ? "" : $" at x1 = {person!.Value.X1}, x2 = {person.Value.X2}, y = {person.Value.Y}";
        return new(NetworkDiagrams.ChainRule(network, person), $"The chain rule for ∂E/∂w31 along w31 → 3 → 5 → E{what}");
    }

    /// <summary>
    /// Lesson 11: an L-layer network's forward pass left to right (each layer keeps a cache of A_prev, W, b and Z),
    /// and its backward pass right to left reading those caches to give dW, db and dA_prev. ReLU hidden layers, a
    /// sigmoid output; more than four layers are drawn as 1, 2, …, L.
    /// </summary>
    /// <param name="layers">L, the number of layers with weights (at least 1).</param>
    public static Diagram LayerCaches(int layers) =>
        new(NetworkDiagrams.LayerCaches(layers), $"Forward and backward through {layers} layer(s), with a cache (A_prev, W, b, Z) per layer");

    /// <summary>
    /// Lesson 12: where batch normalization sits in a hidden layer — Z = W·A_prev, normalized over the mini-batch
    /// (μ, σ²), scaled and shifted by the learned γ and β, then the activation.
    /// </summary>
    public static Diagram BatchNorm() =>
        new(NetworkDiagrams.BatchNorm(), "Batch normalization in a hidden layer: Z = W·A_prev → normalize (μ, σ²) → γ·Ẑ + β → activation");

    /// <summary>
    /// Lesson 13: every value <paramref name="output"/> was computed from, as a box with its number and its gradient
    /// ∂ (after <c>Backward()</c>), and every operation as a circle between its inputs and its result.
    /// </summary>
    public static Diagram ComputationGraph(Autograd.Value output)
    {
        var graph = new Autograd.ComputationGraph(output);
        return new Diagram(graph.ToSvg(), graph.ToString());
    }

    /// <summary>The drawing as a standalone SVG document.</summary>
    public string ToSvg() => _svg;

    /// <summary>Writes the drawing to <paramref name="path"/> as an SVG file (atomically).</summary>
    public void SaveSvg(string path) => AtomicFile.WriteAllText(path, _svg);

    /// <summary>What the drawing shows, in one line, e.g. "Computation graph of 9 values, output = 0.11 (∂ = 1)".</summary>
    public override string ToString() => _description;
}
