using MathNet.Numerics.LinearAlgebra;

// Lesson 12: an activation as its own module, so batch normalization can sit between Z and g(Z).
namespace FromScratch;

/// <summary>
/// An activation g as a module of its own: A = g(Z) forward, dZ = g'(Z) applied to dA backward. Needed when
/// something sits between a layer's Z and its activation, e.g. Dense (identity) → <see cref="BatchNorm"/> → ReLU.
/// </summary>
public sealed class ActivationLayer : ILayer
{
    private Matrix<double>? z, a;

    /// <summary>A module applying <paramref name="activation"/> to <paramref name="features"/> rows.</summary>
    public ActivationLayer(int features, Activation activation)
    {
        Guard.AtLeastOne(features, nameof(features));
        ArgumentNullException.ThrowIfNull(activation);
        Features = features;
        Activation = activation;
    }

    /// <summary>The activation g.</summary>
    public Activation Activation { get; }

    /// <summary>Number of rows (features) n it works on; input and output have the same shape.</summary>
    public int Features { get; }

    /// <inheritdoc/>
    public int Inputs => Features;

    /// <inheritdoc/>
    public int Outputs => Features;

    /// <summary>None: an activation has no trainable parameters.</summary>
    public IReadOnlyList<Parameter> Parameters => [];

    /// <summary>A = g(Z); caches Z and A.</summary>
    public Matrix<double> Forward(Matrix<double> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.RowCount != Features)
            throw new ArgumentException($"{Activation.Name} module: input is {Guard.Shape(input)} but the module has {Features} rows (features); it needs {Features} rows, one column per sample.");
        z = input;
        a = Activation.Forward(input);
        return a;
    }

    /// <summary>dZ = ∂E/∂Z from dA = ∂E/∂A (per sample), using the cached Z and A.</summary>
    public Matrix<double> Backward(Matrix<double> dOutput)
    {
        if (z is null || a is null) throw new InvalidOperationException($"{Activation.Name} module: call Forward before Backward (there is no cache yet).");
        return Activation.Backward(z, a, dOutput);
    }

    /// <inheritdoc/>
    public override string ToString() => Activation.Name;
}
