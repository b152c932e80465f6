// Lesson 10 — reference solutions and typical mistakes, one section per exercise, for teachers and for the tests:
// `run --solutions` puts each solution into its exercise cell (every check must print ✔), `run --mistakes` puts each
// mistake in instead (its check must print ✘ with the hint after the colon). See tools/Notebooks/Engine/ExerciseCatalog.cs.

//# solution 10.1
// Exercise 10.1: dZ = ∂L/∂z of a sigmoid output with binary cross-entropy, one sample.
double OutputDz(double z, double y)
{
    double ŷ = Activation.SigmoidOf(z);
    return ŷ - y;   // ∂L/∂ŷ = (ŷ − y)/(ŷ(1 − ŷ)) times σ′(z) = ŷ(1 − ŷ)
}

//# mistake 10.1: that is y − ŷ: the sign is the other way round
double OutputDz(double z, double y) => y - Activation.SigmoidOf(z);

//# mistake 10.1: σ′ cancels: do not multiply ŷ − y by σ′(z)
double OutputDz(double z, double y)
{
    double ŷ = Activation.SigmoidOf(z);
    return (ŷ - y) * ŷ * (1 - ŷ);
}

//# mistake 10.1: that is the squared error's 2(ŷ − y)·σ′(z), not the cross-entropy's
double OutputDz(double z, double y)
{
    double ŷ = Activation.SigmoidOf(z);
    return 2 * (ŷ - y) * Activation.SigmoidDerivativeOf(z);
}

//# mistake 10.1: that is z − y: use ŷ = σ(z), not z
double OutputDz(double z, double y) => z - y;

//# solution 10.2
// Exercise 10.2: He's standard deviation for a layer with nIn inputs.
double HeScale(int nIn) => Math.Sqrt(2.0 / nIn);

//# mistake 10.2: that is the variance 2/n_in: take its square root
double HeScale(int nIn) => 2.0 / nIn;

//# mistake 10.2: that is √(1/n_in), Xavier's scale for tanh: a ReLU needs twice the variance
double HeScale(int nIn) => 1 / Math.Sqrt(nIn);

//# mistake 10.2: 2 / nIn is integer division: write 2.0 / nIn
double HeScale(int nIn) => Math.Sqrt(2 / nIn);
