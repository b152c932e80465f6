// Lesson 9 — reference solution and typical mistakes of exercise 9.1, for teachers and for the tests:
// `run --solutions` puts the solution into the exercise cell (its check must print ✔), `run --mistakes` puts each
// mistake in instead (its check must print ✘ with the hint after the colon). See tools/Notebooks/Engine/ExerciseCatalog.cs.

//# solution 9.1
// Exercise 9.1: hard(x; p, q, h) = h·(ReLU(w·x + b_p) − ReLU(w·x + b_q)), w = 1/(q − p).
double HardFromReLUs(double x, double p, double q, double h)
{
    double w = 1 / (q - p), bP = -p * w, bQ = -q * w;
    return h * (ReLU(w * x + bP) - ReLU(w * x + bQ));
}

//# mistake 9.1: the offsets are swapped: ReLU(w·x + b_p) comes first
double HardFromReLUs(double x, double p, double q, double h)
{
    double w = 1 / (q - p), bP = -p * w, bQ = -q * w;
    return h * (ReLU(w * x + bQ) - ReLU(w * x + bP));
}

//# mistake 9.1: the height is missing: multiply the difference by h
double HardFromReLUs(double x, double p, double q, double h)
{
    double w = 1 / (q - p);
    return ReLU(w * x - p * w) - ReLU(w * x - q * w);
}

//# mistake 9.1: the scale w = 1/(q − p) is missing: the ramp climbs (q − p) times too far
double HardFromReLUs(double x, double p, double q, double h) => h * (ReLU(x - p) - ReLU(x - q));

//# mistake 9.1: the ReLUs are added: the second must be subtracted to stop the climb at q
double HardFromReLUs(double x, double p, double q, double h)
{
    double w = 1 / (q - p);
    return h * (ReLU(w * x - p * w) + ReLU(w * x - q * w));
}
