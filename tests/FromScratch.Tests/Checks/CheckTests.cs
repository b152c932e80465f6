namespace FromScratch.Tests.Checks;

/// <summary>These tests redirect Console.Out, so they must not run alongside other tests.</summary>
[CollectionDefinition("Console", DisableParallelization = true)]
public class ConsoleCollection;

[Collection("Console")]
public class CheckTests
{
    private static string Printed(Action action)
    {
        var saved = Console.Out;
        var writer = new StringWriter();
        Console.SetOut(writer);
        try { action(); }
        finally { Console.SetOut(saved); }
        return writer.ToString();
    }

    private static string Failure(Action action)
    {
        string printed = "";
        var e = Assert.Throws<CheckFailedException>(() => printed = Printed(action));
        Assert.Equal("", printed);
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    [Fact]
    public void Near_prints_the_claim_with_measured_and_expected_values()
    {
        string printed = Printed(() => Check.Near("MSE of the always-0 network", 0.5, 0.5, 1e-12));
        Assert.Equal("✔ MSE of the always-0 network = 0.5 (expected 0.5 ± 1e-12)" + Environment.NewLine, printed);
    }

    [Fact]
    public void Near_fails_with_the_measured_value_and_the_difference()
    {
        string message = Failure(() => Check.Near("o₁", 0.5237, 0.524, 1e-4));
        Assert.Equal("✘ o₁ = 0.5237, expected 0.524 ± 0.0001 (off by 0.0003)", message);
    }

    [Fact]
    public void Near_shows_enough_digits_to_see_a_tiny_difference()
    {
        string message = Failure(() => Check.Near("E", 0.2500001, 0.25, 1e-9));
        Assert.StartsWith("✘ E = 0.2500001, expected 0.25 ± 1e-9", message);
    }

    [Fact]
    public void NaN_is_never_near_anything()
    {
        Assert.Equal("✘ loss = NaN, expected 0.25 ± 0.01 (off by NaN)", Failure(() => Check.Near("loss", double.NaN, 0.25, 0.01)));
    }

    [Fact]
    public void Near_refuses_a_negative_tolerance()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Check.Near("x", 1, 1, -1));
    }

    [Fact]
    public void Below_and_Above_print_or_fail()
    {
        Assert.Equal("✔ final loss = 0.0834529 (expected < 0.1)" + Environment.NewLine,
            Printed(() => Check.Below("final loss", 0.08345291234, 0.1)));
        Assert.Equal("✘ final loss = 0.25, expected < 0.1", Failure(() => Check.Below("final loss", 0.25, 0.1)));
        Assert.Equal("✘ final loss = ∞, expected < 0.1", Failure(() => Check.Below("final loss", double.PositiveInfinity, 0.1)));
        Assert.Equal("✘ final loss = NaN, expected < 0.1", Failure(() => Check.Below("final loss", double.NaN, 0.1)));

        Assert.Equal("✔ accuracy = 0.95 (expected > 0.9)" + Environment.NewLine, Printed(() => Check.Above("accuracy", 0.95, 0.9)));
        Assert.Equal("✘ accuracy = 0.9, expected > 0.9", Failure(() => Check.Above("accuracy", 0.9, 0.9)));
    }

    [Fact]
    public void That_prints_the_claim_or_fails()
    {
        Assert.Equal("✔ the raw-input run diverges" + Environment.NewLine, Printed(() => Check.That(true, "the raw-input run diverges")));
        Assert.Equal("✘ the raw-input run diverges: this does not hold", Failure(() => Check.That(false, "the raw-input run diverges")));
    }

    [Fact]
    public void Equal_compares_whole_numbers()
    {
        Assert.Equal("✔ samples = 200 (expected 200)" + Environment.NewLine, Printed(() => Check.Equal("samples", 200, 200)));
        Assert.Equal("✘ samples = 199, expected 200", Failure(() => Check.Equal("samples", 199, 200)));
    }

    [Fact]
    public void Numbers_are_formatted_with_the_invariant_culture()
    {
        var saved = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            var comma = (System.Globalization.CultureInfo)System.Globalization.CultureInfo.InvariantCulture.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ",";
            System.Globalization.CultureInfo.CurrentCulture = comma;
            Assert.Equal("0.5", Check.Format(0.5));
            Assert.Equal("1.23457e+6", Check.Format(1234567.89));
            Assert.Equal("−∞", Check.Format(double.NegativeInfinity));
            Assert.Equal("1e-12", Check.Format(1e-12));
            Assert.Equal("-2.5e-7", Check.Format(-2.5e-7));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = saved;
        }
    }
}
