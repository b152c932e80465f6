using System.Text;
using FromScratch.Notebooks.Cli;
using Spectre.Console;

namespace FromScratch.Notebooks.Tests.Export;

/// <summary>
/// A throw-away copy of the repository layout for export and site tests: FromScratch.slnx, build/ (a link
/// to the real build/lib, so notebooks load the real library and plotly.js), and notebooks/ with
/// 01-optimizers (library figures), 02-template (the course template, made by `new`) and 03-fake (a figure
/// type that is not the library's). Executed copies and exports go to its out/, not the repository's.
/// </summary>
public sealed class TempCourse : IDisposable
{
    public TempCourse()
    {
        Root = TestSupport.TempFolder();
        File.WriteAllText(Path.Combine(Root, "FromScratch.slnx"), "<Solution />\n");
        Directory.CreateSymbolicLink(Path.Combine(Root, "build"), Path.Combine(TestSupport.RepoRoot, "build"));
        Directory.CreateDirectory(Notebooks);
        File.Copy(Path.Combine(TestSupport.RepoRoot, "tests", "Notebooks.Tests", "Export", "Fixtures", "optimizers.ipynb"), Path.Combine(Notebooks, "01-optimizers.ipynb"));
        Assert.Equal(RunCommand.Success, NewCommand.Execute("02-template", Root, Console(out _)));
        File.Copy(TestSupport.Fixture("figure.ipynb"), Path.Combine(Notebooks, "03-fake.ipynb"));
    }

    public string Root { get; }

    public string Notebooks => Path.Combine(Root, "notebooks");

    public string Out => Path.Combine(Root, "out");

    /// <summary>A console whose output lands in <paramref name="log"/>.</summary>
    public static IAnsiConsole Console(out StringBuilder log)
    {
        log = new StringBuilder();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(new StringWriter(log)),
            Interactive = InteractionSupport.No,
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = 1000;
        return console;
    }

    public async Task<(int ExitCode, string Log)> Export(string format, string outName, int? width = null, int? height = null, double scale = 1, string? preset = null)
    {
        var console = Console(out var log);
        int exit = await ExportCommand.ExecuteAsync(new ExportSettings([], format, width, height, scale, preset, Path.Combine(Out, outName), Root), console);
        return (exit, log.ToString());
    }

    public async Task<(int ExitCode, string Log)> Site()
    {
        var console = Console(out var log);
        int exit = await SiteCommand.ExecuteAsync([], null, Root, console);
        return (exit, log.ToString());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path.Combine(Root, "build")); // the link, not the real build folder
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}

/// <summary>The real browser for tests: skipped locally when missing, a failure under CI=true (CI installs chromium).</summary>
internal static class Browser
{
    public static void Require()
    {
        if (FromScratch.BrowserLocator.TryFind(out var tried) is not null) return;
        string message = $"no Chromium-family browser (apt-get install chromium); tried {string.Join(", ", tried)}";
        if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail(message + "; CI must install it in .ci/run");
        Skip.If(true, message);
    }
}
