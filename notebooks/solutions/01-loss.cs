// Lesson 1 — reference solutions and typical mistakes, one section per exercise, for teachers and for the tests:
// `run --solutions` puts each solution into its exercise cell (every check must print ✔), `run --mistakes` puts each
// mistake in instead (its check must print ✘ with the hint after the colon). See tools/Notebooks/Engine/ExerciseCatalog.cs.

//# solution 1.1
// Exercise 1.1: E = (1/n)·Σ (yᵢ − ŷᵢ)² for labels y and answers ŷ of the same length.
double MeanSquaredError(double[] y, double[] ŷ)
{
    double sum = 0;
    for (int i = 0; i < y.Length; i++) sum += (y[i] - ŷ[i]) * (y[i] - ŷ[i]);
    return sum / y.Length;
}

//# mistake 1.1: divide by n: that is the sum of the squares, not their mean
double MeanSquaredError(double[] y, double[] ŷ)
{
    double sum = 0;
    for (int i = 0; i < y.Length; i++) sum += (y[i] - ŷ[i]) * (y[i] - ŷ[i]);
    return sum;
}

//# mistake 1.1: square each difference before averaging
double MeanSquaredError(double[] y, double[] ŷ) => y.Zip(ŷ, (t, a) => t - a).Average();

//# mistake 1.1: square each difference, not the mean difference
double MeanSquaredError(double[] y, double[] ŷ)
{
    double mean = y.Zip(ŷ, (t, a) => t - a).Average();
    return mean * mean;
}

//# solution 1.2
// Exercise 1.2: (∂E/∂w, ∂E/∂b) of E = (1/n)·Σ (yᵢ − (w·xᵢ + b))².
(double dE_dw, double dE_db) Slopes(double[] x, double[] y, double w, double b)
{
    double dw = 0, db = 0;
    for (int i = 0; i < x.Length; i++)
    {
        double error = w * x[i] + b - y[i];   // ŷ − y
        dw += 2 * error * x[i];
        db += 2 * error;
    }
    return (dw / x.Length, db / x.Length);
}

//# mistake 1.2: divide by n: that is the slope of the sum of the squares
(double dE_dw, double dE_db) Slopes(double[] x, double[] y, double w, double b)
{
    double dw = 0, db = 0;
    for (int i = 0; i < x.Length; i++)
    {
        dw += 2 * (w * x[i] + b - y[i]) * x[i];
        db += 2 * (w * x[i] + b - y[i]);
    }
    return (dw, db);
}

//# mistake 1.2: the square gives a factor 2: 2(ŷ − y)
(double dE_dw, double dE_db) Slopes(double[] x, double[] y, double w, double b)
{
    double dw = 0, db = 0;
    for (int i = 0; i < x.Length; i++)
    {
        dw += (w * x[i] + b - y[i]) * x[i];
        db += w * x[i] + b - y[i];
    }
    return (dw / x.Length, db / x.Length);
}

//# mistake 1.2: a sign: the slope of (y − ŷ)² is 2(ŷ − y)·∂ŷ/∂w, not 2(y − ŷ)·∂ŷ/∂w
(double dE_dw, double dE_db) Slopes(double[] x, double[] y, double w, double b)
{
    double dw = 0, db = 0;
    for (int i = 0; i < x.Length; i++)
    {
        double error = y[i] - (w * x[i] + b);   // y − ŷ
        dw += 2 * error * x[i];
        db += 2 * error;
    }
    return (dw / x.Length, db / x.Length);
}

//# mistake 1.2: ∂ŷ/∂w is x: multiply each term of ∂E/∂w by xᵢ
(double dE_dw, double dE_db) Slopes(double[] x, double[] y, double w, double b)
{
    double dw = 0, db = 0;
    for (int i = 0; i < x.Length; i++)
    {
        dw += 2 * (w * x[i] + b - y[i]);
        db += 2 * (w * x[i] + b - y[i]);
    }
    return (dw / x.Length, db / x.Length);
}
