using System.Globalization;
using System.Net;
using System.Text;

namespace FromScratch.Autograd;

/// <summary>
/// A drawing of the graph behind a <see cref="Value"/> (lesson 13): every value as a box with its label, its
/// number and its gradient, every operation as a circle between its inputs and its result, left to right in
/// the order the forward pass computed them. Learners get it as a <see cref="Diagram"/>:
/// <c>Diagram.ComputationGraph(loss)</c>.
/// </summary>
internal sealed class ComputationGraph
{
    private const int BoxWidth = 150, BoxHeight = 46, OpRadius = 16, ColumnWidth = 250, RowHeight = 64, Margin = 20;

    private readonly Value _output;

    /// <summary>The graph of everything <paramref name="output"/> was computed from.</summary>
    public ComputationGraph(Value output) => _output = output ?? throw new ArgumentNullException(nameof(output));

    /// <summary>How many values (boxes) the drawing has.</summary>
    public int NodeCount => _output.TopologicalOrder().Count;

    /// <summary>
    /// The drawing as a standalone SVG document. A computed value stands one column right of its last input and
    /// level with the middle of its inputs; a leaf (a weight, an input, a constant) stands just left of the
    /// operation that uses it. Boxes show the value's label (or its number, for a constant), its number and ∂.
    /// </summary>
    public string ToSvg()
    {
        var order = _output.TopologicalOrder();
        var (column, top) = Layout(order);
        int width = 2 * Margin + column.Values.Max() * ColumnWidth + BoxWidth + 45;
        int height = 2 * Margin + (int)top.Values.Max() + BoxHeight;
        (double X, double Y) BoxAt(Value v) => (Margin + 45 + column[v] * ColumnWidth, Margin + top[v]);

        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" "))
           .Append("font-family=\"Helvetica, Arial, sans-serif\" font-size=\"13\">\n")
           .Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        foreach (var v in order.Where(v => v.Inputs.Count > 0)) // edges and operation circles under the boxes
        {
            var (bx, by) = BoxAt(v);
            double ox = bx - 45, oy = by + BoxHeight / 2.0;
            foreach (var input in v.Inputs.Distinct(ReferenceEqualityComparer.Instance).Cast<Value>())
            {
                var (ix, iy) = BoxAt(input);
                svg.Append(Invariant($"<line x1=\"{ix + BoxWidth}\" y1=\"{iy + BoxHeight / 2.0}\" x2=\"{ox - OpRadius}\" y2=\"{oy}\" stroke=\"#888\"/>\n"));
            }
            svg.Append(Invariant($"<line x1=\"{ox + OpRadius}\" y1=\"{oy}\" x2=\"{bx}\" y2=\"{oy}\" stroke=\"#888\" marker-end=\"none\"/>\n"))
               .Append(Invariant($"<circle cx=\"{ox}\" cy=\"{oy}\" r=\"{OpRadius}\" fill=\"#eef3fb\" stroke=\"#1f77b4\"/>\n"))
               .Append(Invariant($"<text x=\"{ox}\" y=\"{oy + 5}\" text-anchor=\"middle\" font-size=\"15\">{Escape(Symbol(v.Operation))}</text>\n"));
        }
        foreach (var v in order)
        {
            var (x, y) = BoxAt(v);
            bool output = ReferenceEquals(v, _output);
            string title = v.Label.Length > 0 ? v.Label : v.Inputs.Count == 0 ? Number(v.Data) : "";
            svg.Append(Invariant($"<rect x=\"{x}\" y=\"{y}\" width=\"{BoxWidth}\" height=\"{BoxHeight}\" rx=\"6\" "))
               .Append(output ? "fill=\"#fff4e5\" stroke=\"#ff7f0e\"/>\n" : "fill=\"#f7f7f7\" stroke=\"#444\"/>\n")
               .Append(Invariant($"<text x=\"{x + 8}\" y=\"{y + 18}\" font-weight=\"bold\">{Escape(title)}</text>\n"))
               .Append(Invariant($"<text x=\"{x + 8}\" y=\"{y + 37}\">{Number(v.Data)}</text>\n"))
               .Append(Invariant($"<text x=\"{x + BoxWidth - 8}\" y=\"{y + 37}\" text-anchor=\"end\" fill=\"#c0392b\">∂ {Number(v.Grad)}</text>\n"));
        }
        return svg.Append("</svg>\n").ToString();
    }

    /// <summary>Column and top edge of every value's box (see <see cref="ToSvg"/>).</summary>
    private static (Dictionary<Value, int> Column, Dictionary<Value, double> Top) Layout(IReadOnlyList<Value> order)
    {
        var column = new Dictionary<Value, int>(ReferenceEqualityComparer.Instance);
        foreach (var v in order.Where(v => v.Inputs.Count > 0)) // inputs come first in the order
            column[v] = 1 + v.Inputs.Where(i => i.Inputs.Count > 0).Select(i => column[i]).DefaultIfEmpty(0).Max();
        var firstUser = new Dictionary<Value, Value>(ReferenceEqualityComparer.Instance);
        foreach (var v in order)
            foreach (var input in v.Inputs)
                if (input.Inputs.Count == 0 && !firstUser.ContainsKey(input)) firstUser[input] = v;
        foreach (var v in order.Where(v => v.Inputs.Count == 0))
            column[v] = firstUser.TryGetValue(v, out var user) ? column[user] - 1 : 0;

        var top = new Dictionary<Value, double>(ReferenceEqualityComparer.Instance);
        foreach (int c in column.Values.Distinct().Order())
        {
            var here = order.Where(v => column[v] == c).ToList();
            var wanted = new List<(Value V, double Y)>();
            foreach (var v in here.Where(v => v.Inputs.Count > 0)) // level with the middle of the inputs
                wanted.Add((v, v.Inputs.Where(top.ContainsKey).Select(i => top[i]).DefaultIfEmpty(0).Average()));
            double next = 0;
            foreach (var v in here.Where(v => v.Inputs.Count == 0)) // a leaf: near its user's other inputs
            {
                var placed = firstUser.TryGetValue(v, out var user) ? user.Inputs.Where(top.ContainsKey).Select(i => top[i]).ToList() : [];
                next = placed.Count > 0 ? Math.Max(next, placed.Max() + RowHeight) : next;
                wanted.Add((v, next));
                top[v] = next; // so a second leaf of the same user goes below this one
                next += RowHeight;
            }
            double free = double.NegativeInfinity;
            foreach (var (v, y) in wanted.OrderBy(w => w.Y)) // push down what would overlap
            {
                top[v] = Math.Max(y, free);
                free = top[v] + RowHeight;
            }
        }
        return (column, top);
    }

    /// <summary>How an operation is drawn: "·" as "×", so it reads at a glance.</summary>
    private static string Symbol(string operation) => operation == "·" ? "×" : operation;

    /// <summary>"Computation graph of 7 values, output = 0.5 (∂ = 1)".</summary>
    public override string ToString() =>
        $"Computation graph of {NodeCount} values, output = {Number(_output.Data)} (∂ = {Number(_output.Grad)})";

    private static string Number(double x) => x.ToString("G4", CultureInfo.InvariantCulture);

    private static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
