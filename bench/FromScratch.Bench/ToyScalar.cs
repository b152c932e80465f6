namespace FromScratch.Bench;

/// <summary>
/// The baseline the library's toy network is measured against: the 2-2-1 network (inputs 1, 2; hidden sigmoid
/// neurons 3, 4; sigmoid output 5) trained by hand-written scalar code, per-sample SGD on E = (y − ŷ)².
/// bench/compare.py runs the same loop in Python with the same starting weights.
/// </summary>
public sealed class ToyScalar
{
    private double w31, w32, w41, w42, w53, w54, b3, b4, b5;

    /// <summary>Starts from weights in the order w31, w32, w41, w42, w53, w54, b3, b4, b5.</summary>
    public ToyScalar(double[] w) => (w31, w32, w41, w42, w53, w54, b3, b4, b5) = (w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8]);

    private static double σ(double x) => 1.0 / (1.0 + Math.Exp(-x));

    /// <summary>ŷ for one person (x1, x2).</summary>
    public double Predict(double x1, double x2)
    {
        double h3 = σ(w31 * x1 + w32 * x2 + b3);
        double h4 = σ(w41 * x1 + w42 * x2 + b4);
        return σ(w53 * h3 + w54 * h4 + b5);
    }

    /// <summary>E = mean over the people of (y − ŷ)².</summary>
    public double Loss(double[,] x, double[] y)
    {
        double sum = 0;
        for (int s = 0; s < y.Length; s++)
        {
            double e = y[s] - Predict(x[s, 0], x[s, 1]);
            sum += e * e;
        }
        return sum / y.Length;
    }

    /// <summary>
    /// <paramref name="epochs"/> passes over the samples in order, one SGD step w ← w − η·dE/dw per sample; with
    /// <paramref name="epochLoss"/> also E after every epoch, written into it (what ToyNetwork.Train records too).
    /// </summary>
    public void Train(double[,] x, double[] y, int epochs, double η, double[]? epochLoss = null)
    {
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            for (int s = 0; s < y.Length; s++)
            {
                double x1 = x[s, 0], x2 = x[s, 1];
                // forward
                double h3 = σ(w31 * x1 + w32 * x2 + b3);
                double h4 = σ(w41 * x1 + w42 * x2 + b4);
                double ŷ = σ(w53 * h3 + w54 * h4 + b5);
                // backward: δ5 = dE/dz5 = −2(y − ŷ)·ŷ(1 − ŷ); δ3 = δ5·w53·h3(1 − h3); δ4 = δ5·w54·h4(1 − h4)
                double δ5 = -2 * (y[s] - ŷ) * ŷ * (1 - ŷ);
                double δ3 = δ5 * w53 * h3 * (1 - h3);
                double δ4 = δ5 * w54 * h4 * (1 - h4);
                // update (all gradients were computed with the old weights)
                w53 -= η * δ5 * h3; w54 -= η * δ5 * h4; b5 -= η * δ5;
                w31 -= η * δ3 * x1; w32 -= η * δ3 * x2; b3 -= η * δ3;
                w41 -= η * δ4 * x1; w42 -= η * δ4 * x2; b4 -= η * δ4;
            }
            if (epochLoss is not null)
                epochLoss[epoch] = Loss(x, y);
        }
    }
}
