using MathNet.Numerics.LinearAlgebra;

namespace FromScratch.Autograd;

/// <summary>
/// A matrix that remembers how it was computed: <see cref="Value"/>'s idea on whole matrices (lesson 13,
/// "Autograd from scratch"), with the course's convention of one column per sample. Each operation returns a
/// new Tensor that records its inputs and a backward step; <see cref="Backward"/> runs the steps from the
/// last tensor to the first. With it, a network is just its forward pass:
/// <code>
/// var Z1 = W1 * X + b1;        // (n1 × m) = (n1 × n0)(n0 × m) + (n1 × 1), b broadcast over the m columns
/// var A1 = Z1.Relu();
/// var L  = Tensor.SoftmaxCrossEntropy(W2 * A1 + b2, Y);   // 1 × 1
/// L.Backward();                // W1.Grad, b1.Grad, W2.Grad, b2.Grad are now ∂L/∂W1, …
/// </code>
/// </summary>
/// <remarks>
/// As in lesson 11's backward pass, the matrix product's backward step is two products: for C = A·B,
/// dA = dC·Bᵀ and dB = Aᵀ·dC. Gradients accumulate (+=), so a tensor used twice gets both contributions.
/// </remarks>
public sealed class Tensor
{
    private readonly Tensor[] _inputs;
    private readonly Action<Tensor> _backward; // adds to each input's Grad, from this tensor's Grad

    /// <summary>A leaf: a matrix you set (weights, inputs, labels), with no history. The matrix is used, not copied.</summary>
    public Tensor(Matrix<double> data, string label = "") : this(data, [], "", _ => { }) => Label = label;

    private Tensor(Matrix<double> data, Tensor[] inputs, string operation, Action<Tensor> backward)
    {
        Data = data;
        Grad = Matrix<double>.Build.Dense(data.RowCount, data.ColumnCount);
        _inputs = inputs;
        Operation = operation;
        _backward = backward;
        Label = "";
    }

    /// <summary>The values (forward pass).</summary>
    public Matrix<double> Data { get; }

    /// <summary>∂L/∂(each entry), same shape as <see cref="Data"/>, for the L of the last <see cref="Backward"/>.</summary>
    public Matrix<double> Grad { get; private set; }

    /// <summary>A name for messages, e.g. "W1".</summary>
    public string Label { get; set; }

    /// <summary>The operation that made this tensor ("·", "+", "ReLU", …); empty for a leaf.</summary>
    public string Operation { get; }

    /// <summary>The tensors this one was computed from.</summary>
    public IReadOnlyList<Tensor> Inputs => _inputs;

    /// <summary>"rows×columns".</summary>
    public string Shape => $"{Data.RowCount}×{Data.ColumnCount}";

    /// <summary>The single number of a 1×1 tensor (a loss).</summary>
    public double Item => Data.RowCount == 1 && Data.ColumnCount == 1
        ? Data[0, 0]
        : throw new InvalidOperationException($"Item needs a 1×1 tensor, but {Describe(this)} is {Shape}.");

    // ---- matrix operations ------------------------------------------------------------------------

    /// <summary>The matrix product A·B (n×k times k×m); dA = dC·Bᵀ, dB = Aᵀ·dC.</summary>
    public static Tensor operator *(Tensor a, Tensor b)
    {
        if (a.Data.ColumnCount != b.Data.RowCount)
            throw new ArgumentException($"A·B needs A's columns = B's rows, but {Describe(a)} is {a.Shape} and {Describe(b)} is {b.Shape}.");
        return new(a.Data * b.Data, [a, b], "·", c =>
        {
            a.Grad += c.Grad * b.Data.Transpose();
            b.Grad += a.Data.Transpose() * c.Grad;
        });
    }

    /// <summary>
    /// A + B for equal shapes, or with a column b (n×1) on either side added to every column of the other (n×m):
    /// the bias of Z = W·A + b. The broadcast column's gradient is the row sums of the output's: db = Σⱼ dZ[:, j].
    /// </summary>
    public static Tensor operator +(Tensor a, Tensor b)
    {
        if (SameShape(a, b))
            return new(a.Data + b.Data, [a, b], "+", c => { a.Grad += c.Grad; b.Grad += c.Grad; });
        if (IsColumnFor(b, a))
            return new(AddColumn(a.Data, b.Data), [a, b], "+", c => { a.Grad += c.Grad; b.Grad += RowSums(c.Grad); });
        if (IsColumnFor(a, b))
            return new(AddColumn(b.Data, a.Data), [a, b], "+", c => { a.Grad += RowSums(c.Grad); b.Grad += c.Grad; });
        throw new ArgumentException($"A + B needs equal shapes or one n×1 column, but {Describe(a)} is {a.Shape} and {Describe(b)} is {b.Shape}.");
    }

    /// <summary>A − B (equal shapes); ∂/∂A = 1, ∂/∂B = −1.</summary>
    public static Tensor operator -(Tensor a, Tensor b)
    {
        RequireSameShape(a, b, "A − B");
        return new(a.Data - b.Data, [a, b], "−", c => { a.Grad += c.Grad; b.Grad -= c.Grad; });
    }

    /// <summary>s·A for a fixed number s; ∂/∂A = s.</summary>
    public static Tensor operator *(double s, Tensor a) =>
        new(s * a.Data, [a], $"{s:G4}·", c => a.Grad += s * c.Grad);

    /// <summary>A ⊙ B, entry by entry (equal shapes); ∂/∂A = B, ∂/∂B = A.</summary>
    public Tensor PointwiseMultiply(Tensor b)
    {
        RequireSameShape(this, b, "A ⊙ B");
        return new(Data.PointwiseMultiply(b.Data), [this, b], "⊙", c =>
        {
            Grad += c.Grad.PointwiseMultiply(b.Data);
            b.Grad += c.Grad.PointwiseMultiply(Data);
        });
    }

    /// <summary>The sum of all entries, as a 1×1 tensor; every entry's gradient is the output's.</summary>
    public Tensor Sum() =>
        new(Matrix<double>.Build.Dense(1, 1, Data.Enumerate().Sum()), [this], "Σ", c => Grad += c.Grad[0, 0]);

    // ---- entry-by-entry functions: the course's activations ----------------------------------------

    /// <summary>Aⁿ entry by entry; ∂/∂a = n·aⁿ⁻¹.</summary>
    public Tensor Pow(double n) =>
        Map(a => Math.Pow(a, n), (a, _) => n * Math.Pow(a, n - 1), $"^{n:G4}");

    /// <summary>eᵃ entry by entry; ∂/∂a = eᵃ.</summary>
    public Tensor Exp() => Map(Math.Exp, (_, e) => e, "exp");

    /// <summary>ln a entry by entry; ∂/∂a = 1/a.</summary>
    public Tensor Log() => Map(Math.Log, (a, _) => 1 / a, "log");

    /// <summary>σ(a) entry by entry; ∂/∂a = σ(a)(1 − σ(a)).</summary>
    public Tensor Sigmoid() => Map(Activation.SigmoidOf, (_, s) => s * (1 - s), "σ");

    /// <summary>tanh a entry by entry; ∂/∂a = 1 − tanh²a.</summary>
    public Tensor Tanh() => Map(Math.Tanh, (_, t) => 1 - t * t, "tanh");

    /// <summary>ReLU(a) = max(0, a) entry by entry; ∂/∂a = 1 where a &gt; 0, else 0.</summary>
    public Tensor Relu() => Map(a => a > 0 ? a : 0, (a, _) => a > 0 ? 1 : 0, "ReLU");

    /// <summary>
    /// Softmax of every column: s = e^(z − max z) / Σ e^(z − max z) (the shift changes nothing but keeps e^z finite).
    /// Backward per column: dz = s ⊙ (ds − (sᵀ·ds)), the Jacobian diag(s) − s·sᵀ applied to ds.
    /// </summary>
    public Tensor Softmax()
    {
        var s = Matrix<double>.Build.Dense(Data.RowCount, Data.ColumnCount);
        for (int j = 0; j < Data.ColumnCount; j++)
        {
            var z = Data.Column(j);
            var e = (z - z.Maximum()).PointwiseExp();
            s.SetColumn(j, e / e.Sum());
        }
        return new(s, [this], "softmax", o =>
        {
            for (int j = 0; j < s.ColumnCount; j++)
            {
                var sj = s.Column(j);
                var dsj = o.Grad.Column(j);
                Grad.SetColumn(j, Grad.Column(j) + sj.PointwiseMultiply(dsj - sj.DotProduct(dsj)));
            }
        });
    }

    // ---- the course's losses, built from the operations above: their backward comes for free -------

    /// <summary>E = (1/m)·Σ (ŷ − y)² over all outputs and the m samples (columns), as <see cref="Loss.MeanSquaredError"/>.</summary>
    public static Tensor MeanSquaredError(Tensor ŷ, Tensor y) => (1.0 / y.Data.ColumnCount) * (ŷ - y).Pow(2).Sum();

    /// <summary>E = −(1/m)·Σ [y·ln ŷ + (1 − y)·ln(1 − ŷ)], as <see cref="Loss.BinaryCrossEntropy"/> (without its clamp).</summary>
    public static Tensor BinaryCrossEntropy(Tensor ŷ, Tensor y)
    {
        var ones = new Tensor(Matrix<double>.Build.Dense(y.Data.RowCount, y.Data.ColumnCount, 1.0), "1");
        var perEntry = y.PointwiseMultiply(ŷ.Log()) + (ones - y).PointwiseMultiply((ones - ŷ).Log());
        return (-1.0 / y.Data.ColumnCount) * perEntry.Sum();
    }

    /// <summary>
    /// E = −(1/m)·Σ y ⊙ ln softmax(z), from the scores z of the last layer (before softmax), as a softmax output
    /// layer with <see cref="Loss.SoftmaxCrossEntropy"/>. Backward gives dz = (softmax(z) − y)/m by itself.
    /// </summary>
    public static Tensor SoftmaxCrossEntropy(Tensor z, Tensor y) =>
        (-1.0 / y.Data.ColumnCount) * y.PointwiseMultiply(z.Softmax().Log()).Sum();

    // ---- the chain rule over the graph -------------------------------------------------------------

    /// <summary>
    /// Fills <see cref="Grad"/> of every tensor this 1×1 tensor (a loss) depends on with ∂L/∂(that tensor):
    /// this.Grad = 1, then each backward step, outputs before inputs. The leaves (weights) add to what they had,
    /// as in PyTorch, so a training loop calls <see cref="ZeroGrad"/> every step; computed tensors start from 0.
    /// </summary>
    public void Backward()
    {
        if (Data.RowCount != 1 || Data.ColumnCount != 1)
            throw new InvalidOperationException($"Backward starts from a 1×1 tensor (a loss), but {Describe(this)} is {Shape}.");
        var order = TopologicalOrder();
        foreach (var t in order)
            if (t._inputs.Length > 0) t.Grad = Matrix<double>.Build.Dense(t.Data.RowCount, t.Data.ColumnCount);
        Grad[0, 0] += 1;
        for (int i = order.Count - 1; i >= 0; i--)
            order[i]._backward(order[i]);
    }

    /// <summary>Sets every gradient this tensor depends on (its own included) to zero.</summary>
    public void ZeroGrad()
    {
        foreach (var t in TopologicalOrder())
            t.Grad = Matrix<double>.Build.Dense(t.Data.RowCount, t.Data.ColumnCount);
    }

    /// <summary>Every tensor this one depends on, each once, inputs first; this one last.</summary>
    public IReadOnlyList<Tensor> TopologicalOrder()
    {
        var order = new List<Tensor>();
        var visited = new HashSet<Tensor>(ReferenceEqualityComparer.Instance) { this };
        var stack = new Stack<(Tensor Node, int NextInput)>();
        stack.Push((this, 0));
        while (stack.Count > 0)
        {
            var (node, next) = stack.Pop();
            if (next < node._inputs.Length)
            {
                stack.Push((node, next + 1));
                if (visited.Add(node._inputs[next]))
                    stack.Push((node._inputs[next], 0));
            }
            else
            {
                order.Add(node);
            }
        }
        return order;
    }

    /// <summary>"W1: Tensor 32×64 (leaf)" or "Tensor 10×32 (ReLU)".</summary>
    public override string ToString() =>
        $"{(Label.Length > 0 ? Label + ": " : "")}Tensor {Shape} ({(Operation.Length > 0 ? Operation : "leaf")})";

    // ---- helpers ------------------------------------------------------------------------------------

    /// <summary>f entry by entry; backward multiplies by f′, given as f′(input, output).</summary>
    private Tensor Map(Func<double, double> f, Func<double, double, double> derivative, string operation)
    {
        var output = Data.Map(f);
        return new(output, [this], operation, o =>
        {
            for (int j = 0; j < Data.ColumnCount; j++)
                for (int i = 0; i < Data.RowCount; i++)
                    Grad[i, j] += derivative(Data[i, j], output[i, j]) * o.Grad[i, j];
        });
    }

    private static bool SameShape(Tensor a, Tensor b) =>
        a.Data.RowCount == b.Data.RowCount && a.Data.ColumnCount == b.Data.ColumnCount;

    private static bool IsColumnFor(Tensor column, Tensor matrix) =>
        column.Data.ColumnCount == 1 && column.Data.RowCount == matrix.Data.RowCount;

    private static void RequireSameShape(Tensor a, Tensor b, string what)
    {
        if (!SameShape(a, b))
            throw new ArgumentException($"{what} needs equal shapes, but {Describe(a)} is {a.Shape} and {Describe(b)} is {b.Shape}.");
    }

    private static string Describe(Tensor t) => t.Label.Length > 0 ? t.Label : "the tensor";

    private static Matrix<double> AddColumn(Matrix<double> matrix, Matrix<double> column)
    {
        var sum = matrix.Clone();
        for (int j = 0; j < sum.ColumnCount; j++)
            sum.SetColumn(j, sum.Column(j) + column.Column(0));
        return sum;
    }

    private static Matrix<double> RowSums(Matrix<double> m) => Matrix<double>.Build.DenseOfColumnVectors(m.RowSums());
}
