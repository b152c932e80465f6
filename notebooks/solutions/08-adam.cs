// Lesson 8 — reference solutions and typical mistakes, one section per exercise, for teachers and for the tests:
// `run --solutions` puts each solution into its exercise cell (every check must print ✔), `run --mistakes` puts each
// mistake in instead (its check must print ✘ with the hint after the colon). See tools/Notebooks/Engine/ExerciseCatalog.cs.

//# solution 8.1
// Exercise 8.1: step t of Adam for one number; return the new (θ, v, s).
(double θ, double v, double s) AdamStep(double θ, double dθ, double v, double s, int t,
    double α, double β1, double β2, double ε)
{
    v = β1 * v + (1 - β1) * dθ;
    s = β2 * s + (1 - β2) * dθ * dθ;
    double vHat = v / (1 - Math.Pow(β1, t));
    double sHat = s / (1 - Math.Pow(β2, t));
    return (θ - α * vHat / (Math.Sqrt(sHat) + ε), v, s);
}

//# mistake 8.1: no bias correction: divide v by 1 − β1^t and s by 1 − β2^t
(double θ, double v, double s) AdamStep(double θ, double dθ, double v, double s, int t,
    double α, double β1, double β2, double ε)
{
    v = β1 * v + (1 - β1) * dθ;
    s = β2 * s + (1 - β2) * dθ * dθ;
    return (θ - α * v / (Math.Sqrt(s) + ε), v, s);
}

//# mistake 8.1: the bias correction is 1 − β^t with t from 1, not 1 − β^(t−1)
(double θ, double v, double s) AdamStep(double θ, double dθ, double v, double s, int t,
    double α, double β1, double β2, double ε)
{
    v = β1 * v + (1 - β1) * dθ;
    s = β2 * s + (1 - β2) * dθ * dθ;
    double vHat = v / (1 - Math.Pow(β1, t - 1));
    double sHat = s / (1 - Math.Pow(β2, t - 1));
    return (θ - α * vHat / (Math.Sqrt(sHat) + ε), v, s);
}

//# mistake 8.1: ε goes outside the square root: √ŝ + ε
(double θ, double v, double s) AdamStep(double θ, double dθ, double v, double s, int t,
    double α, double β1, double β2, double ε)
{
    v = β1 * v + (1 - β1) * dθ;
    s = β2 * s + (1 - β2) * dθ * dθ;
    double vHat = v / (1 - Math.Pow(β1, t));
    double sHat = s / (1 - Math.Pow(β2, t));
    return (θ - α * vHat / Math.Sqrt(sHat + ε), v, s);
}

//# mistake 8.1: β and 1 − β are swapped: the old average gets β, the new gradient 1 − β
(double θ, double v, double s) AdamStep(double θ, double dθ, double v, double s, int t,
    double α, double β1, double β2, double ε)
{
    v = (1 - β1) * v + β1 * dθ;
    s = (1 - β2) * s + β2 * dθ * dθ;
    double vHat = v / (1 - Math.Pow(β1, t));
    double sHat = s / (1 - Math.Pow(β2, t));
    return (θ - α * vHat / (Math.Sqrt(sHat) + ε), v, s);
}

//# mistake 8.1: return v and s before the bias correction, not v̂ and ŝ
(double θ, double v, double s) AdamStep(double θ, double dθ, double v, double s, int t,
    double α, double β1, double β2, double ε)
{
    v = β1 * v + (1 - β1) * dθ;
    s = β2 * s + (1 - β2) * dθ * dθ;
    double vHat = v / (1 - Math.Pow(β1, t));
    double sHat = s / (1 - Math.Pow(β2, t));
    return (θ - α * vHat / (Math.Sqrt(sHat) + ε), vHat, sHat);
}

//# solution 8.2
// Exercise 8.2: one RMSprop step for one number; return the new (θ, s).
(double θ, double s) RmsPropStep(double θ, double dθ, double s, double η, double β, double ε)
{
    s = β * s + (1 - β) * dθ * dθ;
    return (θ - η * dθ / (Math.Sqrt(s) + ε), s);
}

//# mistake 8.2: square the gradient: s averages dθ², not dθ
(double θ, double s) RmsPropStep(double θ, double dθ, double s, double η, double β, double ε)
{
    s = β * s + (1 - β) * dθ;
    return (θ - η * dθ / (Math.Sqrt(s) + ε), s);
}

//# mistake 8.2: divide by √s + ε, not by s + ε
(double θ, double s) RmsPropStep(double θ, double dθ, double s, double η, double β, double ε)
{
    s = β * s + (1 - β) * dθ * dθ;
    return (θ - η * dθ / (s + ε), s);
}

//# mistake 8.2: ε goes outside the square root: √s + ε
(double θ, double s) RmsPropStep(double θ, double dθ, double s, double η, double β, double ε)
{
    s = β * s + (1 - β) * dθ * dθ;
    return (θ - η * dθ / Math.Sqrt(s + ε), s);
}

//# mistake 8.2: β and 1 − β are swapped: the old average gets β, the new square 1 − β
(double θ, double s) RmsPropStep(double θ, double dθ, double s, double η, double β, double ε)
{
    s = (1 - β) * s + β * dθ * dθ;
    return (θ - η * dθ / (Math.Sqrt(s) + ε), s);
}
