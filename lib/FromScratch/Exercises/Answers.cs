using System.Collections;
using System.Globalization;
using System.Runtime.CompilerServices;
using MathNet.Numerics.LinearAlgebra;

namespace FromScratch;

/// <summary>
/// Compares a learner's answer with the expected one, number by number, and says in words where they differ
/// (for <see cref="Check.Exercise{TIn, TOut}"/>): doubles, whole numbers and booleans, MathNet matrices and vectors, arrays and
/// lists, and tuples of any of these.
/// </summary>
internal static class Answers
{
    /// <summary>Null when <paramref name="yours"/> equals <paramref name="expected"/>; else e.g. "yours is 0.881, expected 0.105".</summary>
    public static string? Difference(object? yours, object? expected, double tolerance, string path = "")
    {
        string Of(string what) => path.Length == 0 ? what : $"{path} {what}";
        switch (expected)
        {
            case null:
                return yours is null ? null : Of($"yours is {Describe(yours)}, expected null");
            case double e:
                if (yours is double y && Close(y, e, tolerance)) return null;
                return yours is double yd
                    ? Of($"yours is {Number(yd, e)}, expected {Number(e, yd)}")
                    : Of($"yours is {Describe(yours)}, expected {Number(e)}");
            case Matrix<double> e:
                if (yours is not Matrix<double> ym) return Of($"yours is {Describe(yours)}, expected a {Shape(e)} matrix");
                if (ym.RowCount != e.RowCount || ym.ColumnCount != e.ColumnCount)
                    return Of($"yours is {Shape(ym)}, expected {Shape(e)}");
                for (int j = 0; j < e.ColumnCount; j++)
                    for (int i = 0; i < e.RowCount; i++)
                        if (!Close(ym[i, j], e[i, j], tolerance))
                            return Of($"entry [{i}, {j}] of yours is {Number(ym[i, j], e[i, j])}, expected {Number(e[i, j], ym[i, j])}");
                return null;
            case Vector<double> e:
                return Difference(yours is Vector<double> yv ? yv.ToArray() : yours, e.ToArray(), tolerance, path);
            case ITuple e:
                if (yours is not ITuple yt || yt.Length != e.Length) return Of($"yours is {Describe(yours)}, expected {e.Length} values");
                for (int k = 0; k < e.Length; k++)
                    if (Difference(yt[k], e[k], tolerance, path.Length == 0 ? $"in value {k + 1}," : $"{path} value {k + 1},") is { } d)
                        return d;
                return null;
            case string e:
                return yours is string ys && ys == e ? null : Of($"yours is {Describe(yours)}, expected \"{e}\"");
            case IEnumerable e:
                var expectedItems = e.Cast<object?>().ToList();
                if (yours is not IEnumerable ye) return Of($"yours is {Describe(yours)}, expected {expectedItems.Count} values");
                var yourItems = ye.Cast<object?>().ToList();
                if (yourItems.Count != expectedItems.Count)
                    return Of($"yours has {yourItems.Count} values, expected {expectedItems.Count}");
                for (int k = 0; k < expectedItems.Count; k++)
                    if (Difference(yourItems[k], expectedItems[k], tolerance, $"{(path.Length == 0 ? "" : path + " ")}item {k}:") is { } d)
                        return d;
                return null;
            default:
                return Equals(yours, expected) ? null : Of($"yours is {Describe(yours)}, expected {Describe(expected)}");
        }
    }

    /// <summary>|a − b| ≤ tolerance·max(1, |b|), and NaN only equals NaN, ∞ only the same ∞.</summary>
    private static bool Close(double a, double b, double tolerance) =>
        double.IsNaN(b) ? double.IsNaN(a)
        : double.IsInfinity(b) ? a == b
        : Math.Abs(a - b) <= tolerance * Math.Max(1, Math.Abs(b));

    /// <summary>An input or an answer as a message shows it: numbers in 3 significant digits, matrices by shape.</summary>
    public static string Describe(object? value) => value switch
    {
        null => "null",
        double d => Number(d),
        Matrix<double> m => $"a {Shape(m)} matrix",
        Vector<double> v => $"a vector of {v.Count}",
        ITuple t => "(" + string.Join(", ", Enumerable.Range(0, t.Length).Select(k => Describe(t[k]))) + ")",
        string s => $"\"{s}\"",
        IEnumerable e => "[" + string.Join(", ", e.Cast<object?>().Take(6).Select(Describe)) + (e.Cast<object?>().Count() > 6 ? ", …" : "") + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Number(double x) => Check.Format(x, 3);

    /// <summary><paramref name="x"/> with as few significant digits (3 at least) as make it read differently from <paramref name="other"/>.</summary>
    private static string Number(double x, double other)
    {
        for (int digits = 3; digits < 17; digits++)
            if (Check.Format(x, digits) != Check.Format(other, digits)) return Check.Format(x, digits);
        return Check.Format(x, 17);
    }

    private static string Shape(Matrix<double> m) => $"{m.RowCount}×{m.ColumnCount}";
}
