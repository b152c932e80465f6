using FromScratch.Autograd;

namespace FromScratch.Tests.Autograd;

public class ValueTests
{
    /// <summary>(f(x + h) − f(x − h)) / 2h: the numerical derivative every local rule is checked against.</summary>
    private static double Numerical(Func<double, double> f, double x, double h = 1e-6) => (f(x + h) - f(x - h)) / (2 * h);

    public static TheoryData<string, double> UnaryCases => new()
    {
        { "exp", 0.7 }, { "log", 1.9 }, { "sigmoid", -0.4 }, { "tanh", 0.3 }, { "relu", 1.2 }, { "relu", -0.8 },
        { "pow3", 1.3 }, { "pow-0.5", 2.0 }, { "neg", 0.6 },
    };

    private static Value Apply(string op, Value x) => op switch
    {
        "exp" => x.Exp(),
        "log" => x.Log(),
        "sigmoid" => x.Sigmoid(),
        "tanh" => x.Tanh(),
        "relu" => x.Relu(),
        "pow3" => x.Pow(3),
        "pow-0.5" => x.Pow(-0.5),
        "neg" => -x,
        _ => throw new ArgumentException(op),
    };

    [Theory]
    [MemberData(nameof(UnaryCases))]
    public void Every_unary_operation_has_the_finite_difference_derivative(string op, double at)
    {
        var x = new Value(at);
        var y = Apply(op, x);
        y.Backward();
        double expected = Numerical(t => Apply(op, new Value(t)).Data, at);
        Assert.True(Math.Abs(x.Grad - expected) < 1e-8, $"{op} at {at}: backward {x.Grad:R}, finite differences {expected:R}");
    }

    public static TheoryData<string> BinaryCases => new() { "+", "-", "*", "/" };

    private static Value Apply(string op, Value a, Value b) => op switch
    {
        "+" => a + b,
        "-" => a - b,
        "*" => a * b,
        "/" => a / b,
        _ => throw new ArgumentException(op),
    };

    [Theory]
    [MemberData(nameof(BinaryCases))]
    public void Every_binary_operation_has_both_finite_difference_derivatives(string op)
    {
        const double a0 = 1.7, b0 = -0.6;
        var a = new Value(a0);
        var b = new Value(b0);
        Apply(op, a, b).Backward();
        double da = Numerical(t => Apply(op, new Value(t), new Value(b0)).Data, a0);
        double db = Numerical(t => Apply(op, new Value(a0), new Value(t)).Data, b0);
        Assert.True(Math.Abs(a.Grad - da) < 1e-8, $"∂(a {op} b)/∂a: {a.Grad:R} vs {da:R}");
        Assert.True(Math.Abs(b.Grad - db) < 1e-8, $"∂(a {op} b)/∂b: {b.Grad:R} vs {db:R}");
    }

    [Fact]
    public void A_value_used_twice_receives_both_contributions()
    {
        var x = new Value(3.0);
        var y = x * x + x; // dy/dx = 2x + 1 = 7
        y.Backward();
        Assert.Equal(7.0, x.Grad);
    }

    [Fact]
    public void Gradients_accumulate_across_two_backward_calls_until_reset()
    {
        var w = new Value(2.0);
        var loss = (w * 3.0).Pow(2); // (3w)² → d/dw = 18w = 36
        loss.Backward();
        Assert.Equal(36.0, w.Grad);
        loss.ZeroGrad();
        Assert.Equal(0.0, w.Grad);
        Assert.Equal(0.0, loss.Grad);
        loss.Backward();
        loss.Backward(); // without a reset the second call adds the same again
        Assert.Equal(72.0, w.Grad);
    }

    [Fact]
    public void Numbers_convert_to_leaves()
    {
        var x = new Value(0.5, "x");
        Value y = 2 * x + 1;
        y.Backward();
        Assert.Equal(2.0, y.Data);
        Assert.Equal(2.0, x.Grad);
        Assert.Equal("x = Value(data=0.5, grad=2)", x.ToString());
    }

    [Fact]
    public void A_very_deep_graph_does_not_overflow_the_stack()
    {
        var x = new Value(1.0);
        Value y = x;
        for (int i = 0; i < 200_000; i++) y = y + 1e-6;
        y.Backward();
        Assert.Equal(1.0, x.Grad);
        Assert.Equal(200_001, y.TopologicalOrder().Count(v => v.Operation == "+") + 1);
    }

    [Fact]
    public void The_topological_order_puts_inputs_before_outputs()
    {
        var a = new Value(1, "a");
        var b = new Value(2, "b");
        var c = a * b;
        var d = c + a;
        var order = d.TopologicalOrder();
        Assert.Equal(4, order.Count);
        Assert.Same(d, order[^1]);
        Assert.True(order.ToList().IndexOf(c) > order.ToList().IndexOf(a));
        Assert.True(order.ToList().IndexOf(c) > order.ToList().IndexOf(b));
    }

    /// <summary>The running example's 2-2-1 network on Values: ŷ = σ(w53·σ(w31x1 + w32x2 + b3) + w54·σ(…) + b5), E = (y − ŷ)².</summary>
    private static (Value E, Dictionary<string, Value> Weights) ToyLoss(ToyNetwork net, double x1, double x2, double y)
    {
        var w = net.Parameters.ToDictionary(p => p.Name, p => new Value(p.Get(), p.Name));
        var h3 = (w["w31"] * x1 + w["w32"] * x2 + w["b3"]).Sigmoid();
        var h4 = (w["w41"] * x1 + w["w42"] * x2 + w["b4"]).Sigmoid();
        var ŷ = (w["w53"] * h3 + w["w54"] * h4 + w["b5"]).Sigmoid();
        return ((y - ŷ).Pow(2), w);
    }

    [Fact]
    public void The_toy_network_on_values_has_the_hand_written_gradients_to_1e_12()
    {
        var net = ToyNetwork.RandomInit(seed: 4);
        foreach (var (x1, x2, y) in new[] { (-2.0, -1.0, 1.0), (25.0, 6.0, 0.0), (17.0, 4.0, 0.0), (-15.0, -6.0, 1.0) })
        {
            var (e, w) = ToyLoss(net, x1, x2, y);
            e.Backward();
            var byHand = net.Backward(net.Forward(x1, x2), y);
            foreach (var (name, expected) in byHand.Named)
                Assert.True(Math.Abs(w[name].Grad - expected) <= 1e-12 * Math.Max(1, Math.Abs(expected)),
                    $"{name}: autograd {w[name].Grad:R}, ToyNetwork.Backward {expected:R}");
        }
    }
}
