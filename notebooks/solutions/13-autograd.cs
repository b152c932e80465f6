// Lesson 13 — reference solutions and typical mistakes, one section per exercise, for teachers and for the tests:
// `run --solutions` puts each solution into its exercise cell (every check must print ✔), `run --mistakes` puts each
// mistake in instead (its check must print ✘ with the hint after the colon). See tools/Notebooks/Engine/ExerciseCatalog.cs.

//# solution 13.1
// Exercise 13.1: for o = a / b, return (∂L/∂a, ∂L/∂b) given dOut = ∂L/∂o.
(double dA, double dB) DivideBackward(double a, double b, double dOut)
{
    return (dOut / b, -dOut * a / (b * b));
}

//# mistake 13.1: the minus sign of ∂o/∂b = −a/b² is missing
(double dA, double dB) DivideBackward(double a, double b, double dOut) => (dOut / b, dOut * a / (b * b));

//# mistake 13.1: multiply by dOut: that factor is the chain rule
(double dA, double dB) DivideBackward(double a, double b, double dOut) => (1 / b, -a / (b * b));

//# solution 13.2
// Exercise 13.2: for C = A·B, return (dA, dB) given dC.
(Matrix<double> dA, Matrix<double> dB) MatMulBackward(
    Matrix<double> A, Matrix<double> B, Matrix<double> dC)
{
    return (dC * B.Transpose(), A.Transpose() * dC);
}

//# mistake 13.2: dB = Aᵀ·dC: the order of the factors matters
(Matrix<double> dA, Matrix<double> dB) MatMulBackward(
    Matrix<double> A, Matrix<double> B, Matrix<double> dC) => (dC * B.Transpose(), dC.Transpose() * A);

//# mistake 13.2: dA = dC·Bᵀ, not Bᵀ·dC
(Matrix<double> dA, Matrix<double> dB) MatMulBackward(
    Matrix<double> A, Matrix<double> B, Matrix<double> dC) => (B.Transpose() * dC, A.Transpose() * dC);
