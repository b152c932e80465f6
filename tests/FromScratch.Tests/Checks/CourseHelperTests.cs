using MathNet.Numerics.LinearAlgebra;

namespace FromScratch.Tests.Checks;

/// <summary>The helpers the lessons used to write themselves: each one must be able to give the other answer.</summary>
[Collection("Console")]
public class CourseHelperTests
{
    [Fact]
    public void FirstEpochBelow_is_the_first_epoch_strictly_below_the_target_or_null()
    {
        var history = new TrainingHistory("run");
        foreach (double loss in new[] { 0.5, 0.2, 0.1, 0.05, 0.01 }) history.RecordEpoch(loss);
        Assert.Equal(4, history.FirstEpochBelow(0.1));   // 0.1 itself is not below 0.1
        Assert.Equal(1, history.FirstEpochBelow(0.6));
        Assert.Null(history.FirstEpochBelow(0.01));
        Assert.Null(new TrainingHistory().FirstEpochBelow(1));
    }

    [Fact]
    public void MaxRelativeError_checks_every_entry_of_a_matrix_and_restores_it()
    {
        var θ = Matrix<double>.Build.DenseOfArray(new[,] { { 1.0, -2.0, 0.5 }, { 3.0, 0.25, -1.5 } });
        var before = θ.Clone();
        double E() => θ.Enumerate().Sum(v => v * v * v);   // ∂E/∂θ = 3θ²
        var right = θ.Map(v => 3 * v * v);
        Assert.True(GradientCheck.MaxRelativeError(E, θ, right) < 1e-9);
        Assert.Equal(before, θ);
        // One wrong entry, anywhere, is found: dE/dθ[1, 2] = 3·1.5² = 6.75, given as 6.
        var wrong = right.Clone();
        wrong[1, 2] = 6;
        Assert.Equal(GradientCheck.RelativeError(6, 6.75), GradientCheck.MaxRelativeError(E, θ, wrong), 1e-8);
        Assert.Throws<ArgumentException>(() => GradientCheck.MaxRelativeError(E, θ, Matrix<double>.Build.Dense(3, 2)));
    }

    [Fact]
    public void Davis_loads_the_200_people_of_lessons_4_to_7()
    {
        var davis = Dataset.Davis();
        Assert.Equal(200, davis.Count);
        Assert.Equal(["weight_kg", "height_cm"], davis.FeatureNames);
        Assert.Equal(["M", "F"], davis.ClassNames);
        Assert.Equal(112, davis.CountLabel(1)); // lines starting with F in data/davis.csv
        Assert.Equal(200, davis.CountLabel(1) + davis.CountLabel(0));
        Assert.EndsWith(Path.Combine("data", "davis.csv"), Dataset.DataFile("davis.csv"));
        var e = Assert.Throws<FileNotFoundException>(() => Dataset.DataFile("no-such-file.csv"));
        Assert.Contains("no-such-file.csv", e.Message);
    }

    [Fact]
    public void Less_prints_both_sides_and_fails_when_the_first_is_not_smaller()
    {
        var output = new StringWriter();
        var saved = Console.Out;
        Console.SetOut(output);
        try
        {
            Check.Less("Adam's epochs", 12, "SGD's", 80);
        }
        finally
        {
            Console.SetOut(saved);
        }
        Assert.Equal("✔ Adam's epochs = 12 < SGD's = 80", output.ToString().Trim());
        var e = Assert.Throws<CheckFailedException>(() => Check.Less("Adam's epochs", 80, "SGD's", 80));
        Assert.Equal("✘ Adam's epochs = 80, expected < SGD's = 80", e.Message);
    }
}
