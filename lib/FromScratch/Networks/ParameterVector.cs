using MathNet.Numerics.LinearAlgebra;

// Lesson 9: all parameters of a network as one vector θ.
namespace FromScratch;

/// <summary>
/// All parameters of a model read or written as ONE vector θ, the way the lessons write "the model has
/// parameters θ" and "∇E(θ)". Order: the parameters in the order given (for a <see cref="Network"/>:
/// W1, b1, W2, b2, …), each matrix row by row. For a 1 → n → 1 network that is
/// θ = (w₁ … wₙ, b₁ … bₙ, c₁ … cₙ, b), length 3n + 1.
/// </summary>
public static class ParameterVector
{
    /// <summary>Number of entries of θ: the sum of rows × columns over the parameters.</summary>
    public static int Length(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return parameters.Sum(p => p.Rows * p.Columns);
    }

    /// <summary>θ: a copy of every parameter value, concatenated (row by row within each matrix).</summary>
    public static Vector<double> Values(IEnumerable<Parameter> parameters) => Flatten(parameters, p => p.Value);

    /// <summary>∇E(θ): the gradients of the last backward pass, in the same order as <see cref="Values"/>.</summary>
    public static Vector<double> Gradients(IEnumerable<Parameter> parameters) => Flatten(parameters, p => p.Gradient);

    /// <summary>
    /// Writes θ back into the parameters (in place, so layers and optimizers see it). θ must have exactly
    /// <see cref="Length"/> entries and only finite numbers.
    /// </summary>
    public static void SetValues(IEnumerable<Parameter> parameters, Vector<double> θ)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(θ);
        var list = parameters.ToList();
        int length = Length(list);
        if (θ.Count != length)
            throw new ArgumentException($"θ has {θ.Count} entries but the parameters ({Describe(list)}) need {length}.", nameof(θ));
        for (int k = 0; k < θ.Count; k++)
            if (!double.IsFinite(θ[k]))
                throw new ArgumentException($"θ[{k}] is {θ[k]}; every entry must be a finite number.", nameof(θ));
        int i = 0;
        foreach (var p in list)
            for (int r = 0; r < p.Rows; r++)
                for (int c = 0; c < p.Columns; c++)
                    p.Value[r, c] = θ[i++];
    }

    private static Vector<double> Flatten(IEnumerable<Parameter> parameters, Func<Parameter, Matrix<double>> part)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var list = parameters.ToList();
        var θ = Vector<double>.Build.Dense(Length(list));
        int i = 0;
        foreach (var p in list)
        {
            var m = part(p);
            for (int r = 0; r < m.RowCount; r++)
                for (int c = 0; c < m.ColumnCount; c++)
                    θ[i++] = m[r, c];
        }
        return θ;
    }

    private static string Describe(IReadOnlyList<Parameter> parameters) =>
        parameters.Count == 0 ? "none" : string.Join(", ", parameters.Select(p => $"{p.Name} {Guard.Shape(p.Value)}"));
}
