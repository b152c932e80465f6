using MathNet.Numerics.LinearAlgebra;

// Lessons 11–12: what a module of a Network does (forward, backward, parameters): Dense, BatchNorm, ActivationLayer.
namespace FromScratch;

/// <summary>
/// One forward/backward module of a <see cref="Network"/>: it maps its input (n_in × m, one column per
/// sample) to its output (n_out × m), remembers what it needs in a cache, and on the way back turns the
/// gradient of its output into the gradient of its input, filling the gradients of its own parameters.
/// <see cref="Dense"/>, <see cref="BatchNorm"/> and <see cref="ActivationLayer"/> are modules, so a network
/// can be Dense → BatchNorm → activation → … → Dense.
/// <para>
/// Gradient scale (the library's convention, see <see cref="Loss"/>): the gradients passed between modules
/// are per sample (m·∂E/∂A, no 1/m); each parameter's <see cref="Parameter.Gradient"/> is the true ∂E/∂θ.
/// </para>
/// </summary>
public interface ILayer
{
    /// <summary>Number of input rows n_in the module expects.</summary>
    int Inputs { get; }

    /// <summary>Number of output rows n_out it produces.</summary>
    int Outputs { get; }

    /// <summary>The module's trainable parameters (empty for an activation module).</summary>
    IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The training-time forward pass: computes the output and caches what <see cref="Backward"/> needs.</summary>
    Matrix<double> Forward(Matrix<double> input);

    /// <summary>
    /// The inference-time forward pass. The same as <see cref="Forward"/> for every module except batch
    /// normalization, which uses its running averages instead of the batch's own statistics.
    /// </summary>
    Matrix<double> Predict(Matrix<double> input) => Forward(input);

    /// <summary>From the gradient of the output (per sample), fills the parameters' gradients and returns the gradient of the input (per sample).</summary>
    Matrix<double> Backward(Matrix<double> dOutput);
}
