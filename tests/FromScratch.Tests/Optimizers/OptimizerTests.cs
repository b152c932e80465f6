using MathNet.Numerics.LinearAlgebra;
using static FromScratch.Tests.TestMatrices;

namespace FromScratch.Tests.Optimizers;

public class OptimizerTests
{
    private static Parameter Point(double a, double b, double ga, double gb)
    {
        var p = new Parameter("θ", M(new double[,] { { a }, { b } }));
        p.SetGradient(M(new double[,] { { ga }, { gb } }));
        return p;
    }

    [Fact]
    public void Labels_name_the_learning_rate_with_the_lessons_symbol()
    {
        Assert.Equal("gradient descent (η = 0.1)", new Sgd(0.1).ToString()); // whatever the batch size (lesson 6)
        Assert.Equal("momentum (η = 0.5)", new Momentum(0.5).ToString());
        Assert.Equal("RMSprop (η = 0.01)", new RmsProp(0.01).ToString());
        Assert.Equal("Adam (α = 0.001)", new Adam().ToString());
    }

    [Fact]
    public void Sgd_steps_against_the_gradient()
    {
        var p = Point(1, 2, 0.5, -1);
        new Sgd(0.1).Step(p);
        Assert.Equal(1 - 0.1 * 0.5, p.Value[0, 0]);
        Assert.Equal(2 + 0.1 * 1, p.Value[1, 0]);
    }

    [Fact]
    public void The_stable_rate_bound_is_two_over_the_largest_curvature()
    {
        // H = [[2, 1], [1, 2]] has eigenvalues 1 and 3: the bound is 2/3.
        Assert.Equal(2.0 / 3, Sgd.StableRateBound(M(new double[,] { { 2, 1 }, { 1, 2 } })), 12);
        Assert.Equal(2.0 / 5, Sgd.StableRateBound(M(new double[,] { { 5, 0 }, { 0, 0.1 } })), 12);
        Assert.Equal(1.0, Sgd.StableRateBound(M(new double[,] { { 2 } })), 12);
        Assert.Contains("square", Assert.Throws<ArgumentException>(() => Sgd.StableRateBound(M(new double[,] { { 1, 2 } }))).Message);
        Assert.Contains("symmetric", Assert.Throws<ArgumentException>(() =>
            Sgd.StableRateBound(M(new double[,] { { 1, 2 }, { 0, 1 } }))).Message);
        Assert.Contains("no learning rate", Assert.Throws<ArgumentException>(() =>
            Sgd.StableRateBound(M(new double[,] { { -1, 0 }, { 0, 0 } }))).Message);
    }

    [Theory]
    [InlineData(0.99, false)]
    [InlineData(1.01, true)]
    public void Gradient_descent_on_a_quadratic_diverges_exactly_above_the_bound(double fraction, bool diverges)
    {
        // E(θ) = ½·θᵀHθ has gradient Hθ; with η = fraction·(2/λ_max) the distance grows only above the bound.
        var h = M(new double[,] { { 3, 1 }, { 1, 1 } });
        double η = fraction * Sgd.StableRateBound(h);
        var θ = new Parameter("θ", M(new double[,] { { 1 }, { 1 } }));
        var sgd = new Sgd(η);
        for (int t = 0; t < 2000; t++)
        {
            θ.SetGradient(h * θ.Value);
            sgd.Step(θ);
        }
        Assert.Equal(diverges, θ.Value.FrobeniusNorm() > 1);
    }

    [Fact]
    public void Momentum_averages_the_gradients()
    {
        var p = Point(1, 2, 0.5, -1);
        var momentum = new Momentum(0.1, β: 0.9);
        momentum.Step(p);                                   // v1 = 0.1·g1
        Assert.Equal(1 - 0.1 * (0.1 * 0.5), p.Value[0, 0], 15);
        p.SetGradient(M(new double[,] { { 2 }, { 0 } }));
        momentum.Step(p);                                   // v2 = 0.9·v1 + 0.1·g2
        double v2 = 0.9 * 0.05 + 0.1 * 2;
        Assert.Equal(1 - 0.1 * 0.05 - 0.1 * v2, p.Value[0, 0], 15);
        Assert.Equal(v2, momentum.Velocity(p)![0, 0], 15);
    }

    [Fact]
    public void RmsProp_divides_by_the_root_mean_square()
    {
        var p = Point(1, 2, 0.5, -4);
        var rms = new RmsProp(0.01, β: 0.9, ε: 1e-8);
        rms.Step(p);                                         // s1 = 0.1·g², step = η·g/(√s1 + ε)
        Assert.Equal(1 - 0.01 * 0.5 / (Math.Sqrt(0.1 * 0.25) + 1e-8), p.Value[0, 0], 15);
        Assert.Equal(2 + 0.01 * 4 / (Math.Sqrt(0.1 * 16) + 1e-8), p.Value[1, 0], 15);
        rms.Step(p);                                         // s2 = 0.9·s1 + 0.1·g²
        double s2 = 0.9 * 0.1 * 0.25 + 0.1 * 0.25;
        Assert.Equal(1 - 0.01 * 0.5 / (Math.Sqrt(0.1 * 0.25) + 1e-8) - 0.01 * 0.5 / (Math.Sqrt(s2) + 1e-8), p.Value[0, 0], 15);
    }

    [Fact]
    public void Adam_first_step_is_alpha_times_the_sign_of_the_gradient()
    {
        var p = Point(0, 0, 1e-3, -50);
        var adam = new Adam();                              // α = 0.001
        adam.Step(p);
        // v̂ = g, ŝ = g², so the step is α·g / (|g| + ε) ≈ α·sign(g) whatever the size of g.
        Assert.Equal(-0.001 * 1e-3 / (1e-3 + 1e-8), p.Value[0, 0], 15);
        Assert.Equal(-0.001, p.Value[0, 0], 7);
        Assert.Equal(+0.001, p.Value[1, 0], 12);

        // Second step by hand (β1 = 0.9, β2 = 0.999, bias-corrected).
        double θ1 = p.Value[0, 0];
        p.SetGradient(M(new double[,] { { 2e-3 }, { -50 } }));
        adam.Step(p);
        double v = 0.9 * 0.1 * 1e-3 + 0.1 * 2e-3, s = 0.999 * 0.001 * 1e-6 + 0.001 * 4e-6;
        double vHat = v / (1 - 0.81), sHat = s / (1 - 0.999 * 0.999);
        Assert.Equal(θ1 - 0.001 * vHat / (Math.Sqrt(sHat) + 1e-8), p.Value[0, 0], 15);
    }

    [Fact]
    public void State_is_kept_per_parameter()
    {
        var a = Point(0, 0, 1, 1);
        var b = Point(0, 0, 1, 1);
        var adam = new Adam(0.1);
        adam.Step(a);
        adam.Step(a);
        adam.Step(b);                                       // b's first step: exactly like a's first
        var fresh = Point(0, 0, 1, 1);
        new Adam(0.1).Step(fresh);
        Assert.True(BitIdentical(fresh.Value, b.Value));
        Assert.NotEqual(a.Value[0, 0], b.Value[0, 0]);
        adam.Reset();
        adam.Step(a);
        Assert.Equal(-0.2 - 0.1, a.Value[0, 0], 6);          // after Reset, a restarts with a first step ≈ α
    }

    public static TheoryData<string> OptimizerNames => ["sgd", "momentum", "rmsprop", "adam"];

    [Theory]
    [MemberData(nameof(OptimizerNames))]
    public void Every_optimizer_walks_down_an_elongated_bowl(string name)
    {
        // E(θ) = θ1² + 10·θ2², minimum at (0, 0); one 2×1 parameter, as on a lesson's 2-D error surface.
        Optimizer optimizer = name switch
        {
            "sgd" => new Sgd(0.05),
            "momentum" => new Momentum(0.05),
            "rmsprop" => new RmsProp(0.05),
            _ => new Adam(0.1),
        };
        var θ = new Parameter("θ", M(new double[,] { { 3 }, { 2 } }));
        double E() => θ.Value[0, 0] * θ.Value[0, 0] + 10 * θ.Value[1, 0] * θ.Value[1, 0];
        double start = E();
        for (int t = 0; t < 200; t++)
        {
            θ.SetGradient(M(new double[,] { { 2 * θ.Value[0, 0] }, { 20 * θ.Value[1, 0] } }));
            optimizer.Step(θ);
        }
        Assert.True(E() < 1e-2 * start, $"{name}: E went from {start} to {E()}");
    }

    [Fact]
    public void Invalid_hyperparameters_are_rejected_naming_parameter_and_value()
    {
        var e1 = Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(0));
        Assert.Contains("LearningRate", e1.Message);
        Assert.Contains("0", e1.Message);
        var e2 = Assert.Throws<ArgumentOutOfRangeException>(() => new Momentum(0.1, β: 1.0));
        Assert.Contains("β", e2.Message);
        Assert.Contains("1", e2.Message);
        var e3 = Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(β1: -0.1));
        Assert.Contains("-0.1", e3.Message);
        var e4 = Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp(0.1, ε: 0));
        Assert.Contains("ε", e4.Message);
        var e5 = Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(-0.01));
        Assert.Contains("-0.01", e5.Message);
        var sgd = new Sgd(0.1);
        Assert.Throws<ArgumentOutOfRangeException>(() => sgd.LearningRate = double.NaN);
        Assert.Throws<ArgumentException>(() => new Parameter("W", M(new double[,] { { 1, 2 } })).SetGradient(M(new double[,] { { 1 }, { 2 } })));
    }
}

public class ScheduleAndAverageTests
{
    [Fact]
    public void Schedules_follow_their_formulas_and_start_at_alpha_zero()
    {
        Assert.All(Enumerable.Range(0, 10), e => Assert.Equal(0.2, LearningRateSchedule.Constant(0.2).Rate(e)));
        var inverse = LearningRateSchedule.InverseTimeDecay(0.2, k: 1);
        Assert.Equal([0.2, 0.1, 0.2 / 3, 0.05], Enumerable.Range(0, 4).Select(inverse.Rate)); // Ng's table, epochs 1, 2, 3 after the start
        var exponential = LearningRateSchedule.ExponentialDecay(0.1, 0.95);
        Assert.Equal(0.1 * Math.Pow(0.95, 7), exponential.Rate(7), 15);
        Assert.Equal(0.1, exponential.Rate(0));
        var step = LearningRateSchedule.StepDecay(1.0, 0.5, stepSize: 3);
        Assert.Equal([1.0, 1, 1, 0.5, 0.5, 0.5, 0.25], Enumerable.Range(0, 7).Select(step.Rate));
        Assert.Throws<ArgumentOutOfRangeException>(() => inverse.Rate(-1));
        Assert.Contains("-2", Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.InverseTimeDecay(0.1, -2)).Message);
        Assert.Contains("0", Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Constant(0)).Message);
        Assert.Contains("stepSize", Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.StepDecay(1, 0.5, 0)).Message);
    }

    [Fact]
    public void Adam_and_RmsProp_StepOf_are_the_formulas_the_optimizers_apply_to_every_entry()
    {
        // Three steps of the classes on a two-entry parameter against the per-number formulas, written out here.
        double[][] gradients = [[0.5, -1e-3], [-2, 3], [0.25, 0]];
        var p = new Parameter("θ", M(new double[,] { { 1 }, { -2 } }));
        var q = new Parameter("θ", M(new double[,] { { 1 }, { -2 } }));
        var adam = new Adam(0.01, 0.8, 0.99, 1e-6);
        var rms = new RmsProp(0.05, 0.7, 1e-6);
        double[] θ = [1, -2], v = [0, 0], s = [0, 0], θr = [1, -2], sr = [0, 0];
        for (int t = 1; t <= gradients.Length; t++)
        {
            p.SetGradient(M(new double[,] { { gradients[t - 1][0] }, { gradients[t - 1][1] } }));
            q.SetGradient(M(new double[,] { { gradients[t - 1][0] }, { gradients[t - 1][1] } }));
            adam.Step(p);
            rms.Step(q);
            for (int i = 0; i < 2; i++)
            {
                double g = gradients[t - 1][i];
                v[i] = 0.8 * v[i] + 0.2 * g;
                s[i] = 0.99 * s[i] + 0.01 * g * g;
                θ[i] -= 0.01 * (v[i] / (1 - Math.Pow(0.8, t))) / (Math.Sqrt(s[i] / (1 - Math.Pow(0.99, t))) + 1e-6);
                sr[i] = 0.7 * sr[i] + 0.3 * g * g;
                θr[i] -= 0.05 * g / (Math.Sqrt(sr[i]) + 1e-6);
                Assert.Equal(θ[i], p.Value[i, 0], 14);
                Assert.Equal(θr[i], q.Value[i, 0], 14);
            }
        }

        // StepOf on its own: Adam's first step is α·sign(dθ) (bias correction), RMSprop's first is η/√(1 − β).
        var (θ1, v1, s1) = Adam.StepOf(0, -4, 0, 0, t: 1, α: 0.1, β1: 0.9, β2: 0.999, ε: 1e-12);
        Assert.Equal(0.1, θ1, 12);
        Assert.Equal(-0.4, v1, 15);
        Assert.Equal(0.001 * 16, s1, 15);
        var (θ2, s2) = RmsProp.StepOf(0, 4, 0, η: 0.1, β: 0.9, ε: 1e-12);
        Assert.Equal(-0.1 / Math.Sqrt(0.1), θ2, 10);
        Assert.Equal(0.1 * 16, s2, 14);
        Assert.Contains("t", Assert.Throws<ArgumentOutOfRangeException>(() => Adam.StepOf(0, 1, 0, 0, 0, 0.1, 0.9, 0.999, 1e-8)).Message);
    }

    [Fact]
    public void Exponentially_weighted_average_with_and_without_bias_correction()
    {
        double[] θ = [10, 20, 30];
        var raw = ExponentiallyWeightedAverage.Of(θ, 0.9);
        Assert.Equal(1.0, raw[0], 15);                      // 0.9·0 + 0.1·10: too small at the start
        Assert.Equal(0.9 * 1 + 0.1 * 20, raw[1], 15);
        Assert.Equal(0.9 * 2.9 + 0.1 * 30, raw[2], 14);
        var corrected = ExponentiallyWeightedAverage.Of(θ, 0.9, biasCorrection: true);
        Assert.Equal(10.0, corrected[0], 14);                // corrected first value = θ_1
        Assert.Equal(2.9 / (1 - 0.81), corrected[1], 14);
        var average = new ExponentiallyWeightedAverage(0.9);
        foreach (var t in θ) average.Add(t);
        Assert.Equal(3, average.Count);
        Assert.Equal(raw[2], average.Value);
        Assert.Equal(corrected[2], average.CorrectedValue);

        // On a long constant series both converge to the constant.
        var flat = ExponentiallyWeightedAverage.Of(Enumerable.Repeat(5.0, 300), 0.9);
        Assert.Equal(5.0, flat[^1], 10);
        Assert.Contains("β", Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentiallyWeightedAverage(1.5)).Message);
    }
}

public class ScheduleArgumentTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Decay_factors_outside_zero_one_are_rejected_naming_gamma(double γ)
    {
        var step = Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.StepDecay(0.1, γ, 2));
        var exponential = Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.ExponentialDecay(0.1, γ));
        Assert.All(new[] { step, exponential }, e =>
        {
            Assert.Equal("γ", e.ParamName);
            Assert.Contains(γ.ToString("R", System.Globalization.CultureInfo.InvariantCulture), e.Message);
        });
        Assert.Equal(0.1, LearningRateSchedule.ExponentialDecay(0.1, 1.0).Rate(50)); // γ = 1 keeps the rate
    }
}
