namespace FromScratch;

// Lessons 0, 2, 11, 12: the pictures behind the course's networks, drawn as SVG (see Diagram).

/// <summary>
/// The drawings <see cref="Diagram"/> offers for networks: the 2-2-1 network with its names, the chain-rule path of
/// ∂E/∂w31, the L-layer forward and backward passes with their caches, and where batch normalization sits.
/// </summary>
internal static class NetworkDiagrams
{
    private const double R = 26; // a neuron's radius

    // The 2-2-1 network's neurons: 1, 2 the inputs, 3, 4 the hidden neurons, 5 the output.
    private static readonly (double X, double Y)[] At = [default, (90, 110), (90, 250), (300, 110), (300, 250), (510, 180)];

    /// <summary>The 2-2-1 network: neurons 1–5, every weight on its edge (with its value when a network is given).</summary>
    public static string ToyNetwork(ToyNetwork? network)
    {
        var svg = new SvgCanvas(700, 340);
        string Name(string name, Func<ToyNetwork, double> value) =>
            network is null ? name : $"{name} = {SvgCanvas.Number(value(network))}";

        Edge(svg, 1, 3, Name("w31", n => n.W31), 0.5);
        Edge(svg, 2, 3, Name("w32", n => n.W32), 0.27);
        Edge(svg, 1, 4, Name("w41", n => n.W41), 0.27);
        Edge(svg, 2, 4, Name("w42", n => n.W42), 0.5);
        Edge(svg, 3, 5, Name("w53", n => n.W53), 0.42);
        Edge(svg, 4, 5, Name("w54", n => n.W54), 0.42);
        Neurons(svg);

        string f3 = Symbol(network?.Hidden), f5 = Symbol(network?.Output);
        svg.Text(At[1].X - R - 10, At[1].Y + 5, "x1", anchor: "end", italic: true)
           .Text(At[2].X - R - 10, At[2].Y + 5, "x2", anchor: "end", italic: true)
           .Text(At[3].X, At[3].Y - R - 26, $"z3 = w31·x1 + w32·x2 + b3", anchor: "middle")
           .Text(At[3].X, At[3].Y - R - 9, $"h3 = {f3}(z3),  {Name("b3", n => n.B3)}", anchor: "middle")
           .Text(At[4].X, At[4].Y + R + 20, $"z4 = w41·x1 + w42·x2 + b4", anchor: "middle")
           .Text(At[4].X, At[4].Y + R + 37, $"h4 = {f3}(z4),  {Name("b4", n => n.B4)}", anchor: "middle")
           .Text(At[5].X + 10, At[5].Y + R + 22, "z5 = w53·h3 + w54·h4 + b5", anchor: "middle")
           .Text(At[5].X + 10, At[5].Y + R + 39, $"ŷ = {f5}(z5),  {Name("b5", n => n.B5)}", anchor: "middle")
           .Arrow(At[5].X + R, At[5].Y, 600, At[5].Y)
           .Box(600, At[5].Y - 22, 88, 44, ["E", "(y − ŷ)²"]);
        svg.Text(90, 325, "inputs 1, 2", anchor: "middle", color: SvgCanvas.Muted)
           .Text(300, 325, "hidden neurons 3, 4", anchor: "middle", color: SvgCanvas.Muted)
           .Text(510, 325, "output neuron 5", anchor: "middle", color: SvgCanvas.Muted);
        return svg.ToString();
    }

    /// <summary>
    /// The 2-2-1 network with the path from w31 to E highlighted and each factor of the chain rule written where it
    /// arises; with a network and a person, each factor's value and their product too.
    /// </summary>
    public static string ChainRule(ToyNetwork? network, ToySample? person)
    {
        var svg = new SvgCanvas(760, 420);
        const string Path = SvgCanvas.Orange, Rest = "#cccccc";
        var f = network is not null && person is { } p ? network.Forward(p.X1, p.X2) : (ToyForward?)null;
        double? y = person?.Y;

        // The five factors of ∂E/∂w31 and, when known, their values.
        (string Text, double? Value)[] factor =
        [
            ("∂E/∂ŷ = −2(y − ŷ)", f is { } a ? -2 * (y!.Value - a.YHat) : null),
            ($"∂ŷ/∂z5 = {Symbol(network?.Output)}′(z5)", f is { } b ? network!.Output.DerivativeFromOutput(b.YHat) : null),
            ("∂z5/∂h3 = w53", network?.W53),
            ($"∂h3/∂z3 = {Symbol(network?.Hidden)}′(z3)", f is { } c ? network!.Hidden.DerivativeFromOutput(c.H3) : null),
            ("∂z3/∂w31 = x1", f?.X1),
        ];
        string Say(int k) => factor[k].Value is { } v ? $"{factor[k].Text} = {SvgCanvas.Number(v)}" : factor[k].Text;

        foreach (var (from, to) in new[] { (2, 3), (1, 4), (2, 4), (4, 5) })
            svg.ArrowBetween(At[from].X, At[from].Y, R, At[to].X, At[to].Y, R, Rest);
        svg.ArrowBetween(At[1].X, At[1].Y, R, At[3].X, At[3].Y, R, Path, 3)
           .ArrowBetween(At[3].X, At[3].Y, R, At[5].X, At[5].Y, R, Path, 3)
           .Arrow(At[5].X + R, At[5].Y, 600, At[5].Y, Path, 3);
        Neurons(svg, highlighted: [1, 3, 5]);
        svg.Box(600, At[5].Y - 22, 88, 44, ["E", "(y − ŷ)²"], stroke: Path, fill: "#fff4e5");

        svg.Tag(195, At[1].Y - 12, "w31", SvgCanvas.Orange, bold: true)
           .Text(195, At[1].Y + 22, Say(4), anchor: "middle")
           .Text(At[3].X, At[3].Y - R - 12, Say(3), anchor: "middle")
           .Text(420, 128, Say(2), anchor: "start")
           .Text(At[5].X, At[5].Y + R + 22, Say(1), anchor: "middle")
           .Text(644, At[5].Y - 34, Say(0), anchor: "middle");
        svg.Text(At[1].X - R - 10, At[1].Y + 5, "x1", anchor: "end", italic: true)
           .Text(At[2].X - R - 10, At[2].Y + 5, "x2", anchor: "end", italic: true);

        string product = "∂E/∂w31 = ∂E/∂ŷ · ∂ŷ/∂z5 · ∂z5/∂h3 · ∂h3/∂z3 · ∂z3/∂w31";
        svg.Text(380, 345, product, anchor: "middle", bold: true, size: 14);
        if (factor.All(x => x.Value is not null))
        {
            double total = factor.Aggregate(1.0, (acc, x) => acc * x.Value!.Value);
            string values = string.Join(" · ", factor.Select(x => SvgCanvas.Number(x.Value!.Value)));
            svg.Text(380, 370, $"= {values} = {SvgCanvas.Number(total)}", anchor: "middle", size: 14);
        }
        svg.Text(380, 400, "read right to left along the orange path: each factor is one step of the forward pass, undone",
            anchor: "middle", color: SvgCanvas.Muted);
        return svg.ToString();
    }

    /// <summary>
    /// L layers left to right: the forward pass on top (each layer keeps a cache of A_prev, W, b, Z), the backward pass
    /// below it right to left, reading the caches and giving dW, db and dA_prev. More than 4 layers are drawn as
    /// 1, 2, …, L.
    /// </summary>
    public static string LayerCaches(int layers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(layers, 1);
        var shown = layers <= 4 ? Enumerable.Range(1, layers).Select(l => (int?)l).ToList() : [1, 2, null, layers];
        const double BoxW = 170, Gap = 50, Left = 90;
        double width = Left + shown.Count * (BoxW + Gap) + 110;
        var svg = new SvgCanvas((int)width, 470);
        double X(int k) => Left + k * (BoxW + Gap);

        svg.Text(12, 60, "forward", bold: true, color: SvgCanvas.Blue)
           .Text(12, 235, "caches", bold: true, color: SvgCanvas.Muted)
           .Text(12, 360, "backward", bold: true, color: SvgCanvas.Red)
           .Box(Left - 80, 75, 60, 40, ["X", "= A⁰"], boldTitle: true);
        svg.Arrow(Left - 20, 95, X(0), 95, SvgCanvas.Blue);
        for (int k = 0; k < shown.Count; k++)
        {
            double x = X(k);
            if (shown[k] is not int l)
            {
                svg.Text(x + BoxW / 2, 100, "…", anchor: "middle", bold: true, size: 22)
                   .Text(x + BoxW / 2, 240, "…", anchor: "middle", bold: true, size: 22)
                   .Text(x + BoxW / 2, 370, "…", anchor: "middle", bold: true, size: 22);
            }
            else
            {
                bool last = l == layers;
                string s = Up(l), p = Up(l - 1), g = last ? "σ" : "ReLU";
                svg.Box(x, 55, BoxW, 80, [$"layer {l}", $"Z{s} = W{s}·A{p} + b{s}", $"A{s} = {g}(Z{s})"], stroke: SvgCanvas.Blue, fill: "#eef3fb")
                   .Box(x + 10, 195, BoxW - 20, 70, [$"cache {l}", $"A{p}, W{s}, b{s}, Z{s}"], fill: "white", dashed: true)
                   .Arrow(x + BoxW / 2, 135, x + BoxW / 2, 193, SvgCanvas.Muted, dashed: true)
                   .Arrow(x + BoxW / 2, 265, x + BoxW / 2, 313, SvgCanvas.Muted, dashed: true)
                   .Box(x, 315, BoxW, 100, [$"layer {l} backward", $"dZ{s} = dA{s} ⊙ {g}′(Z{s})", $"dW{s} = (1/m)·dZ{s}·A{p}ᵀ",
                       $"db{s} = (1/m)·Σ dZ{s}", $"dA{p} = W{s}ᵀ·dZ{s}"], stroke: SvgCanvas.Red, fill: "#fdf0ee")
                   .Text(x + BoxW / 2, 440, $"dW{s}, db{s} → the optimizer", anchor: "middle", color: SvgCanvas.Muted);
            }
            if (k + 1 < shown.Count)
                svg.Arrow(x + BoxW, 95, X(k + 1) - 2, 95, SvgCanvas.Blue)
                   .Arrow(X(k + 1), 365, x + BoxW + 2, 365, SvgCanvas.Red);
        }
        double end = X(shown.Count - 1) + BoxW;
        string L = Up(layers);
        svg.Arrow(end, 95, end + 40, 95, SvgCanvas.Blue)
           .Box(end + 40, 70, 80, 50, ["ŷ = A" + L, "loss"], boldTitle: false)
           .Arrow(end + 80, 120, end + 80, 340, SvgCanvas.Red)
           .Text(end + 86, 240, $"dA{L}", color: SvgCanvas.Red)
           .Arrow(end + 80, 365, end + 2, 365, SvgCanvas.Red);
        return svg.ToString();
    }

    /// <summary>
    /// One hidden layer with batch normalization: the linear step, then normalizing Z over the mini-batch, then the
    /// learned scale γ and shift β, then the activation; what is learned and what is averaged for inference.
    /// </summary>
    public static string BatchNorm()
    {
        var svg = new SvgCanvas(1060, 300);
        (string[] Lines, string Stroke, string Fill)[] steps =
        [
            (["linear", "Z = W·A_prev", "(a bias b would cancel in Z − μ)"], SvgCanvas.Blue, "#eef3fb"),
            (["normalize over the batch", "μ = mean of Z, σ² = variance", "Ẑ = (Z − μ) / √(σ² + ε)"], SvgCanvas.Orange, "#fff4e5"),
            (["scale and shift", "Z̃ = γ ⊙ Ẑ + β", "γ, β learned"], SvgCanvas.Green, "#eef8f0"),
            (["activation", "A = ReLU(Z̃)"], SvgCanvas.Blue, "#eef3fb"),
        ];
        const double W = 190, Gap = 40, Top = 70, H = 90;
        svg.Text(20, Top + H / 2 + 5, "A_prev", bold: true).Arrow(75, Top + H / 2, 100, Top + H / 2);
        for (int k = 0; k < steps.Length; k++)
        {
            double x = 100 + k * (W + Gap);
            svg.Box(x, Top, W, H, steps[k].Lines, steps[k].Stroke, steps[k].Fill);
            svg.Arrow(x + W, Top + H / 2, x + W + Gap - 2, Top + H / 2);
        }
        svg.Text(100 + 4 * (W + Gap) + 4, Top + H / 2 + 5, "A", bold: true)
           .Text(530, 40, "one hidden layer with batch normalization (lesson 12)", anchor: "middle", bold: true, size: 14)
           .Text(100 + 1 * (W + Gap) + W / 2, Top + H + 30, "training: μ, σ² of this mini-batch", anchor: "middle")
           .Text(100 + 1 * (W + Gap) + W / 2, Top + H + 48, "inference: their running averages", anchor: "middle")
           .Text(100 + 2 * (W + Gap) + W / 2, Top + H + 30, "γ = √(σ² + ε), β = μ undo it,", anchor: "middle")
           .Text(100 + 2 * (W + Gap) + W / 2, Top + H + 48, "so nothing is lost", anchor: "middle")
           .Text(530, 265, "β here is batch norm's learned shift, not the β of momentum and Adam (lessons 7–8).",
               anchor: "middle", color: SvgCanvas.Red);
        return svg.ToString();
    }

    private static void Edge(SvgCanvas svg, int from, int to, string label, double t)
    {
        var (x1, y1) = At[from];
        var (x2, y2) = At[to];
        svg.ArrowBetween(x1, y1, R, x2, y2, R).Tag(x1 + t * (x2 - x1), y1 + t * (y2 - y1) + 4, label);
    }

    private static void Neurons(SvgCanvas svg, int[]? highlighted = null)
    {
        for (int n = 1; n <= 5; n++)
        {
            bool on = highlighted?.Contains(n) ?? false;
            svg.Circle(At[n].X, At[n].Y, R, n.ToString(System.Globalization.CultureInfo.InvariantCulture),
                stroke: on ? SvgCanvas.Orange : SvgCanvas.Ink, fill: on ? "#fff4e5" : n <= 2 ? "white" : "#f7f7f7");
        }
    }

    private static string Symbol(ToyActivation? activation) => activation == ToyActivation.Identity ? "id" : "σ";

    /// <summary>A layer number as a superscript: 1 → ¹, 12 → ¹², 0 → ⁰.</summary>
    internal static string Up(int l) => string.Concat(l.ToString(System.Globalization.CultureInfo.InvariantCulture)
        .Select(d => "⁰¹²³⁴⁵⁶⁷⁸⁹"[d - '0']));
}
