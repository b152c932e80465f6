using MathNet.Numerics.LinearAlgebra;

// Lessons 8–12: a trainable matrix θ with its gradient dθ, what an optimizer updates.
namespace FromScratch;

/// <summary>
/// One trainable matrix of a network (a layer's W or b) together with its gradient ∂E/∂θ from the last
/// backward pass. Optimizers read <see cref="Gradient"/> and change <see cref="Value"/> in place, so a
/// layer sees the update without copying. Works just as well for a lone 2×1 "point" θ on an error surface.
/// </summary>
public sealed class Parameter
{
    /// <summary>Creates a parameter named <paramref name="name"/> with the given value; the gradient starts at zero.</summary>
    public Parameter(string name, Matrix<double> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Name = name;
        Value = value;
        Gradient = Matrix<double>.Build.Dense(value.RowCount, value.ColumnCount);
    }

    /// <summary>The parameter's name, e.g. "W1" or "b2" (layers counted from 1).</summary>
    public string Name { get; internal set; }

    /// <summary>The current value θ (updated in place by optimizers).</summary>
    public Matrix<double> Value { get; }

    /// <summary>∂E/∂θ from the last backward pass, same shape as <see cref="Value"/>.</summary>
    public Matrix<double> Gradient { get; }

    /// <summary>Number of rows of θ.</summary>
    public int Rows => Value.RowCount;

    /// <summary>Number of columns of θ.</summary>
    public int Columns => Value.ColumnCount;

    /// <summary>Overwrites the gradient with <paramref name="gradient"/> (shapes must match).</summary>
    public void SetGradient(Matrix<double> gradient)
    {
        Guard.SameShape(gradient, $"gradient of {Name}", Value, Name);
        gradient.CopyTo(Gradient);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Guard.Shape(Value)})";
}
