using MathNet.Numerics.LinearAlgebra;

// Lessons 11–12: accuracy and the confusion matrix.
namespace FromScratch;

/// <summary>How good predictions are, beyond the loss: accuracy and the confusion matrix.</summary>
public static class Metrics
{
    /// <summary>
    /// The predicted class of every column: with one output row, 1 when ŷ ≥ 0.5 else 0 (sigmoid output);
    /// with several rows, the row of the largest value (softmax output, one-hot labels).
    /// </summary>
    public static int[] Classes(Matrix<double> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var classes = new int[scores.ColumnCount];
        for (int j = 0; j < scores.ColumnCount; j++)
        {
            if (scores.RowCount == 1) { classes[j] = scores[0, j] >= 0.5 ? 1 : 0; continue; }
            int best = 0;
            for (int k = 1; k < scores.RowCount; k++) if (scores[k, j] > scores[best, j]) best = k;
            classes[j] = best;
        }
        return classes;
    }

    /// <summary>Fraction of columns whose predicted class (see <see cref="Classes"/>) equals the label's class.</summary>
    public static double Accuracy(Matrix<double> ŷ, Matrix<double> y)
    {
        Guard.SameShape(ŷ, "predictions Ŷ", y, "labels Y");
        if (y.ColumnCount == 0) throw new ArgumentException("Ŷ and Y have no samples (0 columns).");
        var predicted = Classes(ŷ);
        var actual = Classes(y);
        return predicted.Zip(actual).Count(p => p.First == p.Second) / (double)y.ColumnCount;
    }

    /// <summary>
    /// Counts C[actual, predicted]: row = true class, column = predicted class. The diagonal holds the
    /// correct answers. There are max(2, n_outputs) classes.
    /// </summary>
    public static int[,] ConfusionMatrix(Matrix<double> ŷ, Matrix<double> y)
    {
        Guard.SameShape(ŷ, "predictions Ŷ", y, "labels Y");
        int classes = Math.Max(2, y.RowCount);
        var counts = new int[classes, classes];
        var predicted = Classes(ŷ);
        var actual = Classes(y);
        for (int j = 0; j < predicted.Length; j++) counts[actual[j], predicted[j]]++;
        return counts;
    }
}
