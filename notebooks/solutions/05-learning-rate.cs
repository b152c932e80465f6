// Lesson 5 — reference solutions and typical mistakes, one section per exercise, for teachers and for the tests:
// `run --solutions` puts each solution into its exercise cell (every check must print ✔), `run --mistakes` puts each
// mistake in instead (its check must print ✘ with the hint after the dash). See tools/Notebooks/Engine/ExerciseCatalog.cs.

//# solution 5.1
// Exercise 5.1: the largest stable learning rate 2/λmax(H) of a symmetric 2 × 2 Hessian H.
double StableRate(Matrix<double> h)
{
    double a = h[0, 0], b = h[0, 1], d = h[1, 1];
    double λmax = (a + d) / 2 + Math.Sqrt((a - d) * (a - d) / 4 + b * b);
    return 2 / λmax;
}

//# mistake 5.1: that is 1/λmax(H): the bound is 2/λmax(H), the same as 1/λmax(C) for C = H/2
double StableRate(Matrix<double> h)
{
    double a = h[0, 0], b = h[0, 1], d = h[1, 1];
    return 1 / ((a + d) / 2 + Math.Sqrt((a - d) * (a - d) / 4 + b * b));
}

//# mistake 5.1: 2/λmin is the flat axis: the steepest axis (the largest eigenvalue) sets it
double StableRate(Matrix<double> h)
{
    double a = h[0, 0], b = h[0, 1], d = h[1, 1];
    return 2 / ((a + d) / 2 - Math.Sqrt((a - d) * (a - d) / 4 + b * b));
}

//# mistake 5.1: the largest diagonal entry is the curvature along w1 or w2 only: with b ≠ 0 take the eigenvalue
double StableRate(Matrix<double> h) => 2 / Math.Max(h[0, 0], h[1, 1]);

//# solution 5.2
// Exercise 5.2: w after one gradient-descent step on E = (1/m)·Σ (y − ŷ)², ŷ = w·X + b.
Matrix<double> GradientStep(Matrix<double> w, double b, Matrix<double> X, Matrix<double> Y,
    double η)
{
    int m = X.ColumnCount;
    var error = Y - (w * X).Add(b);                   // y − ŷ, 1 × m
    var gradient = -2.0 / m * error * X.Transpose();  // dE/dw, 1 × n
    return w - η * gradient;
}

//# mistake 5.2: a missing 1/m: the gradient is the mean over the m people, not the sum
Matrix<double> GradientStep(Matrix<double> w, double b, Matrix<double> X, Matrix<double> Y,
    double η)
{
    var error = Y - (w * X).Add(b);
    return w - η * (-2.0 * error * X.Transpose());
}

//# mistake 5.2: a sign: step against the gradient, w − η·dE/dw
Matrix<double> GradientStep(Matrix<double> w, double b, Matrix<double> X, Matrix<double> Y,
    double η)
{
    var error = Y - (w * X).Add(b);
    return w + η * (-2.0 / X.ColumnCount * error * X.Transpose());
}

//# mistake 5.2: the 2 of the square is missing: d(y − ŷ)²/dŷ = −2(y − ŷ)
Matrix<double> GradientStep(Matrix<double> w, double b, Matrix<double> X, Matrix<double> Y,
    double η)
{
    var error = Y - (w * X).Add(b);
    return w - η * (-1.0 / X.ColumnCount * error * X.Transpose());
}

//# mistake 5.2: ŷ = w·X + b: the error needs the bias too
Matrix<double> GradientStep(Matrix<double> w, double b, Matrix<double> X, Matrix<double> Y,
    double η)
{
    var error = Y - w * X;
    return w - η * (-2.0 / X.ColumnCount * error * X.Transpose());
}
