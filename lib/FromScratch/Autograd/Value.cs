namespace FromScratch.Autograd;

/// <summary>
/// One number that remembers how it was computed — the heart of automatic differentiation (lesson 13,
/// "Autograd from scratch"). Every operation on <see cref="Value"/>s returns a new Value that records its
/// inputs and its local derivatives; <see cref="Backward"/> then walks that graph from the end to the start
/// and applies the chain rule once per edge, exactly what lesson 2 did by hand for dE/dw31.
/// </summary>
/// <remarks>
/// Each operation below is written as a pair: the forward value, and the local derivative ∂out/∂input that
/// its backward step multiplies by out.Grad. A Value used twice (like x in x·x) receives the sum of both
/// paths' contributions: gradients accumulate with +=, never =.
/// </remarks>
public sealed class Value
{
    private readonly Value[] _inputs;
    private readonly Action<Value> _backward; // adds out.Grad · (local derivative) to each input's Grad

    /// <summary>A leaf: a number you set (a weight, an input), with no history.</summary>
    public Value(double data, string label = "") : this(data, [], "", _ => { }) => Label = label;

    private Value(double data, Value[] inputs, string operation, Action<Value> backward)
    {
        Data = data;
        _inputs = inputs;
        Operation = operation;
        _backward = backward;
        Label = "";
    }

    /// <summary>The number itself (the forward value).</summary>
    public double Data { get; set; }

    /// <summary>∂L/∂(this value) for the L that <see cref="Backward"/> was last called on; 0 before.</summary>
    public double Grad { get; set; }

    /// <summary>A name for drawings and messages, e.g. "w31".</summary>
    public string Label { get; set; }

    /// <summary>The operation that made this value ("+", "·", "exp", …); empty for a leaf.</summary>
    public string Operation { get; }

    /// <summary>The values this one was computed from (none for a leaf).</summary>
    public IReadOnlyList<Value> Inputs => _inputs;

    /// <summary>Any number can stand where a Value is expected: 2 · x, x + 1.</summary>
    public static implicit operator Value(double data) => new(data);

    // ---- the operations: forward value, then the local derivative its backward step uses -------------

    /// <summary>a + b; ∂/∂a = 1, ∂/∂b = 1.</summary>
    public static Value operator +(Value a, Value b) =>
        new(a.Data + b.Data, [a, b], "+", o => { a.Grad += o.Grad; b.Grad += o.Grad; });

    /// <summary>a · b; ∂/∂a = b, ∂/∂b = a.</summary>
    public static Value operator *(Value a, Value b) =>
        new(a.Data * b.Data, [a, b], "·", o => { a.Grad += b.Data * o.Grad; b.Grad += a.Data * o.Grad; });

    /// <summary>−a; ∂/∂a = −1.</summary>
    public static Value operator -(Value a) =>
        new(-a.Data, [a], "−", o => a.Grad -= o.Grad);

    /// <summary>a − b; ∂/∂a = 1, ∂/∂b = −1.</summary>
    public static Value operator -(Value a, Value b) =>
        new(a.Data - b.Data, [a, b], "−", o => { a.Grad += o.Grad; b.Grad -= o.Grad; });

    /// <summary>a / b; ∂/∂a = 1/b, ∂/∂b = −a/b².</summary>
    public static Value operator /(Value a, Value b) =>
        new(a.Data / b.Data, [a, b], "/", o =>
        {
            a.Grad += o.Grad / b.Data;
            b.Grad -= a.Data / (b.Data * b.Data) * o.Grad;
        });

    /// <summary>aⁿ for a fixed number n; ∂/∂a = n·aⁿ⁻¹.</summary>
    public Value Pow(double n) =>
        new(Math.Pow(Data, n), [this], $"^{n:G4}", o => Grad += n * Math.Pow(Data, n - 1) * o.Grad);

    /// <summary>eᵃ; ∂/∂a = eᵃ (the output itself).</summary>
    public Value Exp() =>
        new(Math.Exp(Data), [this], "exp", o => Grad += o.Data * o.Grad);

    /// <summary>ln a; ∂/∂a = 1/a.</summary>
    public Value Log() =>
        new(Math.Log(Data), [this], "log", o => Grad += o.Grad / Data);

    /// <summary>σ(a) = 1/(1 + e⁻ᵃ); ∂/∂a = σ(a)(1 − σ(a)), read off the output as in lesson 3.</summary>
    public Value Sigmoid() =>
        new(Activation.SigmoidOf(Data), [this], "σ", o => Grad += o.Data * (1 - o.Data) * o.Grad);

    /// <summary>tanh a; ∂/∂a = 1 − tanh²(a).</summary>
    public Value Tanh() =>
        new(Math.Tanh(Data), [this], "tanh", o => Grad += (1 - o.Data * o.Data) * o.Grad);

    /// <summary>ReLU(a) = max(0, a); ∂/∂a = 1 where a &gt; 0, else 0.</summary>
    public Value Relu() =>
        new(Data > 0 ? Data : 0, [this], "ReLU", o => Grad += (Data > 0 ? 1 : 0) * o.Grad);

    // ---- the chain rule over the whole graph --------------------------------------------------------

    /// <summary>
    /// Fills <see cref="Grad"/> of every value this one depends on with ∂(this)/∂(that value): this.Grad = 1,
    /// then every operation's backward step, outputs before inputs (reverse topological order).
    /// As in PyTorch, the leaves (weights, inputs) keep what they had and add to it: calling it twice without
    /// <see cref="ZeroGrad"/> doubles their gradients, which is why a training loop resets them every step.
    /// Computed values start again from 0 each call.
    /// </summary>
    public void Backward()
    {
        var order = TopologicalOrder();
        foreach (var v in order)
            if (v._inputs.Length > 0) v.Grad = 0;
        Grad += 1;
        for (int i = order.Count - 1; i >= 0; i--)
            order[i]._backward(order[i]);
    }

    /// <summary>Sets <see cref="Grad"/> to 0 on this value and everything it depends on.</summary>
    public void ZeroGrad()
    {
        foreach (var v in TopologicalOrder())
            v.Grad = 0;
    }

    /// <summary>
    /// Every value this one depends on, each once, inputs before the values computed from them; this one last.
    /// (Iterative depth-first search: a graph as deep as a long training run must not overflow the stack.)
    /// </summary>
    public IReadOnlyList<Value> TopologicalOrder()
    {
        var order = new List<Value>();
        var visited = new HashSet<Value>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Value Node, int NextInput)>();
        stack.Push((this, 0));
        visited.Add(this);
        while (stack.Count > 0)
        {
            var (node, next) = stack.Pop();
            if (next < node._inputs.Length)
            {
                stack.Push((node, next + 1));
                var input = node._inputs[next];
                if (visited.Add(input))
                    stack.Push((input, 0));
            }
            else
            {
                order.Add(node); // all of its inputs are already in the list
            }
        }
        return order;
    }

    /// <summary>"Value(data=0.524, grad=0.0215)", with the label first when there is one.</summary>
    public override string ToString() =>
        FormattableString.Invariant($"{(Label.Length > 0 ? Label + " = " : "")}Value(data={Data:G6}, grad={Grad:G6})");
}
