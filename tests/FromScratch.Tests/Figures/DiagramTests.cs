using System.Globalization;
using System.Xml.Linq;

namespace FromScratch.Tests.Figures;

/// <summary>The library's network diagrams: well-formed SVG inside its own canvas, with the names and numbers they promise.</summary>
public class DiagramTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static XElement Parse(Diagram diagram)
    {
        var root = XDocument.Parse(diagram.ToSvg()).Root!;
        Assert.Equal(Svg + "svg", root.Name);
        return root;
    }

    private static List<string> Texts(XElement root) => root.Descendants(Svg + "text").Select(t => t.Value).ToList();

    public static TheoryData<string> Drawings() => ["toy", "toy-values", "chain", "chain-values", "caches-1", "caches-3", "caches-7", "batchnorm"];

    private static Diagram Draw(string name) => name switch
    {
        "toy" => Diagram.ToyNetwork(),
        "toy-values" => Diagram.ToyNetwork(ToyNetwork.RandomInit(seed: 3)),
        "chain" => Diagram.ChainRule(),
        "chain-values" => Diagram.ChainRule(ToyNetwork.AllOnes(), new ToySample(-2, -1, 1)),
        "caches-1" => Diagram.LayerCaches(1),
        "caches-3" => Diagram.LayerCaches(3),
        "caches-7" => Diagram.LayerCaches(7),
        "batchnorm" => Diagram.BatchNorm(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Drawings))]
    public void Every_shape_lies_inside_the_canvas(string name)
    {
        var root = Parse(Draw(name));
        double width = double.Parse(root.Attribute("width")!.Value, CultureInfo.InvariantCulture);
        double height = double.Parse(root.Attribute("height")!.Value, CultureInfo.InvariantCulture);
        foreach (var e in root.Descendants().Where(e => e.Name.LocalName is "text" or "rect" or "circle" or "line"))
            foreach (var a in e.Attributes().Where(a => a.Name.LocalName is "x" or "x1" or "x2" or "cx" or "y" or "y1" or "y2" or "cy"))
            {
                double v = double.Parse(a.Value, CultureInfo.InvariantCulture);
                double limit = a.Name.LocalName.StartsWith('x') || a.Name.LocalName == "cx" ? width : height;
                Assert.True(v >= 0 && v <= limit, $"{name}: <{e.Name.LocalName} {a.Name}=\"{a.Value}\"> is outside the {width}×{height} canvas");
            }
        Assert.NotEmpty(Draw(name).ToString());
    }

    [Fact]
    public void The_toy_network_names_its_five_neurons_and_nine_parameters()
    {
        var texts = Texts(Parse(Diagram.ToyNetwork()));
        foreach (string n in new[] { "1", "2", "3", "4", "5" }) Assert.Contains(n, texts);
        foreach (string w in new[] { "w31", "w32", "w41", "w42", "w53", "w54" }) Assert.Contains(w, texts);
        foreach (string b in new[] { "b3", "b4", "b5" }) Assert.Contains(texts, t => t.Contains(b, StringComparison.Ordinal));
    }

    [Fact]
    public void With_a_network_every_edge_shows_its_weight()
    {
        var network = ToyNetwork.RandomInit(seed: 3);
        var texts = Texts(Parse(Diagram.ToyNetwork(network)));
        foreach (var p in network.Parameters)
        {
            string shown = $"{p.Name} = {p.Get().ToString("G4", CultureInfo.InvariantCulture).Replace('-', '−')}";
            Assert.Contains(texts, t => t.Contains(shown, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_chain_rule_product_is_the_gradient_backward_computes()
    {
        var network = ToyNetwork.RandomInit(seed: 5);
        var person = new ToySample(0.3, -1.2, 1);
        var g = network.Backward(network.Forward(person.X1, person.X2), person.Y);
        var texts = Texts(Parse(Diagram.ChainRule(network, person)));
        string expected = g.W31.ToString("G4", CultureInfo.InvariantCulture).Replace('-', '−');
        var product = texts.Single(t => t.StartsWith("= ", StringComparison.Ordinal));
        Assert.EndsWith($" = {expected}", product);
        Assert.Contains(texts, t => t == $"∂z5/∂h3 = w53 = {network.W53.ToString("G4", CultureInfo.InvariantCulture).Replace('-', '−')}");
        Assert.Throws<ArgumentException>(() => Diagram.ChainRule(network));
    }

    [Fact]
    public void Without_values_the_chain_rule_shows_the_five_factors_only()
    {
        var texts = Texts(Parse(Diagram.ChainRule()));
        Assert.Contains("∂E/∂ŷ = −2(y − ŷ)", texts);
        Assert.Contains("∂z3/∂w31 = x1", texts);
        Assert.DoesNotContain(texts, t => t.StartsWith("= ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1, new[] { 1 })]
    [InlineData(4, new[] { 1, 2, 3, 4 })]
    [InlineData(7, new[] { 1, 2, 7 })]
    public void Layer_caches_draw_a_cache_per_layer_shown(int layers, int[] shown)
    {
        var texts = Texts(Parse(Diagram.LayerCaches(layers)));
        Assert.Equal(shown.Select(l => $"cache {l}"), texts.Where(t => t.StartsWith("cache ", StringComparison.Ordinal)));
        Assert.Equal(layers > 4, texts.Contains("…"));
        Assert.Contains($"A{NetworkDiagrams.Up(layers)} = σ(Z{NetworkDiagrams.Up(layers)})", texts); // the output layer is a sigmoid
        Assert.Throws<ArgumentOutOfRangeException>(() => Diagram.LayerCaches(0));
    }

    [Fact]
    public void Batch_norm_sits_between_the_linear_step_and_the_activation()
    {
        var texts = Texts(Parse(Diagram.BatchNorm()));
        int linear = texts.IndexOf("linear"), normalize = texts.IndexOf("normalize over the batch");
        int scale = texts.IndexOf("scale and shift"), activation = texts.IndexOf("activation");
        Assert.True(linear >= 0 && linear < normalize && normalize < scale && scale < activation);
        Assert.Contains(texts, t => t.Contains("γ", StringComparison.Ordinal) && t.Contains("β", StringComparison.Ordinal));
    }

    [Fact]
    public void Superscripts_are_digits_raised()
    {
        Assert.Equal("⁰", NetworkDiagrams.Up(0));
        Assert.Equal("¹²", NetworkDiagrams.Up(12));
    }
}
