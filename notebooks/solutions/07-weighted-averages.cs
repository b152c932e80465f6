// Lesson 7 — reference solutions and typical mistakes, one section per exercise, for teachers and for the tests:
// `run --solutions` puts each solution into its exercise cell (every check must print ✔), `run --mistakes` puts each
// mistake in instead (its check must print ✘ with the hint after the colon). See tools/Notebooks/Engine/ExerciseCatalog.cs.

//# solution 7.1
// Exercise 7.1: v_t = β·v_(t−1) + (1 − β)·θ_t with v_0 = 0; return v_1 … v_n.
double[] WeightedAverage(double[] θ, double β)
{
    var averages = new double[θ.Length];
    double v = 0;
    for (int t = 0; t < θ.Length; t++)
    {
        v = β * v + (1 - β) * θ[t];
        averages[t] = v;
    }
    return averages;
}

//# mistake 7.1: β and 1 − β are swapped: the old average gets β, the new value 1 − β
double[] WeightedAverage(double[] θ, double β)
{
    var averages = new double[θ.Length];
    double v = 0;
    for (int t = 0; t < θ.Length; t++)
    {
        v = (1 - β) * v + β * θ[t];
        averages[t] = v;
    }
    return averages;
}

//# mistake 7.1: start from v₀ = 0, not from v₁ = θ₁
double[] WeightedAverage(double[] θ, double β)
{
    var averages = new double[θ.Length];
    for (int t = 0; t < θ.Length; t++)
        averages[t] = t == 0 ? θ[0] : β * averages[t - 1] + (1 - β) * θ[t];
    return averages;
}

//# solution 7.2
// Exercise 7.2: v̂_t = v_t / (1 − β^t), t = 1 … n, with v_t the average of exercise 7.1.
double[] BiasCorrected(double[] θ, double β)
{
    var corrected = new double[θ.Length];
    double v = 0;
    for (int t = 1; t <= θ.Length; t++)
    {
        v = β * v + (1 - β) * θ[t - 1];
        corrected[t - 1] = v / (1 - Math.Pow(β, t));
    }
    return corrected;
}

//# mistake 7.2: no bias correction: divide v_t by 1 − β^t
double[] BiasCorrected(double[] θ, double β)
{
    var corrected = new double[θ.Length];
    double v = 0;
    for (int t = 0; t < θ.Length; t++)
    {
        v = β * v + (1 - β) * θ[t];
        corrected[t] = v;
    }
    return corrected;
}

//# mistake 7.2: the power is β^t with t from 1, not β^(t−1)
double[] BiasCorrected(double[] θ, double β)
{
    var corrected = new double[θ.Length];
    double v = 0;
    for (int t = 0; t < θ.Length; t++)
    {
        v = β * v + (1 - β) * θ[t];
        corrected[t] = v / (1 - Math.Pow(β, t));
    }
    return corrected;
}

//# mistake 7.2: keep the uncorrected v in the recursion; divide only the value you store
double[] BiasCorrected(double[] θ, double β)
{
    var corrected = new double[θ.Length];
    double v = 0;
    for (int t = 1; t <= θ.Length; t++)
    {
        v = (β * v + (1 - β) * θ[t - 1]) / (1 - Math.Pow(β, t));
        corrected[t - 1] = v;
    }
    return corrected;
}
