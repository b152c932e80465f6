using FromScratch.Kernels;
using MathNet.Numerics.LinearAlgebra;

// Lessons 5–6 (gradient descent and its stable rate) and 8: gradient descent, momentum, RMSprop and Adam, each as
// the update rule the lesson writes (exercises 8.1–8.2 check Adam.StepOf and RmsProp.StepOf, the per-number formulas
// the classes apply to every entry).
// Every step changes θ and the state in place (InPlace.AddScaled: no new matrix per step); the Trainer's fast path
// runs RMSprop and Adam through Fast/Optimizer.OnStorage.cs, the same formulas on the storage, several numbers at a time.
namespace FromScratch;

/// <summary>
/// An update rule θ ← θ − (something)·∇θ applied in place to any set of <see cref="Parameter"/>s.
/// Each parameter gets its own state (velocity v, squared average s, step count t), kept by the optimizer
/// and created the first time the parameter is stepped. <see cref="LearningRate"/> may be changed between
/// steps (a learning-rate schedule does that).
/// </summary>
public abstract partial class Optimizer
{
    private double learningRate;

    /// <summary>Sets the initial learning rate (must be a finite number &gt; 0).</summary>
    protected Optimizer(double learningRate) => LearningRate = learningRate;

    /// <summary>The optimizer's name, e.g. "Adam".</summary>
    public abstract string Name { get; }

    /// <summary>The learning rate η (α in Andrew Ng's notes); must be a finite number &gt; 0.</summary>
    public double LearningRate
    {
        get => learningRate;
        set
        {
            Guard.Positive(value, nameof(LearningRate));
            learningRate = value;
        }
    }

    /// <summary>Updates every parameter's <see cref="Parameter.Value"/> in place from its <see cref="Parameter.Gradient"/>.</summary>
    public void Step(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters is IReadOnlyList<Parameter> list)
        {
            for (int i = 0; i < list.Count; i++) Update(list[i]); // indexing a list allocates no enumerator
            return;
        }
        foreach (var p in parameters) Update(p);
    }

    /// <summary>Updates one parameter.</summary>
    public void Step(Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        Update(parameter);
    }

    /// <summary>Forgets all per-parameter state (velocities, averages, step counts).</summary>
    public abstract void Reset();

    /// <summary>The update rule for one parameter θ with gradient dθ.</summary>
    protected abstract void Update(Parameter p);

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({RateSymbol} = {LearningRate:G4})";

    /// <summary>The symbol the lessons use for this optimizer's learning rate: η, or α for Adam (as in Adam's paper).</summary>
    protected virtual string RateSymbol => "η";
}

/// <summary>
/// Plain gradient descent: θ ← θ − η·dθ. The same rule is batch (B = N), mini-batch or stochastic (B = 1) gradient
/// descent depending only on the batches the gradient was computed on (lesson 6), so its <see cref="Name"/> is
/// "gradient descent" whatever B is; the class keeps the short name Sgd that frameworks use.
/// </summary>
public sealed class Sgd : Optimizer
{
    /// <summary>Gradient descent with learning rate η.</summary>
    public Sgd(double learningRate) : base(learningRate) { }

    /// <inheritdoc/>
    public override string Name => "gradient descent";

    /// <inheritdoc/>
    public override void Reset() { }

    /// <inheritdoc/>
    protected override void Update(Parameter p) => InPlace.AddScaled(p.Value, -LearningRate, p.Gradient); // θ = θ − η·dθ

    /// <summary>
    /// The largest stable learning rate of gradient descent on a quadratic loss with Hessian H (lessons 5–6):
    /// 2 / λ_max(H). Along an eigenvector of H with eigenvalue λ one step multiplies the distance to the minimum
    /// by 1 − η·λ, which has size below 1 for every λ exactly when η &lt; 2 / λ_max. For the mean squared error of
    /// a linear neuron, H = (2/m)·X·Xᵀ. <paramref name="hessian"/> must be square, symmetric and have a positive
    /// largest eigenvalue.
    /// </summary>
    public static double StableRateBound(Matrix<double> hessian)
    {
        ArgumentNullException.ThrowIfNull(hessian);
        if (hessian.RowCount != hessian.ColumnCount || hessian.RowCount == 0)
            throw new ArgumentException($"The Hessian must be square, but it is {Guard.Shape(hessian)}.", nameof(hessian));
        for (int i = 0; i < hessian.RowCount; i++)
            for (int j = 0; j < i; j++)
                if (Math.Abs(hessian[i, j] - hessian[j, i]) > 1e-12 * Math.Max(1, Math.Abs(hessian[i, j])))
                    throw new ArgumentException($"The Hessian must be symmetric, but H[{i}, {j}] = {hessian[i, j]:G6} and H[{j}, {i}] = {hessian[j, i]:G6}.", nameof(hessian));
        double λmax = hessian.Evd(Symmetricity.Symmetric).EigenValues.Max(λ => λ.Real);
        if (!(λmax > 0))
            throw new ArgumentException($"The largest eigenvalue of the Hessian is {λmax:G6}; the loss curves upwards in no direction, so no learning rate is too large.", nameof(hessian));
        return 2 / λmax;
    }
}

/// <summary>
/// Gradient descent with momentum (Andrew Ng's form): v ← β·v + (1 − β)·dθ, then θ ← θ − η·v.
/// v is an exponentially weighted average of the gradients (β = 0.9 ≈ the last 10), starting at 0.
/// </summary>
public sealed class Momentum : Optimizer
{
    private readonly Dictionary<Parameter, OptimizerState> velocity = [];

    /// <summary>Momentum with learning rate η and β (default 0.9, must be in [0, 1)).</summary>
    public Momentum(double learningRate, double β = 0.9) : base(learningRate)
    {
        Guard.InUnitInterval(β, nameof(β));
        Beta = β;
    }

    /// <summary>The averaging coefficient β.</summary>
    public double Beta { get; }

    /// <inheritdoc/>
    public override string Name => "momentum";

    /// <summary>The velocity v of <paramref name="p"/>, or null before its first step.</summary>
    public Matrix<double>? Velocity(Parameter p) => velocity.TryGetValue(p, out var v) ? v.Value : null;

    /// <inheritdoc/>
    public override void Reset() => velocity.Clear();

    /// <inheritdoc/>
    protected override void Update(Parameter p)
    {
        var v = OptimizerState.For(velocity, p).Value;
        v.Multiply(Beta, v);                            // v = β·v
        InPlace.AddScaled(v, 1 - Beta, p.Gradient);     //     + (1 − β)·dθ
        InPlace.AddScaled(p.Value, -LearningRate, v);   // θ = θ − η·v
    }
}

/// <summary>
/// RMSprop: s ← β·s + (1 − β)·dθ², then θ ← θ − η·dθ / (√s + ε) (entry by entry). Directions with large
/// gradients get smaller steps, flat directions larger ones.
/// </summary>
public sealed partial class RmsProp : Optimizer
{
    private readonly Dictionary<Parameter, OptimizerState> squares = [];

    /// <summary>RMSprop with learning rate η, β (default 0.9, in [0, 1)) and ε (default 1e-8, &gt; 0).</summary>
    public RmsProp(double learningRate, double β = 0.9, double ε = 1e-8) : base(learningRate)
    {
        Guard.InUnitInterval(β, nameof(β));
        Guard.Positive(ε, nameof(ε));
        Beta = β;
        Epsilon = ε;
    }

    /// <summary>The averaging coefficient β of the squared gradients.</summary>
    public double Beta { get; }

    /// <summary>ε, which keeps the division finite when s ≈ 0.</summary>
    public double Epsilon { get; }

    /// <inheritdoc/>
    public override string Name => "RMSprop";

    /// <inheritdoc/>
    public override void Reset() => squares.Clear();

    /// <summary>
    /// One RMSprop step for one number θ with gradient dθ and squared average s (the formula <see cref="Optimizer.Step(Parameter)"/>
    /// applies to every entry): s ← β·s + (1 − β)·dθ², θ ← θ − η·dθ / (√s + ε). Returns the new θ and s.
    /// </summary>
    public static (double θ, double s) StepOf(double θ, double dθ, double s, double η, double β, double ε)
    {
        s = β * s + (1 - β) * dθ * dθ;                 // s = β·s + (1 − β)·dθ²
        return (θ - η * dθ / (Math.Sqrt(s) + ε), s);   // θ = θ − η·dθ/(√s + ε)
    }

    /// <inheritdoc/>
    protected override void Update(Parameter p)
    {
        var s = OptimizerState.For(squares, p).Value;
        var dθ = p.Gradient;
        for (int r = 0; r < s.RowCount; r++)
            for (int c = 0; c < s.ColumnCount; c++)
                (p.Value[r, c], s[r, c]) = StepOf(p.Value[r, c], dθ[r, c], s[r, c], LearningRate, Beta, Epsilon);
    }
}

/// <summary>
/// Adam = momentum + RMSprop + bias correction. With t the parameter's step count (from 1):
/// v ← β1·v + (1 − β1)·dθ, s ← β2·s + (1 − β2)·dθ², v̂ = v / (1 − β1^t), ŝ = s / (1 − β2^t),
/// θ ← θ − α·v̂ / (√ŝ + ε). The first step is therefore ≈ α·sign(dθ).
/// </summary>
public sealed partial class Adam : Optimizer
{
    private readonly Dictionary<Parameter, (OptimizerState V, OptimizerState S)> state = [];

    /// <summary>Adam with α = 0.001, β1 = 0.9, β2 = 0.999, ε = 1e-8 unless given.</summary>
    public Adam(double learningRate = 0.001, double β1 = 0.9, double β2 = 0.999, double ε = 1e-8) : base(learningRate)
    {
        Guard.InUnitInterval(β1, nameof(β1));
        Guard.InUnitInterval(β2, nameof(β2));
        Guard.Positive(ε, nameof(ε));
        Beta1 = β1;
        Beta2 = β2;
        Epsilon = ε;
    }

    /// <summary>β1, the averaging coefficient of the gradients (momentum part).</summary>
    public double Beta1 { get; }

    /// <summary>β2, the averaging coefficient of the squared gradients (RMSprop part).</summary>
    public double Beta2 { get; }

    /// <summary>ε, which keeps the division finite.</summary>
    public double Epsilon { get; }

    /// <inheritdoc/>
    public override string Name => "Adam";

    /// <inheritdoc/>
    protected override string RateSymbol => "α";

    /// <inheritdoc/>
    public override void Reset() => state.Clear();

    /// <inheritdoc/>
    protected override void Update(Parameter p)
    {
        if (!state.TryGetValue(p, out var st))
        {
            st = (new OptimizerState(p), new OptimizerState(p));
            state[p] = st;
        }
        int t = ++st.V.Steps;
        double correction1 = 1 - Math.Pow(Beta1, t), correction2 = 1 - Math.Pow(Beta2, t); // once per parameter
        var v = st.V.Value;
        var s = st.S.Value;
        var dθ = p.Gradient;
        for (int r = 0; r < v.RowCount; r++)
            for (int c = 0; c < v.ColumnCount; c++)
                (p.Value[r, c], v[r, c], s[r, c]) = StepOf(p.Value[r, c], dθ[r, c], v[r, c], s[r, c],
                    correction1, correction2, LearningRate, Beta1, Beta2, Epsilon);
    }

    /// <summary>
    /// Step number <paramref name="t"/> (from 1) of Adam for one number θ with gradient dθ and averages v, s (the formula
    /// <see cref="Optimizer.Step(Parameter)"/> applies to every entry): v ← β1·v + (1 − β1)·dθ, s ← β2·s + (1 − β2)·dθ²,
    /// v̂ = v / (1 − β1^t), ŝ = s / (1 − β2^t), θ ← θ − α·v̂ / (√ŝ + ε). Returns the new θ, v and s.
    /// </summary>
    public static (double θ, double v, double s) StepOf(double θ, double dθ, double v, double s, int t,
        double α, double β1, double β2, double ε)
    {
        Guard.AtLeastOne(t, nameof(t));
        return StepOf(θ, dθ, v, s, 1 - Math.Pow(β1, t), 1 - Math.Pow(β2, t), α, β1, β2, ε);
    }

    /// <summary>The step with the bias corrections 1 − β1^t and 1 − β2^t already computed.</summary>
    private static (double θ, double v, double s) StepOf(double θ, double dθ, double v, double s,
        double correction1, double correction2, double α, double β1, double β2, double ε)
    {
        v = β1 * v + (1 - β1) * dθ;                    // v = β1·v + (1 − β1)·dθ
        s = β2 * s + (1 - β2) * dθ * dθ;               // s = β2·s + (1 − β2)·dθ²
        double vHat = v / correction1;                 // v̂ = v / (1 − β1^t)
        double sHat = s / correction2;                 // ŝ = s / (1 − β2^t)
        return (θ - α * vHat / (Math.Sqrt(sHat) + ε), v, s);
    }
}

/// <summary>Per-parameter state: a zero matrix of the parameter's shape and a step counter.</summary>
internal sealed class OptimizerState(Parameter p)
{
    public Matrix<double> Value { get; } =
        Matrix<double>.Build.Dense(p.Rows, p.Columns);

    public int Steps { get; set; }

    public static OptimizerState For(Dictionary<Parameter, OptimizerState> states, Parameter p)
    {
        if (!states.TryGetValue(p, out var s))
        {
            s = new OptimizerState(p);
            states[p] = s;
        }
        return s;
    }
}
