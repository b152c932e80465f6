// Lessons 9–12: seeded random numbers, Box–Muller normals.
namespace FromScratch;

/// <summary>
/// Random numbers the course can reproduce to the bit: every draw comes from a <see cref="Random"/>
/// created from an explicit seed, and normal numbers use our own Box–Muller transform (no hidden state).
/// </summary>
public static class RandomNumbers
{
    /// <summary>A new generator for <paramref name="seed"/>: the same seed always gives the same sequence.</summary>
    public static Random Create(int seed) => new(seed);

    /// <summary>
    /// A normal N(μ, σ²) number by Box–Muller: z = √(−2·ln u₁)·cos(2π·u₂) with u₁ ∈ (0, 1], u₂ ∈ [0, 1),
    /// then μ + σ·z. Uses exactly two draws of <paramref name="random"/>.
    /// </summary>
    public static double Normal(Random random, double mean = 0.0, double standardDeviation = 1.0)
    {
        ArgumentNullException.ThrowIfNull(random);
        double u1 = 1.0 - random.NextDouble(); // in (0, 1], so ln u₁ is finite
        double u2 = random.NextDouble();
        double z = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        return mean + standardDeviation * z;
    }

    /// <summary>A uniform number in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static double Uniform(Random random, double low, double high)
    {
        ArgumentNullException.ThrowIfNull(random);
        return low + (high - low) * random.NextDouble();
    }

    /// <summary>A random permutation of 0 … n−1 (Fisher–Yates), drawn from <paramref name="random"/>.</summary>
    public static int[] Permutation(Random random, int n)
    {
        ArgumentNullException.ThrowIfNull(random);
        Guard.NotNegative(n, nameof(n));
        var order = new int[n];
        Permute(random, order);
        return order;
    }

    /// <summary>Fills <paramref name="order"/> with a random permutation of 0 … n−1 (the same draws as <see cref="Permutation"/>), without allocating.</summary>
    internal static void Permute(Random random, Span<int> order)
    {
        for (int i = 0; i < order.Length; i++) order[i] = i;
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
    }
}
