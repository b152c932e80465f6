using System.CommandLine;
using FromScratch.Notebooks.Cli;
using Spectre.Console;

// The console host. With no arguments it runs every notebook in notebooks/ (the project's main job).
var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
if (Console.IsOutputRedirected) console.Profile.Width = 1000; // CI logs: one line per message, no wrapping
if (args.Length == 0 || (args[0].StartsWith('-') && args[0] is not ("-h" or "--help" or "-?" or "--version")))
    args = ["run", .. args];

// Every verb is one Cli/*Command.cs type whose Create(console) builds it: arguments, options and action.
var root = new RootCommand("FromScratch notebooks: run the course's C# notebooks headlessly")
{
    RunCommand.Create(console),
    NewCommand.Create(console),
    ExportCommand.Create(console),
    SiteCommand.Create(console),
    KernelCommand.Create(console),
    ProgressCommand.Create(console),
};
return await root.Parse(args).InvokeAsync();
