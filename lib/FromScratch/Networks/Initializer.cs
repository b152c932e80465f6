using MathNet.Numerics.LinearAlgebra;

// Lessons 9–12 (10 explains the scale): seeded starting weights — zeros, normal, uniform, Xavier/Glorot, He.
namespace FromScratch;

/// <summary>
/// How a layer's weight matrix W (n_l × n_(l−1)) gets its first values. Every initializer draws from
/// the <see cref="Random"/> it is given, so a seed fixes the network completely. Biases start at 0.
/// </summary>
public sealed class Initializer
{
    private readonly Func<int, int, Random, double> draw;

    private Initializer(string name, Func<int, int, Random, double> draw)
    {
        Name = name;
        this.draw = draw;
    }

    /// <summary>The initializer's name, e.g. "He".</summary>
    public string Name { get; }

    /// <summary>A new n_out × n_in weight matrix, filled row by row from <paramref name="random"/>.</summary>
    public Matrix<double> Weights(int nOut, int nIn, Random random)
    {
        Guard.AtLeastOne(nOut, nameof(nOut));
        Guard.AtLeastOne(nIn, nameof(nIn));
        ArgumentNullException.ThrowIfNull(random);
        var w = Matrix<double>.Build.Dense(nOut, nIn);
        for (int r = 0; r < nOut; r++)
            for (int c = 0; c < nIn; c++)
                w[r, c] = draw(nOut, nIn, random);
        return w;
    }

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>Every weight 0 (shows the symmetry problem: all neurons of a layer stay identical).</summary>
    public static Initializer Zeros { get; } = new("zeros", (_, _, _) => 0.0);

    /// <summary>Normal N(0, σ²) weights, e.g. σ = 0.01 as in the first deep-network lessons.</summary>
    public static Initializer Normal(double standardDeviation = 0.01)
    {
        Guard.Positive(standardDeviation, nameof(standardDeviation));
        return new($"normal (σ = {standardDeviation:R})", (_, _, r) => RandomNumbers.Normal(r, 0, standardDeviation));
    }

    /// <summary>Uniform weights in [−limit, limit).</summary>
    public static Initializer Uniform(double limit)
    {
        Guard.Positive(limit, nameof(limit));
        return new($"uniform (±{limit:R})", (_, _, r) => RandomNumbers.Uniform(r, -limit, limit));
    }

    /// <summary>Xavier/Glorot: uniform in ±√(6 / (n_in + n_out)), so Var(w) = 2 / (n_in + n_out). Suits tanh and sigmoid.</summary>
    public static Initializer Xavier { get; } = new("Xavier", (nOut, nIn, r) =>
    {
        double limit = Math.Sqrt(6.0 / (nIn + nOut));
        return RandomNumbers.Uniform(r, -limit, limit);
    });

    /// <summary>He: normal with σ = <see cref="HeStandardDeviation"/>(n_in) = √(2 / n_in). Suits ReLU layers.</summary>
    public static Initializer He { get; } = new("He", (_, nIn, r) => RandomNumbers.Normal(r, 0, HeStandardDeviation(nIn)));

    /// <summary>
    /// He's standard deviation √(2 / n_in) for a layer with n_in inputs: it keeps Var(z) the same from one ReLU layer
    /// to the next, since Var(z) = n_in·Var(w)·E[a²] and a ReLU keeps half of E[z²] (lesson 10).
    /// </summary>
    public static double HeStandardDeviation(int nIn)
    {
        Guard.AtLeastOne(nIn, nameof(nIn));
        return Math.Sqrt(2.0 / nIn);
    }
}
