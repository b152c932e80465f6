// Lesson 11 — reference solutions and typical mistakes, one section per exercise, for teachers and for the tests:
// `run --solutions` puts each solution into its exercise cell (every check must print ✔), `run --mistakes` puts each
// mistake in instead (its check must print ✘ with the hint after the colon). See tools/Notebooks/Engine/ExerciseCatalog.cs.

//# solution 11.1
// Exercise 11.1: dW, db, dA_prev of one layer from dZ (n × m), A_prev (n_prev × m), W (n × n_prev).
(Matrix<double> dW, Matrix<double> db, Matrix<double> dAPrev) DenseBackward(
    Matrix<double> dZ, Matrix<double> aPrev, Matrix<double> W)
{
    int m = dZ.ColumnCount;
    var dW = dZ * aPrev.Transpose() / m;                                  // n × n_prev, like W
    var db = Matrix<double>.Build.DenseOfColumnVectors(dZ.RowSums() / m);  // n × 1, like b
    var dAPrev = W.Transpose() * dZ;                                      // n_prev × m, like A_prev
    return (dW, db, dAPrev);
}

//# mistake 11.1: dW and db are means over the m samples: divide by m
(Matrix<double> dW, Matrix<double> db, Matrix<double> dAPrev) DenseBackward(
    Matrix<double> dZ, Matrix<double> aPrev, Matrix<double> W) =>
    (dZ * aPrev.Transpose(), Matrix<double>.Build.DenseOfColumnVectors(dZ.RowSums()), W.Transpose() * dZ);

//# mistake 11.1: dA_prev = Wᵀ·dZ has no 1/m: the mean is taken once, in dW and db
(Matrix<double> dW, Matrix<double> db, Matrix<double> dAPrev) DenseBackward(
    Matrix<double> dZ, Matrix<double> aPrev, Matrix<double> W)
{
    int m = dZ.ColumnCount;
    return (dZ * aPrev.Transpose() / m, Matrix<double>.Build.DenseOfColumnVectors(dZ.RowSums() / m),
        W.Transpose() * dZ / m);
}

//# mistake 11.1: dA_prev = Wᵀ·dZ: transpose W
(Matrix<double> dW, Matrix<double> db, Matrix<double> dAPrev) DenseBackward(
    Matrix<double> dZ, Matrix<double> aPrev, Matrix<double> W)
{
    int m = dZ.ColumnCount;
    return (dZ * aPrev.Transpose() / m, Matrix<double>.Build.DenseOfColumnVectors(dZ.RowSums() / m), W * dZ);
}

//# mistake 11.1: db sums each row of dZ over the samples (RowSums), one entry per neuron
(Matrix<double> dW, Matrix<double> db, Matrix<double> dAPrev) DenseBackward(
    Matrix<double> dZ, Matrix<double> aPrev, Matrix<double> W)
{
    int m = dZ.ColumnCount;
    return (dZ * aPrev.Transpose() / m, Matrix<double>.Build.DenseOfColumnVectors(dZ.ColumnSums() / m),
        W.Transpose() * dZ);
}

//# mistake 11.1: dW has W's shape n × n_prev: dZ·A_prevᵀ, not A_prev·dZᵀ
(Matrix<double> dW, Matrix<double> db, Matrix<double> dAPrev) DenseBackward(
    Matrix<double> dZ, Matrix<double> aPrev, Matrix<double> W)
{
    int m = dZ.ColumnCount;
    return (aPrev * dZ.Transpose() / m, Matrix<double>.Build.DenseOfColumnVectors(dZ.RowSums() / m),
        W.Transpose() * dZ);
}
