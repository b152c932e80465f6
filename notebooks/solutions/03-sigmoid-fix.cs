// Lesson 3 — reference solutions and typical mistakes, one section per exercise, for teachers and for the tests:
// `run --solutions` puts each solution into its exercise cell (every check must print ✔), `run --mistakes` puts each
// mistake in instead (its check must print ✘ with the hint after the colon). See tools/Notebooks/Engine/ExerciseCatalog.cs.

//# solution 3.1
// Exercise 3.1: the number (from 1) of the first loss that is NaN or ±∞; 0 when all are finite.
int FirstBlowUp(double[] losses)
{
    for (int i = 0; i < losses.Length; i++)
        if (!double.IsFinite(losses[i])) return i + 1;
    return 0;
}

//# mistake 3.1: NaN counts too: test with double.IsFinite
int FirstBlowUp(double[] losses)
{
    for (int i = 0; i < losses.Length; i++)
        if (double.IsInfinity(losses[i])) return i + 1;
    return 0;
}

//# mistake 3.1: count the updates from 1, not from 0
int FirstBlowUp(double[] losses) => Array.FindIndex(losses, x => !double.IsFinite(x));

//# solution 3.2
// Exercise 3.2: return σ′(z), the slope of the sigmoid at z.
double SigmoidDerivative(double z)
{
    double σ = Activation.SigmoidOf(z);
    return σ * (1 - σ);
}

//# mistake 3.2: that is σ(z), not σ′(z)
double SigmoidDerivative(double z) => Activation.SigmoidOf(z);

//# mistake 3.2: that is 1 − σ(z): multiply by σ(z) too
double SigmoidDerivative(double z) => Math.Exp(-z) / (1 + Math.Exp(-z));
