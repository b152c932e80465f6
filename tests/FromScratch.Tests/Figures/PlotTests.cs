using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;

namespace FromScratch.Tests.Figures;

public class PlotTests
{
    private static JsonElement Json(FromScratch.Figure figure)
    {
        using var doc = JsonDocument.Parse(figure.ToPlotlyJson());
        return doc.RootElement.Clone();
    }

    private static JsonElement[] Traces(FromScratch.Figure f) => Json(f).GetProperty("data").EnumerateArray().ToArray();

    private static string Layout(FromScratch.Figure f, string axis) =>
        Json(f).GetProperty("layout").GetProperty(axis).GetProperty("title").GetProperty("text").GetString()!;

    private static double?[] Numbers(JsonElement array) =>
        array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? (double?)null : e.GetDouble()).ToArray();

    [Fact]
    public void Loss_curves_draw_one_trace_per_run_counting_epochs_from_1()
    {
        var figure = Plot.LossCurves([("SGD", [0.5, 0.3, 0.2]), ("Adam", [0.4, 0.1, 0.05])], title: "Loss per epoch", logY: true);
        var traces = Traces(figure);
        Assert.Equal(2, traces.Length);
        Assert.Equal("SGD", traces[0].GetProperty("name").GetString());
        Assert.Equal([1.0, 2, 3], Numbers(traces[0].GetProperty("x")));
        Assert.Equal([0.4, 0.1, 0.05], Numbers(traces[1].GetProperty("y")));
        Assert.Equal("epoch", Layout(figure, "xaxis"));
        Assert.Equal("loss", Layout(figure, "yaxis"));
        Assert.Equal("log", Json(figure).GetProperty("layout").GetProperty("yaxis").GetProperty("type").GetString());
        Assert.True(Json(figure).GetProperty("layout").GetProperty("yaxis").GetProperty("automargin").GetBoolean()); // wide 10⁻ⁿ labels vs the title
        Assert.Equal("Loss per epoch", figure.Title);
    }

    [Fact]
    public void A_diverged_run_is_drawn_to_its_last_finite_value_and_marked()
    {
        var figure = Plot.LossCurves([("η = 1", [0.7, 3.0, 40.0, double.PositiveInfinity, double.NaN])], xTitle: "iteration");
        var traces = Traces(figure);
        Assert.Equal(2, traces.Length);
        Assert.Equal([1.0, 2, 3], Numbers(traces[0].GetProperty("x")));
        Assert.Equal([0.7, 3.0, 40.0], Numbers(traces[0].GetProperty("y")));
        Assert.Equal("η = 1 (diverged at iteration 4: ∞)", traces[0].GetProperty("name").GetString());
        Assert.Equal([3.0], Numbers(traces[1].GetProperty("x")));
        Assert.Equal([40.0], Numbers(traces[1].GetProperty("y")));
        Assert.Equal("x", traces[1].GetProperty("marker").GetProperty("symbol").GetString());
        Assert.DoesNotContain("NaN", figure.ToPlotlyJson());
        Assert.DoesNotContain("Infinity", figure.ToPlotlyJson());
    }

    [Fact]
    public void Training_histories_plot_per_epoch_or_per_iteration()
    {
        var history = new TrainingHistory("raw inputs");
        history.RecordIteration(1, 0.5);
        history.RecordIteration(1, 0.4);
        history.RecordEpoch(0.45);
        history.RecordIteration(2, double.PositiveInfinity);
        history.RecordEpoch(double.PositiveInfinity);

        var perEpoch = Traces(Plot.Training([history]));
        Assert.Equal([0.45], Numbers(perEpoch[0].GetProperty("y")));
        Assert.Equal("raw inputs (diverged at epoch 2: ∞)", perEpoch[0].GetProperty("name").GetString());

        var perIteration = Plot.Training([history], perIteration: true);
        Assert.Equal([0.5, 0.4], Numbers(Traces(perIteration)[0].GetProperty("y")));
        Assert.Equal("Loss per iteration", perIteration.Title);
    }

    [Fact]
    public void Scatter_by_class_makes_one_trace_per_class_with_counts()
    {
        var figure = Plot.ScatterByClass([1, 2, 3], [4, 5, 6], [1, 0, 1], ["M", "F"], "People", "weight (kg)", "height (cm)");
        var traces = Traces(figure);
        Assert.Equal(["M (1)", "F (2)"], traces.Select(t => t.GetProperty("name").GetString()));
        Assert.Equal([1.0, 3], Numbers(traces[1].GetProperty("x")));
        Assert.Equal([4.0, 6], Numbers(traces[1].GetProperty("y")));
        Assert.Equal("weight (kg)", Layout(figure, "xaxis"));
        Assert.Equal("height (cm)", Layout(figure, "yaxis"));
    }

    [Fact]
    public void Scatter_by_class_refuses_mismatched_lengths_and_unknown_classes()
    {
        var lengths = Assert.Throws<ArgumentException>(() => Plot.ScatterByClass([1, 2], [4], [0, 1], ["M", "F"], "t", "x", "y"));
        Assert.Equal("x has 2 values, y has 1 and labels has 2; they must be the same length.", lengths.Message);
        var label = Assert.Throws<ArgumentException>(() => Plot.ScatterByClass([1], [4], [2], ["M", "F"], "t", "x", "y"));
        Assert.StartsWith("labels[0] = 2 is not a class index 0…1 (M, F).", label.Message);
    }

    [Fact]
    public void Decision_boundary_evaluates_predict_on_the_grid()
    {
        var figure = Plot.DecisionBoundary((a, b) => a > b ? 1 : 0, (0, 1), (0, 2), [0.2], [0.4], [1], ["M", "F"], gridSize: 3);
        var traces = Traces(figure);
        Assert.Equal(["heatmap", "contour", "scatter", "scatter"], traces.Select(t => t.GetProperty("type").GetString()));
        Assert.Equal([0.0, 0.5, 1], Numbers(traces[0].GetProperty("x")));
        Assert.Equal([0.0, 1, 2], Numbers(traces[0].GetProperty("y")));
        // z[row][column] = predict(x[column], y[row])
        var z = traces[0].GetProperty("z").EnumerateArray().Select(Numbers).ToArray();
        Assert.Equal([0.0, 1, 1], z[0]);
        Assert.Equal([0.0, 0, 0], z[1]);
        Assert.Equal(0.5, traces[1].GetProperty("contours").GetProperty("start").GetDouble());
        Assert.Equal("boundary ŷ = 0.5", traces[1].GetProperty("name").GetString());
    }

    [Fact]
    public void Decision_boundary_refuses_a_prediction_that_is_not_finite()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            Plot.DecisionBoundary((a, b) => a == 1 ? double.NaN : 0, (0, 1), (0, 1), [], [], [], ["M", "F"], gridSize: 2));
        Assert.StartsWith("predict(1, 0) returned NaN; it must be a finite number everywhere in the range.", e.Message);
    }

    [Fact]
    public void Error_surface_draws_paths_with_a_start_and_an_end()
    {
        IReadOnlyList<(double, double)> path = [(1, 1), (0.5, 0.2), (0.1, 0.0)];
        IReadOnlyList<(double, double)> diverging = [(1, 1), (3, -3), (double.NaN, double.NaN)];
        var figure = Plot.ErrorSurface((a, b) => a * a + 10 * b * b, (-2, 2), (-1, 1), [("SGD", path), ("η too large", diverging)], gridSize: 5);
        var traces = Traces(figure);
        Assert.Equal(3, traces.Length);
        Assert.Equal("contour", traces[0].GetProperty("type").GetString());
        Assert.Equal(14.0, Numbers(traces[0].GetProperty("z")[4])[4]); // z[row 4][column 4] = E(2, 1) = 4 + 10·1
        Assert.Equal(["square", "circle", "star"], traces[1].GetProperty("marker").GetProperty("symbol").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal([1.0, 0.5, 0.1], Numbers(traces[1].GetProperty("x")));
        Assert.Equal("η too large (diverged after step 2)", traces[2].GetProperty("name").GetString());
        Assert.Equal([1.0, 3], Numbers(traces[2].GetProperty("x")));
        Assert.Equal("w₁", Layout(figure, "xaxis"));
        Assert.Equal("w₂", Layout(figure, "yaxis"));
    }

    [Fact]
    public void Error_surface_draws_marks_as_single_points_after_the_paths()
    {
        IReadOnlyList<(double, double)> path = [(1, 1), (0.1, 0.0)];
        var figure = Plot.ErrorSurface((a, b) => a * a + b * b, (-2, 2), (-1, 1), [("SGD", path)], gridSize: 3,
            marks: [("lowest grid point", 0.0, -0.5)]);
        var traces = Traces(figure);
        Assert.Equal(3, traces.Length);
        Assert.Equal("lowest grid point", traces[2].GetProperty("name").GetString());
        Assert.Equal([0.0], Numbers(traces[2].GetProperty("x")));
        Assert.Equal([-0.5], Numbers(traces[2].GetProperty("y")));
        Assert.Equal("markers", traces[2].GetProperty("mode").GetString());
    }

    [Fact]
    public void Error_surface_on_a_log_scale_leaves_gaps_where_E_is_zero()
    {
        var figure = Plot.ErrorSurface((a, b) => a * a + b * b, (-1, 1), (-1, 1), gridSize: 3, logScale: true);
        var z = Traces(figure)[0].GetProperty("z").EnumerateArray().Select(Numbers).ToArray();
        Assert.Null(z[1][1]);                  // log₁₀ 0 = −∞ is a gap, not a crash
        Assert.Equal(Math.Log10(2), z[0][0]!.Value, 12);
    }

    [Fact]
    public void Functions_sample_each_function_over_the_range()
    {
        var figure = Plot.Functions((-1, 1), [("σ(x)", x => 1 / (1 + Math.Exp(-x))), ("x²", x => x * x)], "Activations", points: 3);
        var traces = Traces(figure);
        Assert.Equal([-1.0, 0, 1], Numbers(traces[1].GetProperty("x")));
        Assert.Equal([1.0, 0, 1], Numbers(traces[1].GetProperty("y")));
        Assert.Equal(0.5, Numbers(traces[0].GetProperty("y"))[1]);
        Assert.Equal(["σ(x)", "x²"], traces.Select(t => t.GetProperty("name").GetString()));
    }

    [Fact]
    public void Lines_take_any_sequences_without_casts_and_have_no_plotly_net_template()
    {
        IReadOnlyList<double> history = [0.5, 0.7, 0.9];
        var fromLists = Plot.Lines(Enumerable.Range(1, 3).Select(e => (double)e),
            new[] { "a", "b" }.Select(name => (name, history)).ToArray(), "t", "x", "y");
        var fromArrays = Plot.Lines([1.0, 2, 3], new[] { ("c", new[] { 1.0, 2, 3 }), ("d", new[] { 3.0, 2, 1 }) }, "t", "x", "y");
        var fromLazy = Plot.Lines(new List<double> { 1, 2, 3 }, [("e", Enumerable.Repeat(2.0, 3))], "t", "x", "y");
        Assert.Equal([0.5, 0.7, 0.9], Numbers(Traces(fromLists)[1].GetProperty("y")));
        Assert.Equal([3.0, 2, 1], Numbers(Traces(fromArrays)[1].GetProperty("y")));
        Assert.Equal([2.0, 2, 2], Numbers(Traces(fromLazy)[0].GetProperty("y")));
        // The course's own look, not Plotly.NET's default template.
        var layout = Json(fromArrays).GetProperty("layout");
        Assert.False(layout.TryGetProperty("template", out _));
        Assert.Equal("Arial, Helvetica, sans-serif", layout.GetProperty("font").GetProperty("family").GetString());
        Assert.Equal("#444", layout.GetProperty("xaxis").GetProperty("linecolor").GetString());
        Assert.Equal(80, layout.GetProperty("margin").GetProperty("l").GetDouble());
    }

    [Fact]
    public void Lines_refuse_a_series_of_the_wrong_length()
    {
        var e = Assert.Throws<ArgumentException>(() => Plot.Lines([1, 2, 3], [("a", [1, 2])], "t", "x", "y"));
        Assert.StartsWith("Series 'a' has 2 values but there are 3 x values.", e.Message);
    }

    [Fact]
    public void Sweep_uses_a_log_axis_and_marks_diverged_rates()
    {
        var figure = Plot.Sweep([1e-3, 1e-2, 1e-1, 1], [0.24, 0.1, 0.05, double.PositiveInfinity]);
        var traces = Traces(figure);
        Assert.Equal([1e-3, 1e-2, 1e-1], Numbers(traces[0].GetProperty("x")));
        Assert.Equal([1.0], Numbers(traces[1].GetProperty("x")));
        Assert.Equal("∞", traces[1].GetProperty("text")[0].GetString());
        Assert.Equal("log", Json(figure).GetProperty("layout").GetProperty("xaxis").GetProperty("type").GetString());
        Assert.Equal("learning rate η", Layout(figure, "xaxis"));
        var e = Assert.Throws<ArgumentException>(() => Plot.Sweep([0, 1], [1, 2]));
        Assert.StartsWith("A log x axis needs x > 0, but x[0] = 0.", e.Message);
    }

    [Fact]
    public void Heatmap_keeps_rows_and_columns_and_puts_row_0_on_top()
    {
        var m = Matrix<double>.Build.DenseOfArray(new double[,] { { 5, 1, 0 }, { 2, 7, 1 } });
        var figure = Plot.Heatmap(m, ["a", "b", "c"], ["a", "b"]);
        var trace = Traces(figure)[0];
        Assert.Equal([2.0, 7, 1], Numbers(trace.GetProperty("z")[1]));
        Assert.Equal("reversed", Json(figure).GetProperty("layout").GetProperty("yaxis").GetProperty("autorange").GetString());
        Assert.Equal("predicted class", Layout(figure, "xaxis"));
        Assert.Equal("actual class", Layout(figure, "yaxis"));
        var e = Assert.Throws<ArgumentException>(() => Plot.Heatmap(m, ["a", "b"], ["a", "b"]));
        Assert.Equal("The matrix is 2×3 but there are 2 row labels and 2 column labels.", e.Message);
    }

    [Fact]
    public void Bar_has_one_bar_per_category()
    {
        var trace = Traces(Plot.Bar(["x", "y"], [3, 4], "Bars", "what", "how many"))[0];
        Assert.Equal("bar", trace.GetProperty("type").GetString());
        Assert.Equal([3.0, 4], Numbers(trace.GetProperty("y")));
    }

    [Fact]
    public void Image_grid_tiles_images_with_captions()
    {
        var one = Plot.Image(Enumerable.Range(0, 4).Select(i => (double)i), width: 2); // [[0, 1], [2, 3]]
        Assert.Equal(3.0, one[1, 1]);
        Assert.Equal(1.0, one[0, 1]);
        var figure = Plot.ImageGrid([one, one, one], ["a", "b", "c"], columns: 2, title: "Digits");
        var json = Json(figure);
        var z = json.GetProperty("data")[0].GetProperty("z").EnumerateArray().Select(Numbers).ToArray();
        Assert.Equal(2 * (2 + 3), z.Length);      // two rows of tiles, each 2 pixels + 3 for the caption
        Assert.Equal(2 + 1 + 2, z[0].Length);     // two tiles of width 2 with a 1-pixel gap
        Assert.Equal([0.0, 1, null, 0, 1], z[3]);  // first pixel row of the first tile row
        Assert.Equal(["a", "b", "c"], json.GetProperty("layout").GetProperty("annotations").EnumerateArray().Select(a => a.GetProperty("text").GetString()));
        var e = Assert.Throws<ArgumentException>(() => Plot.Image([1, 2, 3], width: 2));
        Assert.StartsWith("3 pixels do not fill rows of width 2.", e.Message);
    }

    [Fact]
    public void Plotly_nets_own_json_of_every_plot_writes_plotly_values_not_union_cases()
    {
        // Chart.Show(), GenericChart.toChartHTML … write a chart with Plotly.NET's own serializer, which writes a
        // StyleParam stored as it is (TickOptions.Outside) as {"Case":"Outside"}, a value plotly ignores.
        var one = Plot.Image([0.0, 1, 2, 3], width: 2);
        var figures = new (string Name, FromScratch.Figure Figure)[]
        {
            ("LossCurves", Plot.LossCurves([("a", [0.5, 0.3, double.PositiveInfinity])], logY: true)),
            ("ScatterByClass", Plot.ScatterByClass([1, 2], [3, 4], [0, 1], ["M", "F"], "t", "x", "y")),
            ("DecisionBoundary", Plot.DecisionBoundary((a, b) => a > b ? 1 : 0, (0, 1), (0, 2), [0.2], [0.4], [1], ["M", "F"], gridSize: 3)),
            ("ErrorSurface", Plot.ErrorSurface((a, b) => a * a + b * b, (-1, 1), (-1, 1), new[] { ("path", new[] { (0.5, 0.5), (0.1, 0.1) }) }, gridSize: 3, logScale: true)),
            ("Functions", Plot.Functions((-1, 1), [("x²", x => x * x)], "f", points: 3)),
            ("Lines", Plot.Lines([1.0, 2], [("a", [1.0, 2])], "t", "x", "y", logX: true, markers: true)),
            ("Sweep", Plot.Sweep([1e-3, 1e-2, 1], [0.2, 0.1, double.PositiveInfinity])),
            ("Heatmap", Plot.Heatmap(Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2 }, { 3, 4 } }), ["a", "b"], ["c", "d"])),
            ("Bar", Plot.Bar(["x", "y"], [3, 4], "Bars", "what", "how many")),
            ("ImageGrid", Plot.ImageGrid([one, one], ["a", "b"], columns: 2, title: "Digits")),
            ("Slider", FromScratch.Figure.Slider("n", [1, 2], n => Plot.Lines([0.0, 1], [("a", [0.0, n])], "t", "x", "y"), sameAxes: true)),
        };
        foreach (var (name, figure) in figures)
        {
            string own = Plotly.NET.GenericChart.toJson(figure.Chart);
            int at = own.IndexOf("\"Case\"", StringComparison.Ordinal);
            Assert.True(at < 0, $"{name}: {(at < 0 ? "" : own[Math.Max(0, at - 80)..Math.Min(own.Length, at + 40)])}");
        }
    }
}
