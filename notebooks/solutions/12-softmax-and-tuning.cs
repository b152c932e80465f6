// Lesson 12 — reference solutions and typical mistakes, one section per exercise, for teachers and for the tests:
// `run --solutions` puts each solution into its exercise cell (every check must print ✔), `run --mistakes` puts each
// mistake in instead (its check must print ✘ with the hint after the colon). See tools/Notebooks/Engine/ExerciseCatalog.cs.

//# solution 12.1
// Exercise 12.1: Ŷ = softmax of every column of Z (k × m), and E = the cross-entropy against Y.
(Matrix<double> ŷ, double E) SoftmaxWithLoss(Matrix<double> z, Matrix<double> y)
{
    int k = z.RowCount, m = z.ColumnCount;
    var ŷ = Matrix<double>.Build.Dense(k, m);
    double sum = 0;
    for (int j = 0; j < m; j++)
    {
        double max = z.Column(j).Maximum();                        // the shift: e^0 = 1 at most
        var e = z.Column(j).Map(v => Math.Exp(v - max));
        ŷ.SetColumn(j, e / e.Sum());
        sum += Math.Log(ŷ[y.Column(j).MaximumIndex(), j]);         // the true class: where y = 1
    }
    return (ŷ, -sum / m);
}

//# mistake 12.1: subtract each column's largest z before e^z: e^1000 overflows to ∞, and ∞/∞ is NaN
(Matrix<double> ŷ, double E) SoftmaxWithLoss(Matrix<double> z, Matrix<double> y)
{
    var e = z.Map(Math.Exp);
    var sums = e.ColumnSums();
    var ŷ = Matrix<double>.Build.Dense(z.RowCount, z.ColumnCount, (k, j) => e[k, j] / sums[j]);
    double E = -Enumerable.Range(0, z.ColumnCount).Average(j => Math.Log(ŷ[y.Column(j).MaximumIndex(), j]));
    return (ŷ, E);
}

//# mistake 12.1: subtract each column's own largest z, not the largest of the whole matrix
(Matrix<double> ŷ, double E) SoftmaxWithLoss(Matrix<double> z, Matrix<double> y)
{
    double max = z.Enumerate().Max();
    var e = z.Map(v => Math.Exp(v - max));
    var sums = e.ColumnSums();
    var ŷ = Matrix<double>.Build.Dense(z.RowCount, z.ColumnCount, (k, j) => e[k, j] / sums[j]);
    double E = -Enumerable.Range(0, z.ColumnCount).Average(j => Math.Log(ŷ[y.Column(j).MaximumIndex(), j]));
    return (ŷ, E);
}

//# mistake 12.1: E takes log ŷ of the true class (where y = 1), not of the largest ŷ
(Matrix<double> ŷ, double E) SoftmaxWithLoss(Matrix<double> z, Matrix<double> y)
{
    var ŷ = Activation.Softmax.Forward(z);
    double E = -Enumerable.Range(0, z.ColumnCount).Average(j => Math.Log(ŷ.Column(j).Maximum()));
    return (ŷ, E);
}

//# mistake 12.1: E is the mean over the m samples: divide the sum by m
(Matrix<double> ŷ, double E) SoftmaxWithLoss(Matrix<double> z, Matrix<double> y)
{
    var ŷ = Activation.Softmax.Forward(z);
    double E = -Enumerable.Range(0, z.ColumnCount).Sum(j => Math.Log(ŷ[y.Column(j).MaximumIndex(), j]));
    return (ŷ, E);
}
