// Lesson 4 — reference solutions and typical mistakes, one section per exercise, for teachers and for the tests:
// `run --solutions` puts each solution into its exercise cell (every check must print ✔), `run --mistakes` puts each
// mistake in instead (its check must print ✘ with the hint after the colon). See tools/Notebooks/Engine/ExerciseCatalog.cs.

//# solution 4.1
// Exercise 4.1: the mean μ and the (population) standard deviation s of every row of x.
(double[] Mean, double[] S) FitStatistics(Matrix<double> x)
{
    int n = x.RowCount, m = x.ColumnCount;
    var mean = new double[n];
    var s = new double[n];
    for (int i = 0; i < n; i++)
    {
        for (int j = 0; j < m; j++) mean[i] += x[i, j];
        mean[i] /= m;
        double squares = 0;
        for (int j = 0; j < m; j++) squares += (x[i, j] - mean[i]) * (x[i, j] - mean[i]);
        s[i] = Math.Sqrt(squares / m);
    }
    return (mean, s);
}

//# mistake 4.1: that is the sample s (divides by m − 1); the library's s divides by m
(double[] Mean, double[] S) FitStatistics(Matrix<double> x)
{
    var rows = x.EnumerateRows().Select(r => r.ToArray()).ToArray();
    double[] mean = rows.Select(r => r.Average()).ToArray();
    double[] s = rows.Select((r, i) => Math.Sqrt(r.Sum(v => (v - mean[i]) * (v - mean[i])) / (r.Length - 1)))
        .ToArray();
    return (mean, s);
}

//# mistake 4.1: that is the variance s²: take its square root
(double[] Mean, double[] S) FitStatistics(Matrix<double> x)
{
    var rows = x.EnumerateRows().Select(r => r.ToArray()).ToArray();
    double[] mean = rows.Select(r => r.Average()).ToArray();
    double[] s = rows.Select((r, i) => r.Average(v => (v - mean[i]) * (v - mean[i]))).ToArray();
    return (mean, s);
}

//# mistake 4.1: that is √(mean of x²): subtract the mean before squaring
(double[] Mean, double[] S) FitStatistics(Matrix<double> x)
{
    var rows = x.EnumerateRows().Select(r => r.ToArray()).ToArray();
    return (rows.Select(r => r.Average()).ToArray(), rows.Select(r => Math.Sqrt(r.Average(v => v * v))).ToArray());
}

//# solution 4.2
// Exercise 4.2: (x − μ)/s for every entry of x, with μ and s of each row of the TRAINING data.
Matrix<double> StandardizeWith(Matrix<double> training, Matrix<double> x)
{
    int n = training.RowCount, m = training.ColumnCount;
    var mean = new double[n];
    var s = new double[n];
    for (int i = 0; i < n; i++)
    {
        for (int j = 0; j < m; j++) mean[i] += training[i, j];
        mean[i] /= m;
        double squares = 0;
        for (int j = 0; j < m; j++) squares += (training[i, j] - mean[i]) * (training[i, j] - mean[i]);
        s[i] = Math.Sqrt(squares / m);
    }
    return Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount, (i, j) => (x[i, j] - mean[i]) / s[i]);
}

//# mistake 4.2: that uses the new data's own μ and s: use the training data's
Matrix<double> StandardizeWith(Matrix<double> training, Matrix<double> x)
{
    // the classic bug: the statistics of the batch being transformed
    var mean = x.RowSums() / x.ColumnCount;
    var s = Vector<double>.Build.Dense(x.RowCount, i =>
        Math.Sqrt(x.Row(i).Sum(v => (v - mean[i]) * (v - mean[i])) / x.ColumnCount));
    return Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount, (i, j) => (x[i, j] - mean[i]) / s[i]);
}

//# mistake 4.2: that subtracts the new data's own mean: subtract the training mean
Matrix<double> StandardizeWith(Matrix<double> training, Matrix<double> x)
{
    var ownMean = x.RowSums() / x.ColumnCount;
    var mean = training.RowSums() / training.ColumnCount;
    var s = Vector<double>.Build.Dense(training.RowCount, i =>
        Math.Sqrt(training.Row(i).Sum(v => (v - mean[i]) * (v - mean[i])) / training.ColumnCount));
    return Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount, (i, j) => (x[i, j] - ownMean[i]) / s[i]);
}

//# mistake 4.2: that divides by the variance s²: divide by s
Matrix<double> StandardizeWith(Matrix<double> training, Matrix<double> x)
{
    var mean = training.RowSums() / training.ColumnCount;
    var variance = Vector<double>.Build.Dense(training.RowCount, i =>
        training.Row(i).Sum(v => (v - mean[i]) * (v - mean[i])) / training.ColumnCount);
    return Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount, (i, j) => (x[i, j] - mean[i]) / variance[i]);
}

//# mistake 4.2: that is x/s: subtract the training mean first
Matrix<double> StandardizeWith(Matrix<double> training, Matrix<double> x)
{
    var mean = training.RowSums() / training.ColumnCount;
    var s = Vector<double>.Build.Dense(training.RowCount, i =>
        Math.Sqrt(training.Row(i).Sum(v => (v - mean[i]) * (v - mean[i])) / training.ColumnCount));
    return Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount, (i, j) => x[i, j] / s[i]);
}

//# mistake 4.2: that divides by the sample s (m − 1); the library's s divides by m
Matrix<double> StandardizeWith(Matrix<double> training, Matrix<double> x)
{
    var mean = training.RowSums() / training.ColumnCount;
    var s = Vector<double>.Build.Dense(training.RowCount, i =>
        Math.Sqrt(training.Row(i).Sum(v => (v - mean[i]) * (v - mean[i])) / (training.ColumnCount - 1)));
    return Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount, (i, j) => (x[i, j] - mean[i]) / s[i]);
}
