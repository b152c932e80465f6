using MathNet.Numerics.LinearAlgebra;

namespace FromScratch.Tests.Exercises;

[Collection("Console")] // these tests redirect Console.Out
public class ExerciseTests
{
    private static readonly double[] Zs = [-30, -2, -0.5, 0, 0.5, 2, 30];

    private static (bool Passed, string Line) Run(Func<bool> check)
    {
        var saved = Console.Out;
        var writer = new StringWriter();
        Console.SetOut(writer);
        bool passed;
        try { passed = check(); }
        finally { Console.SetOut(saved); }
        string printed = writer.ToString();
        Assert.Single(printed.Split('\n', StringSplitOptions.RemoveEmptyEntries)); // exactly one line
        return (passed, printed.TrimEnd('\n', '\r'));
    }

    private static bool SigmoidPrime(Func<double, double> yours) => Check.Exercise("3.1", "σ′", yours,
        Activation.SigmoidDerivativeOf, Zs, z => $"z = {z}",
        [("that is σ(z), not σ′(z)", Activation.SigmoidOf)]);

    [Fact]
    public void A_right_answer_passes_with_the_number_of_inputs()
    {
        var (passed, line) = Run(() => SigmoidPrime(z => Activation.SigmoidOf(z) * (1 - Activation.SigmoidOf(z))));
        Assert.True(passed);
        Assert.Equal("✔ Exercise 3.1 (σ′): matches the reference on 7 inputs", line);
    }

    [Fact]
    public void A_known_mistake_is_named_at_the_first_input_where_it_differs()
    {
        var (passed, line) = Run(() => SigmoidPrime(Activation.SigmoidOf));
        Assert.False(passed);
        Assert.StartsWith("✘ Exercise 3.1 (σ′): at z = -2 yours is 0.119, expected 0.105 — that is σ(z), not σ′(z)", line);
    }

    [Fact]
    public void An_unknown_mistake_says_where_and_what_without_a_hint()
    {
        var (passed, line) = Run(() => SigmoidPrime(z => 0.25));
        Assert.False(passed);
        Assert.Equal("✘ Exercise 3.1 (σ′): at z = -30 yours is 0.25, expected 9.36e-14", line);
    }

    [Fact]
    public void The_stub_counts_as_not_attempted()
    {
        var (passed, line) = Run(() => SigmoidPrime(z => throw new NotImplementedException()));
        Assert.False(passed);
        Assert.Equal("○ Exercise 3.1 (σ′): not attempted yet — the rest of the lesson uses the library's version", line);
    }

    [Fact]
    public void An_exception_in_the_learners_code_is_reported_not_thrown()
    {
        static double Broken(double z)
        {
            double[] one = new double[1];
            return one[(int)z + 5];
        }
        var (passed, line) = Run(() => SigmoidPrime(Broken));
        Assert.False(passed);
        Assert.StartsWith("✘ Exercise 3.1 (σ′): at z = -30 your code threw IndexOutOfRangeException:", line);
        Assert.Matches(@"\(line \d+ of your cell\)$", line);
    }

    [Fact]
    public void Matrices_are_compared_by_shape_then_entry_by_entry()
    {
        var input = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2 }, { 3, 4 } });
        Func<Matrix<double>, Matrix<double>> reference = m => m.Transpose();
        var (wrongShape, shapeLine) = Run(() => Check.Exercise("9.1", "Aᵀ", m => m.SubMatrix(0, 1, 0, 2), reference, [input]));
        Assert.False(wrongShape);
        Assert.Equal("✘ Exercise 9.1 (Aᵀ): at a 2×2 matrix yours is 1×2, expected 2×2", shapeLine);
        var (wrongEntry, entryLine) = Run(() => Check.Exercise("9.1", "Aᵀ", m => m.Clone(), reference, [input],
            mistakes: [("that is A itself", m => m)]));
        Assert.False(wrongEntry);
        Assert.Equal("✘ Exercise 9.1 (Aᵀ): at a 2×2 matrix entry [1, 0] of yours is 3, expected 2 — that is A itself", entryLine);
    }

    [Fact]
    public void A_mistake_that_does_not_fit_every_shape_is_still_named_where_both_throw()
    {
        // Bᵀ·A fits square matrices only; the learner's answer throws exactly where the catalogued mistake does.
        var square = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2 }, { 3, 4 } });
        var wide = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2, 3 } });
        Func<Matrix<double>, Matrix<double>> reference = m => m * m.Transpose();
        Func<Matrix<double>, Matrix<double>> wrongOrder = m => m * m;
        var (passed, line) = Run(() => Check.Exercise("9.2", "A·Aᵀ", wrongOrder, reference, [square, wide],
            mistakes: [("A·Aᵀ, not A·A", wrongOrder)]));
        Assert.False(passed);
        Assert.EndsWith("— A·Aᵀ, not A·A", line);
    }

    [Fact]
    public void Tuples_name_the_value_that_differs()
    {
        Func<double, (double Sum, double Product)> reference = x => (x + 1, x * 2);
        var (passed, line) = Run(() => Check.Exercise("1.1", "sum and product", x => (x + 1, x * 3), reference, [2.0]));
        Assert.False(passed);
        Assert.Equal("✘ Exercise 1.1 (sum and product): at 2 in value 2, yours is 6, expected 4", line);
    }

    [Fact]
    public void Numbers_get_the_digits_that_show_the_difference()
    {
        var (_, line) = Run(() => Check.Exercise("3.1", "σ′", Activation.SigmoidOf, Activation.SigmoidDerivativeOf, [-10.0]));
        Assert.Equal("✘ Exercise 3.1 (σ′): at -10 yours is 4.5398e-5, expected 4.5396e-5", line);
    }

    [Fact]
    public void Tolerance_is_relative_to_the_expected_size()
    {
        var (passed, _) = Run(() => Check.Exercise("1.2", "big", x => x * 1e12 * (1 + 1e-12), x => x * 1e12, [3.0]));
        Assert.True(passed);
        var (failed, _) = Run(() => Check.Exercise("1.2", "big", x => x * 1e12 * (1 + 1e-6), x => x * 1e12, [3.0]));
        Assert.False(failed);
    }

    [Fact]
    public void NaN_in_an_answer_is_wrong_where_a_number_is_expected()
    {
        var (passed, line) = Run(() => Check.Exercise("1.3", "mean", (double[] xs) => xs.Sum() / 0 * 0, xs => xs.Average(), [new[] { 1.0, 2.0 }]));
        Assert.False(passed);
        Assert.Equal("✘ Exercise 1.3 (mean): at [1, 2] yours is NaN, expected 1.5", line);
    }
}
