using System.CommandLine;
using System.Text.RegularExpressions;
using Spectre.Console;
using static FromScratch.Notebooks.Tests.TestSupport;

namespace FromScratch.Notebooks.Tests;

/// <summary>Every verb of the tool is one Cli/*Command.cs type with the same shape: <c>Create(console)</c> builds it.</summary>
public partial class CommandRegistrationTests
{
    private static string Cli => Path.Combine(RepoRoot, "tools", "Notebooks", "Cli");

    [Fact]
    public void Program_lists_the_commands_and_builds_none_itself()
    {
        string program = File.ReadAllText(Path.Combine(RepoRoot, "tools", "Notebooks", "Program.cs"));
        Assert.DoesNotContain("new Command(", program);
        Assert.DoesNotContain("new Option<", program);
        var registered = CreateCall().Matches(program).Select(m => m.Groups[1].Value).ToArray();
        var commandFiles = Directory.GetFiles(Cli, "*Command.cs").Select(Path.GetFileNameWithoutExtension).Order().ToArray();
        Assert.Equal(commandFiles, registered.Order());
    }

    [Fact]
    public void Every_command_type_builds_its_verb_with_Create_console()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) });
        var types = typeof(FromScratch.Notebooks.Cli.RunCommand).Assembly.GetTypes()
            .Where(t => t.Namespace == "FromScratch.Notebooks.Cli" && t.Name.EndsWith("Command", StringComparison.Ordinal)).ToArray();
        Assert.Equal(6, types.Length);
        foreach (var type in types)
        {
            var create = type.GetMethod("Create", [typeof(IAnsiConsole)]);
            Assert.True(create is not null && create.IsStatic && create.ReturnType == typeof(Command), $"{type.Name} has no static Command Create(IAnsiConsole)");
            var command = (Command)create!.Invoke(null, [console])!;
            Assert.Equal(type.Name[..^"Command".Length].ToLowerInvariant(), command.Name);
            // It does something: an action of its own, or one on each of its subcommands (kernel install, kernel start, …).
            Assert.True(command.Action is not null || command.Subcommands.Count > 0 && command.Subcommands.All(c => c.Action is not null),
                $"{command.Name} has no action");
        }
    }

    [GeneratedRegex(@"(\w+Command)\.Create\(console\)")]
    private static partial Regex CreateCall();
}
