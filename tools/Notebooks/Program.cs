using System.CommandLine;
using FromScratch.Notebooks.Cli;
using Spectre.Console;

// The console host. With no arguments it runs every notebook in notebooks/ (the project's main job).
var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
if (Console.IsOutputRedirected) console.Profile.Width = 1000; // CI logs: one line per message, no wrapping
if (args.Length == 0 || (args[0].StartsWith('-') && args[0] is not ("-h" or "--help" or "-?" or "--version")))
    args = ["run", .. args];

var notebooksArgument = new Argument<string[]>("notebooks") { Description = "Notebook files to run (default: every notebook in notebooks/, in file-name order)", Arity = ArgumentArity.ZeroOrMore };
var parameterOption = new Option<string[]>("--parameter", "-p") { Description = "Set a knob of the cell tagged 'parameters': name=value (repeatable)", AllowMultipleArgumentsPerToken = false };
var outOption = new Option<string?>("--out") { Description = "Output folder (default: out/ in the repository): notebooks/ and figures/ go there" };
var inPlaceOption = new Option<bool>("--in-place") { Description = "Write outputs back into the source notebooks (atomically)" };
var continueOption = new Option<bool>("--continue-on-error") { Description = "Keep running later cells after a failing cell" };
var solutionsOption = new Option<bool>("--solutions") { Description = "Put each exercise's reference solution (notebooks/solutions/) into its cell; fail unless every check prints ✔" };
var mistakesOption = new Option<bool>("--mistakes") { Description = "Run once per catalogued mistake (notebooks/solutions/); fail unless each check prints ✘ with its hint" };
var timeoutOption = new Option<double?>("--cell-timeout")
{
    Description = "Cancel a cell that runs longer than this many seconds",
    CustomParser = result =>
    {
        string text = result.Tokens.Single().Value;
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double seconds) && seconds > 0)
            return seconds;
        result.AddError($"--cell-timeout {text}: expected a positive number of seconds, e.g. --cell-timeout 120");
        return null;
    },
};

var run = new Command("run", "Execute notebooks headlessly and write their outputs")
{
    notebooksArgument, parameterOption, outOption, inPlaceOption, continueOption, timeoutOption, solutionsOption, mistakesOption,
};
run.SetAction(async (parse, cancellation) =>
{
    var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
    foreach (string pair in parse.GetValue(parameterOption) ?? [])
    {
        int eq = pair.IndexOf('=');
        if (eq <= 0)
        {
            console.MarkupLineInterpolated($"[red]error:[/] -p {pair}: expected name=value");
            return RunCommand.UsageError;
        }
        parameters[pair[..eq].Trim()] = pair[(eq + 1)..];
    }
    double? timeout = parse.GetValue(timeoutOption);
    bool solutions = parse.GetValue(solutionsOption), mistakes = parse.GetValue(mistakesOption);
    if (solutions && mistakes || (solutions || mistakes) && parse.GetValue(inPlaceOption))
    {
        console.MarkupLine("[red]error:[/] --solutions, --mistakes and --in-place exclude each other (the solutions never go into your notebook)");
        return RunCommand.UsageError;
    }
    var settings = new RunSettings(parse.GetValue(notebooksArgument) ?? [], parameters, parse.GetValue(outOption),
        parse.GetValue(inPlaceOption), parse.GetValue(continueOption), timeout is { } s ? TimeSpan.FromSeconds(s) : null,
        Environment.CurrentDirectory,
        solutions ? ExerciseMode.Solutions : mistakes ? ExerciseMode.Mistakes : ExerciseMode.AsWritten);
    return await RunCommand.ExecuteAsync(settings, console, cancellation);
});

var nameArgument = new Argument<string>("name") { Description = "Lesson name, e.g. 03-gradient-descent (created in notebooks/)" };
var create = new Command("new", "Create a lesson notebook from the course template") { nameArgument };
create.SetAction(parse => NewCommand.Execute(parse.GetValue(nameArgument)!, Environment.CurrentDirectory, console));

var root = new RootCommand("FromScratch notebooks: run the course's C# notebooks headlessly") { run, create };
root.Subcommands.Add(ExportCommand.Create(console));
root.Subcommands.Add(SiteCommand.Create(console));
root.Subcommands.Add(KernelCommand.Create(console));
root.Subcommands.Add(ProgressCommand.Create(console));
return await root.Parse(args).InvokeAsync();
