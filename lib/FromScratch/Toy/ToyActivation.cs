// Lessons 3–5: a toy neuron is linear (identity) or a sigmoid; f(z), f′(z) and f′ read off the output h.
namespace FromScratch;

/// <summary>The activation of a neuron of the <see cref="ToyNetwork"/>: none (identity) or the sigmoid σ.</summary>
public enum ToyActivation
{
    /// <summary>f(z) = z, f'(z) = 1: a linear neuron.</summary>
    Identity,
    /// <summary>f(z) = σ(z) = 1 / (1 + e^(−z)), f'(z) = σ(z)·(1 − σ(z)).</summary>
    Sigmoid,
}

/// <summary>The value and derivative of a <see cref="ToyActivation"/> for one number.</summary>
internal static class ToyActivationExtensions
{
    /// <summary>f(z).</summary>
    public static double Apply(this ToyActivation activation, double z) => activation switch
    {
        ToyActivation.Identity => z,
        ToyActivation.Sigmoid => Activation.SigmoidOf(z),
        _ => throw Unknown(activation),
    };

    /// <summary>f'(z).</summary>
    public static double Derivative(this ToyActivation activation, double z) => activation switch
    {
        ToyActivation.Identity => 1.0,
        ToyActivation.Sigmoid => Activation.SigmoidDerivativeOf(z),
        _ => throw Unknown(activation),
    };

    /// <summary>
    /// f'(z) from the neuron's output h = f(z), which the forward pass already has: the sigmoid's slope is h·(1 − h),
    /// so the backward pass needs no second e^(−z). The same number as <see cref="Derivative"/> of z.
    /// </summary>
    public static double DerivativeFromOutput(this ToyActivation activation, double h) => activation switch
    {
        ToyActivation.Identity => 1.0,
        ToyActivation.Sigmoid => h * (1 - h),
        _ => throw Unknown(activation),
    };

    // One place for the error of an activation this enum does not have.
    private static ArgumentOutOfRangeException Unknown(ToyActivation activation) =>
        new(nameof(activation), activation, $"Unknown activation {activation}.");
}
