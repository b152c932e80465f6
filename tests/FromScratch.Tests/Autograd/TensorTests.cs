using FromScratch.Autograd;
using FromScratch.Tests.Data;
using MathNet.Numerics.LinearAlgebra;

namespace FromScratch.Tests.Autograd;

public class TensorTests
{
    private static Matrix<double> Random(int rows, int columns, Random rng, double scale = 1) =>
        Matrix<double>.Build.Dense(rows, columns, (_, _) => scale * (2 * rng.NextDouble() - 1));

    /// <summary>
    /// Checks ∂L/∂X of a scalar function L(X) built from tensor operations against central differences,
    /// entry by entry, for every leaf in <paramref name="leaves"/>.
    /// </summary>
    private static void AssertGradientsMatchFiniteDifferences(Func<Tensor[], Tensor> loss, params Matrix<double>[] leaves)
    {
        var tensors = leaves.Select((m, i) => new Tensor(m.Clone(), $"X{i}")).ToArray();
        loss(tensors).Backward();
        const double h = 1e-6;
        for (int t = 0; t < leaves.Length; t++)
            for (int i = 0; i < leaves[t].RowCount; i++)
                for (int j = 0; j < leaves[t].ColumnCount; j++)
                {
                    double At(double delta)
                    {
                        var shifted = leaves.Select(m => m.Clone()).ToArray();
                        shifted[t][i, j] += delta;
                        return loss(shifted.Select(m => new Tensor(m)).ToArray()).Item;
                    }
                    double numerical = (At(h) - At(-h)) / (2 * h);
                    double analytic = tensors[t].Grad[i, j];
                    Assert.True(Math.Abs(analytic - numerical) <= 1e-7 * Math.Max(1, Math.Abs(numerical)),
                        $"∂L/∂X{t}[{i},{j}]: backward {analytic:R}, finite differences {numerical:R}");
                }
    }

    public static TheoryData<string> Operations => new()
    {
        "matmul", "add", "add-bias", "bias-add", "subtract", "scale", "pointwise", "pow", "exp", "log", "sigmoid",
        "tanh", "relu", "softmax", "mse", "bce", "softmax-ce", "reuse",
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public void Every_operation_has_the_finite_difference_gradient(string operation)
    {
        var rng = new Random(operation.Length * 31 + operation[0]);
        // A random weighting R makes every entry of a matrix-valued result count differently in L = Σ R ⊙ f(X).
        Tensor Weighted(Tensor f, Random r) => new Tensor(Random(f.Data.RowCount, f.Data.ColumnCount, r)).PointwiseMultiply(f).Sum();
        Func<Tensor[], Tensor> loss = operation switch
        {
            "matmul" => x => Weighted(x[0] * x[1], new Random(1)),
            "add" => x => Weighted(x[0] + x[1], new Random(1)),
            "add-bias" => x => Weighted(x[0] + x[2], new Random(1)),
            "bias-add" => x => Weighted(x[2] + x[0], new Random(1)),
            "subtract" => x => Weighted(x[0] - x[1], new Random(1)),
            "scale" => x => Weighted(-2.5 * x[0], new Random(1)),
            "pointwise" => x => Weighted(x[0].PointwiseMultiply(x[1]), new Random(1)),
            "pow" => x => Weighted(x[3].Pow(3), new Random(1)),
            "exp" => x => Weighted(x[0].Exp(), new Random(1)),
            "log" => x => Weighted(x[3].Log(), new Random(1)),
            "sigmoid" => x => Weighted(x[0].Sigmoid(), new Random(1)),
            "tanh" => x => Weighted(x[0].Tanh(), new Random(1)),
            "relu" => x => Weighted(x[0].Relu(), new Random(1)),
            "softmax" => x => Weighted(x[0].Softmax(), new Random(1)),
            "mse" => x => Tensor.MeanSquaredError(x[0], x[1]),
            "bce" => x => Tensor.BinaryCrossEntropy(x[4], x[5]),
            "softmax-ce" => x => Tensor.SoftmaxCrossEntropy(x[0], x[6]),
            "reuse" => x => Weighted(x[0].PointwiseMultiply(x[0]) + x[0].Tanh(), new Random(1)), // X used three times
            _ => throw new ArgumentException(operation),
        };
        var a = Random(3, 4, rng);                          // X0: 3×4
        var b = operation == "matmul" ? Random(4, 2, rng) : Random(3, 4, rng); // X1
        var bias = Random(3, 1, rng);                       // X2: a column for 3×4
        var positive = Random(3, 4, rng).Map(v => 0.5 + Math.Abs(v)); // X3: for log and fractional powers
        var probabilities = Random(3, 4, rng).Map(v => 0.1 + 0.8 * Math.Abs(v)); // X4: ŷ in (0, 1)
        var labels = Random(3, 4, rng).Map(v => v > 0 ? 1.0 : 0.0);   // X5: 0/1 labels
        var oneHot = Matrix<double>.Build.Dense(3, 4, (i, j) => i == j % 3 ? 1.0 : 0.0); // X6: one-hot columns
        a = a.Map(v => Math.Abs(v) < 1e-3 ? 0.1 : v);       // keep ReLU's kink away from the finite differences
        AssertGradientsMatchFiniteDifferences(loss, a, b, bias, positive, probabilities, labels, oneHot);
    }

    [Fact]
    public void Shapes_that_do_not_fit_name_both_shapes()
    {
        var w = new Tensor(Matrix<double>.Build.Dense(3, 4), "W");
        var x = new Tensor(Matrix<double>.Build.Dense(5, 2), "X");
        var e = Assert.Throws<ArgumentException>(() => w * x);
        Assert.Contains("W is 3×4", e.Message);
        Assert.Contains("X is 5×2", e.Message);
        Assert.Throws<InvalidOperationException>(() => (w + w).Backward()); // a 3×4 tensor is not a loss
    }

    [Fact]
    public void Gradients_accumulate_until_reset()
    {
        var w = new Tensor(Matrix<double>.Build.Dense(1, 1, 2.0), "w");
        var loss = (3.0 * w).Pow(2).Sum(); // 9w² → 18w = 36
        loss.Backward();
        Assert.Equal(36.0, w.Grad[0, 0]);
        loss.Backward();
        Assert.Equal(72.0, w.Grad[0, 0]);
        loss.ZeroGrad();
        Assert.Equal(0.0, w.Grad[0, 0]);
    }

    /// <summary>Digits, pixels / 16 (64 × m), with one-hot labels (10 × m): the first <paramref name="m"/> samples.</summary>
    private static (Matrix<double> X, Matrix<double> Y) Digits(int m)
    {
        var pixels = Enumerable.Range(0, 64).Select(i => $"pixel_{i / 8}_{i % 8}").ToArray();
        var digits = Csv.Load(RepoPaths.DataFile("digits.csv"), pixels, "label",
            LabelMap.Classes("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));
        var x = digits.X.SubMatrix(0, 64, 0, m) / 16.0;
        var y = OneHot.Encode(digits.ClassIndices().Take(m).ToArray(), 10);
        return (x, y);
    }

    /// <summary>The network's forward pass written with tensors, on copies of its weights; returns the loss and the weight tensors.</summary>
    private static (Tensor Loss, List<(Tensor W, Tensor B)> Layers) TensorForward(Network net, Matrix<double> x, Matrix<double> y,
        bool softmaxOutput)
    {
        var layers = net.Layers.Select(l => (W: new Tensor(l.W.Value.Clone(), "W"), B: new Tensor(l.B.Value.Clone(), "b"))).ToList();
        var a = new Tensor(x, "X");
        for (int l = 0; l < layers.Count - 1; l++)
            a = (layers[l].W * a + layers[l].B).Relu();
        var z = layers[^1].W * a + layers[^1].B;
        var labels = new Tensor(y, "Y");
        var loss = softmaxOutput ? Tensor.SoftmaxCrossEntropy(z, labels) : Tensor.BinaryCrossEntropy(z.Sigmoid(), labels);
        return (loss, layers);
    }

    [Fact]
    public void A_deep_softmax_network_on_tensors_has_the_libraries_gradients_on_digits_to_1e_12()
    {
        var (x, y) = Digits(200);
        var net = Network.Create([64, 32, 16, 10], Activation.ReLU, Activation.Softmax, Initializer.He, seed: 3);
        double libraryLoss = net.ComputeGradients(x, y, Loss.SoftmaxCrossEntropy);
        var (loss, layers) = TensorForward(net, x, y, softmaxOutput: true);
        loss.Backward();
        Assert.True(Math.Abs(loss.Item - libraryLoss) < 1e-12, $"loss {loss.Item:R} vs {libraryLoss:R}");
        for (int l = 0; l < layers.Count; l++)
        {
            double dW = (layers[l].W.Grad - net.Layers[l].W.Gradient).Enumerate().Max(Math.Abs);
            double db = (layers[l].B.Grad - net.Layers[l].B.Gradient).Enumerate().Max(Math.Abs);
            Assert.True(dW < 1e-12 && db < 1e-12, $"layer {l + 1}: max |dW difference| {dW:E2}, |db difference| {db:E2}");
        }
    }

    [Fact]
    public void A_sigmoid_output_with_binary_cross_entropy_has_the_libraries_gradients()
    {
        var (x, y10) = Digits(150);
        var y = Matrix<double>.Build.Dense(1, 150, (_, j) => y10[3, j]); // "is it a 3?"
        var net = Network.Create([64, 8, 1], Activation.ReLU, Activation.Sigmoid, Initializer.He, seed: 5);
        net.ComputeGradients(x, y, Loss.BinaryCrossEntropy);
        var (loss, layers) = TensorForward(net, x, y, softmaxOutput: false);
        loss.Backward();
        for (int l = 0; l < layers.Count; l++)
            Assert.True((layers[l].W.Grad - net.Layers[l].W.Gradient).Enumerate().Max(Math.Abs) < 1e-12, $"layer {l + 1}");
    }

    [Fact]
    public void Training_with_tensors_follows_the_library_s_loss_curve()
    {
        // Same start, same batches (the whole set), same plain gradient descent: the same losses, step after step.
        var (x, y) = Digits(300);
        var net = Network.Create([64, 16, 10], Activation.ReLU, Activation.Softmax, Initializer.He, seed: 8);
        var (_, layers) = TensorForward(net, x, y, softmaxOutput: true);
        const double η = 0.5;
        for (int step = 0; step < 20; step++)
        {
            double libraryLoss = net.ComputeGradients(x, y, Loss.SoftmaxCrossEntropy);
            foreach (var p in net.Parameters) p.Value.Subtract(η * p.Gradient, p.Value);

            var a = new Tensor(x);
            var hidden = (layers[0].W * a + layers[0].B).Relu();
            var loss = Tensor.SoftmaxCrossEntropy(layers[1].W * hidden + layers[1].B, new Tensor(y));
            loss.Backward();
            foreach (var (w, b) in layers)
            {
                w.Data.Subtract(η * w.Grad, w.Data);
                b.Data.Subtract(η * b.Grad, b.Data);
            }
            Assert.True(Math.Abs(loss.Item - libraryLoss) < 1e-12, $"step {step}: tensors {loss.Item:R}, library {libraryLoss:R}");
            loss.ZeroGrad();
        }
    }
}
