using FromScratch.Notebooks.Engine;
using static FromScratch.Notebooks.Tests.TestSupport;

namespace FromScratch.Notebooks.Tests;

public class ParameterTests
{
    [Fact]
    public async Task Parameters_are_injected_after_the_parameters_cell_with_typed_values()
    {
        var parameters = new Dictionary<string, string> { ["epochs"] = "3", ["rate"] = "0.25", ["label"] = "tuned run", ["verbose"] = "true" };
        var (notebook, result) = await RunFixture("parameters.ipynb", new NotebookRunOptions { Parameters = parameters });
        Assert.True(result.Succeeded, result.FirstError?.EValue);
        var injected = notebook.Cells[2];
        Assert.Equal([NotebookRunner.InjectedParametersTag], injected.Tags);
        Assert.Contains("label = \"tuned run\";", injected.Source);
        Assert.Equal("3 0.25 tuned run True", Text(Outputs(notebook, 4).Single()!["data"]!["text/plain"]));
    }

    [Fact]
    public async Task An_unknown_parameter_is_an_error_naming_notebook_name_and_the_known_ones()
    {
        var parameters = new Dictionary<string, string> { ["epochz"] = "3" };
        var e = await Assert.ThrowsAsync<NotebookParameterException>(() => RunFixture("parameters.ipynb", new NotebookRunOptions { Parameters = parameters }));
        Assert.Contains("parameters.ipynb", e.Message);
        Assert.Contains("'epochz'", e.Message);
        Assert.Contains("epochs, rate, label, verbose", e.Message);
    }

    [Theory]
    [InlineData("42", "int", "42")]
    [InlineData("42", "double", "42")]
    [InlineData("-0.5", "var", "-0.5")]
    [InlineData("1e-3", "double", "0.001")]
    [InlineData("2", "float", "2")]
    [InlineData("2.5", "float", "2.5f")]
    [InlineData("true", "bool", "true")]
    [InlineData("hello \"you\"", "var", "\"hello \\\"you\\\"\"")]
    [InlineData("42", "string", "\"42\"")]
    public void Literals_are_typed_from_the_text(string value, string declaredType, string expected) =>
        Assert.Equal(expected, NotebookRunner.Literal(value, declaredType));
}
