using System.Reflection;
using System.Text.Json;
using FromScratch.Display;

namespace FromScratch.Tests.Display;

/// <summary>
/// The library's display convention, read the way .NET Interactive reads it: by member names, through
/// reflection, with no reference to the attribute or formatter types.
/// </summary>
public class DisplayConventionTests
{
    /// <summary>MIME type → text, from the formatters a kernel would find on <paramref name="value"/>'s type.</summary>
    private static (Dictionary<string, string> Outputs, string[] Preferred) FormatByConvention(object value)
    {
        var attribute = value.GetType().GetCustomAttributes(inherit: true)
            .Single(a => a.GetType().Name == "TypeFormatterSourceAttribute");
        var sourceType = (Type)attribute.GetType().GetProperty("FormatterSourceType")!.GetValue(attribute)!;
        var preferred = (string[])attribute.GetType().GetProperty("PreferredMimeTypes")!.GetValue(attribute)!;
        object source = Activator.CreateInstance(sourceType)!;
        var formatters = (IEnumerable<object>)sourceType.GetMethod("CreateTypeFormatters")!.Invoke(source, null)!;
        var outputs = new Dictionary<string, string>();
        foreach (object formatter in formatters)
        {
            var type = formatter.GetType();
            Assert.True(((Type)type.GetProperty("Type")!.GetValue(formatter)!).IsInstanceOfType(value));
            var writer = new StringWriter();
            bool handled = (bool)type.GetMethod("Format", [typeof(object), typeof(TextWriter)])!.Invoke(formatter, [value, writer])!;
            Assert.True(handled);
            outputs.Add((string)type.GetProperty("MimeType")!.GetValue(formatter)!, writer.ToString());
        }
        return (outputs, preferred);
    }

    private static Figure Sample() => Plot.Lines([1, 2, 3], [("a", [1, 4, 9])], "Squares", "n", "value");

    [Fact]
    public void A_figure_formats_as_plotly_json_html_and_text_and_prefers_all_three()
    {
        var figure = Sample();
        var (outputs, preferred) = FormatByConvention(figure);
        Assert.Equal([MimeTypes.Html, MimeTypes.Plotly, MimeTypes.PlainText], preferred);
        Assert.Equal(figure.ToPlotlyJson(), outputs[MimeTypes.Plotly]);
        using var json = JsonDocument.Parse(outputs[MimeTypes.Plotly]);
        Assert.Equal(1, json.RootElement.GetProperty("data").GetArrayLength());
        Assert.Contains("Plotly.newPlot(", outputs[MimeTypes.Html]);
        Assert.Contains("\"value\"", outputs[MimeTypes.Html]);
        Assert.Equal("Figure: Squares (1 trace)", outputs[MimeTypes.PlainText]);
    }

    [Fact]
    public void Plotly_js_is_in_the_first_figures_html_of_the_process_only()
    {
        FigureFormatterSource.ResendPlotlyJavaScript();
        string first = FormatByConvention(Sample()).Outputs[MimeTypes.Html];
        string second = FormatByConvention(Sample()).Outputs[MimeTypes.Html];
        Assert.Contains(Figure.PlotlyJavaScript[..200], first);
        Assert.DoesNotContain(Figure.PlotlyJavaScript[..200], second);
        Assert.True(second.Length < 100_000, $"a later figure's HTML is {second.Length} characters");
        Assert.Contains("window.Plotly", second);
        Assert.NotEqual(Id(first), Id(second));
        FigureFormatterSource.ResendPlotlyJavaScript();
        Assert.Contains(Figure.PlotlyJavaScript[..200], FormatByConvention(Sample()).Outputs[MimeTypes.Html]);

        static string Id(string html) => html[(html.IndexOf("<div id=\"", StringComparison.Ordinal) + 9)..].Split('"')[0];
    }

    [Fact]
    public void A_training_history_formats_as_an_html_table_and_its_one_line_summary()
    {
        var history = new TrainingHistory("Adam <fast>");
        history.RecordIteration(1, 0.9);
        history.RecordEpoch(0.8, metric: 0.5);
        history.RecordIteration(2, 0.4);
        history.RecordEpoch(0.25, metric: 0.75);
        var (outputs, preferred) = FormatByConvention(history);
        Assert.Equal([MimeTypes.Html, MimeTypes.PlainText], preferred);
        Assert.Equal(history.ToString(), outputs[MimeTypes.PlainText]);
        string html = outputs[MimeTypes.Html];
        Assert.Contains("<table", html);
        Assert.Contains("<td>Adam &lt;fast&gt;</td>", html);
        Assert.Contains("<td>completed</td><td>2</td><td>2</td><td>0.8</td><td>0.25</td><td>0.75</td>", html);
    }

    [Fact]
    public void A_diverged_history_says_where_in_its_table()
    {
        var history = new TrainingHistory("SGD");
        history.RecordIteration(1, 2.0);
        history.RecordIteration(1, double.PositiveInfinity);
        string html = FormatByConvention(history).Outputs[MimeTypes.Html];
        Assert.Contains("<td>diverged in epoch 1 (iteration 2)</td>", html);
        Assert.Contains("<td>∞</td>", html);
    }

    [Fact]
    public void A_formatter_refuses_a_value_of_another_type()
    {
        var formatter = (TypeFormatter)new FigureFormatterSource().CreateTypeFormatters().First();
        Assert.False(formatter.Format("not a figure", new StringWriter()));
    }

    [Fact]
    public void The_library_no_longer_references_the_html_abstractions_that_cause_CS1701_on_the_official_kernel()
    {
        var references = typeof(Figure).Assembly.GetReferencedAssemblies().Select(a => a.Name);
        Assert.DoesNotContain("Microsoft.AspNetCore.Html.Abstractions", references);
        Assert.DoesNotContain(typeof(Figure).GetInterfaces(), i => i.Name == "IHtmlContent");
    }
}
