// Lesson 0 — reference solution and typical mistakes of its exercise, for teachers and for the tests:
// `run --solutions` puts the solution into the exercise cell (its check must print ✔), `run --mistakes` puts each
// mistake in instead (its check must print ✘ with the hint after the colon). See tools/Notebooks/Engine/ExerciseCatalog.cs.

//# solution 0.1
// Exercise 0.1: Ŷ = σ(W2·σ(W1·X + b1·1ᵀ) + b2·1ᵀ), one column per example.
Matrix<double> ForwardPass(Matrix<double> W1, Matrix<double> b1, Matrix<double> W2,
    Matrix<double> b2, Matrix<double> X)
{
    var ones = Matrix<double>.Build.Dense(1, X.ColumnCount, 1.0);   // 1ᵀ, one entry per example
    var A1 = (W1 * X + b1 * ones).Map(Activation.SigmoidOf);
    return (W2 * A1 + b2 * ones).Map(Activation.SigmoidOf);
}

//# mistake 0.1: add the biases: Z = W·A + b·1ᵀ
Matrix<double> ForwardPass(Matrix<double> W1, Matrix<double> b1, Matrix<double> W2,
    Matrix<double> b2, Matrix<double> X)
{
    var A1 = (W1 * X).Map(Activation.SigmoidOf);
    return (W2 * A1).Map(Activation.SigmoidOf);
}

//# mistake 0.1: apply σ to the output too: Ŷ = σ(Z2), not Z2
Matrix<double> ForwardPass(Matrix<double> W1, Matrix<double> b1, Matrix<double> W2,
    Matrix<double> b2, Matrix<double> X)
{
    var ones = Matrix<double>.Build.Dense(1, X.ColumnCount, 1.0);
    var A1 = (W1 * X + b1 * ones).Map(Activation.SigmoidOf);
    return W2 * A1 + b2 * ones;
}

//# mistake 0.1: apply σ to the hidden layer too: A1 = σ(Z1), not Z1
Matrix<double> ForwardPass(Matrix<double> W1, Matrix<double> b1, Matrix<double> W2,
    Matrix<double> b2, Matrix<double> X)
{
    var ones = Matrix<double>.Build.Dense(1, X.ColumnCount, 1.0);
    return (W2 * (W1 * X + b1 * ones) + b2 * ones).Map(Activation.SigmoidOf);
}
