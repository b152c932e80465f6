using System.CommandLine;
using System.Text.Json.Nodes;
using FromScratch.Notebooks.Format;
using Spectre.Console;

namespace FromScratch.Notebooks.Cli;

/// <summary>`new &lt;name&gt;`: a lesson notebook from the course template (Polyglot Notebooks metadata, knobs cell, check).</summary>
internal static class NewCommand
{
    /// <summary>The `new` verb for Program.cs.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var nameArgument = new Argument<string>("name") { Description = "Lesson name, e.g. 03-gradient-descent (created in notebooks/)" };
        var command = new Command("new", "Create a lesson notebook from the course template") { nameArgument };
        command.SetAction(parse => Execute(parse.GetValue(nameArgument)!, Environment.CurrentDirectory, console));
        return command;
    }

    public static int Execute(string name, string currentDirectory, IAnsiConsole console)
    {
        string file = name.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase) ? name : name + ".ipynb";
        string path;
        if (Path.IsPathRooted(file) || file.Contains('/') || file.Contains('\\'))
        {
            path = Path.GetFullPath(file, currentDirectory);
        }
        else if (RepositoryLayout.Find(currentDirectory) is { } repo)
        {
            path = Path.Combine(repo.NotebooksFolder, file);
        }
        else
        {
            path = Path.GetFullPath(file, currentDirectory);
        }
        if (File.Exists(path))
        {
            console.MarkupLineInterpolated($"[red]error:[/] {path} already exists; not overwriting it (choose another name or delete it first)");
            return RunCommand.UsageError;
        }
        string title = Path.GetFileNameWithoutExtension(path);
        string text = Template().Replace("{{TITLE}}", JsonEscape(title), StringComparison.Ordinal).Replace("{{FILE}}", JsonEscape(Path.GetFileName(path)), StringComparison.Ordinal);
        var notebook = NotebookDocument.Parse(text, path);
        try
        {
            notebook.Save(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] cannot write {path}: {e.Message}");
            return RunCommand.UsageError;
        }
        console.MarkupLineInterpolated($"created {path}");
        return RunCommand.Success;
    }

    internal static string Template()
    {
        using var stream = typeof(NewCommand).Assembly.GetManifestResourceStream("FromScratch.Notebooks.Templates.lesson.ipynb")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string JsonEscape(string text) => JsonValue.Create(text).ToJsonString()[1..^1];
}
