using System.IO.Compression;
using System.Text.Json.Nodes;
using FromScratch.Notebooks.Engine;
using FromScratch.Notebooks.Format;
using FromScratch.Notebooks.Tests.Kernel;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using static FromScratch.Notebooks.Tests.TestSupport;

namespace FromScratch.Notebooks.Tests;

/// <summary>
/// <c>#r "nuget: …"</c> restores any package from the machine's NuGet feeds, as Polyglot did, in `run` and in the
/// kernel; the library's own packages keep the library's copy; a package or version that is not there is a clear
/// error; <c>#i "nuget: SOURCE"</c> adds a feed. Humanizer.Core is a package the library does not carry; Plotly.NET.CSharp
/// is one it carries.
/// </summary>
public class NuGetRestoreTests
{
    private static string Notebook(string folder, params string[] cells)
    {
        var json = new JsonObject
        {
            ["cells"] = new JsonArray(cells.Select((c, i) => (JsonNode)new JsonObject
            {
                ["cell_type"] = "code", ["id"] = $"c{i + 1}", ["metadata"] = new JsonObject(), ["execution_count"] = null,
                ["outputs"] = new JsonArray(), ["source"] = NotebookDocument.ToLines(c),
            }).ToArray()),
            ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["name"] = ".net-csharp", ["display_name"] = ".NET (C#)", ["language"] = "C#" } },
            ["nbformat"] = 4, ["nbformat_minor"] = 5,
        };
        string path = Path.Combine(folder, "nuget.ipynb");
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    private static async Task<(NotebookDocument Notebook, NotebookRunResult Result)> Run(params string[] cells)
    {
        var notebook = NotebookDocument.Load(Notebook(TempFolder(), cells));
        var result = await NotebookRunner.RunAsync(notebook, new NotebookRunOptions { Packages = LibraryPackages(), CellTimeout = TimeSpan.FromMinutes(10) });
        return (notebook, result);
    }

    private static string AllText(NotebookDocument notebook, int cell) => string.Concat(Outputs(notebook, cell).Select(o =>
        o!["output_type"]!.GetValue<string>() == "stream" ? Text(o["text"]) : o["data"]?["text/plain"] is { } p ? Text(p) : ""));

    private static string Error(NotebookDocument notebook, int cell) =>
        Outputs(notebook, cell).Single(o => o!["output_type"]!.GetValue<string>() == "error")!["evalue"]!.GetValue<string>();

    [Fact]
    public async Task A_package_the_library_does_not_carry_is_restored_and_loaded_in_run()
    {
        var (notebook, result) = await Run(
            "#r \"nuget: Humanizer.Core, 3.0.10\"",
            "typeof(Humanizer.StringHumanizeExtensions).Assembly.Location.Contains(\"humanizer.core\")",
            "Humanizer.StringHumanizeExtensions.Humanize(\"learning_rate_decay\")");
        Assert.True(result.Succeeded, result.FirstError?.EValue);
        string note = AllText(notebook, 1);
        Assert.StartsWith("Installed package Humanizer.Core 3.0.10", note);
        Assert.Single(note.TrimEnd('\n').Split('\n'));
        Assert.Equal("true", AllText(notebook, 2)); // from the restore cache, not from build/lib
        Assert.Equal("learning rate decay", AllText(notebook, 3));
    }

    [Fact]
    public async Task A_package_the_library_carries_loads_the_librarys_copy()
    {
        var (notebook, result) = await Run(
            "#r \"nuget: Plotly.NET.CSharp, 0.14.0\"",
            "typeof(Plotly.NET.CSharp.Chart).Assembly.Location + \"|\" + AppDomain.CurrentDomain.GetAssemblies()" +
            ".Count(a => a.GetName().Name == \"Plotly.NET.CSharp\")");
        Assert.True(result.Succeeded, result.FirstError?.EValue);
        Assert.Contains("Plotly.NET.CSharp 0.14.0", AllText(notebook, 1));
        Assert.Contains("course library", AllText(notebook, 1));
        // A course library's copy (build/lib/; in this test process possibly a temporary course's, since a process holds
        // one copy of an assembly and another test may have loaded it first), never the restore cache's, and only one.
        string[] parts = AllText(notebook, 2).Split('|');
        Assert.EndsWith(Path.Combine("build", "lib", "Plotly.NET.CSharp.dll"), parts[0]);
        Assert.Equal("1", parts[1]);
    }

    [Fact]
    public async Task A_package_without_a_version_gets_the_latest_the_feed_has()
    {
        var (notebook, result) = await Run("#r \"nuget: Humanizer.Core\"", "typeof(Humanizer.StringHumanizeExtensions).Assembly.GetName().Name");
        Assert.True(result.Succeeded, result.FirstError?.EValue);
        Assert.Matches(@"^Installed package Humanizer\.Core \d+\.\d+\.\d+", AllText(notebook, 1));
        Assert.Equal("Humanizer", AllText(notebook, 2));
    }

    [Fact]
    public async Task A_missing_package_is_an_error_naming_it_the_feeds_and_what_to_try()
    {
        var (notebook, result) = await Run("#r \"nuget: FromScratch.NoSuchPackage, 1.0.0\"\nConsole.WriteLine(\"must not run\");", "1");
        Assert.False(result.Succeeded);
        string error = Error(notebook, 1);
        Assert.Equal("NuGetPackageNotFound", Outputs(notebook, 1).Single()!["ename"]!.GetValue<string>());
        Assert.StartsWith("package FromScratch.NoSuchPackage 1.0.0 could not be restored from the NuGet feed(s) ", error);
        Assert.Contains("NU1101", error);
        Assert.Contains("#i \"nuget:", error);
        Assert.Contains("nuget.ipynb, cell 1 (code cell 1), line 1", string.Join("\n", Outputs(notebook, 1).Single()!["traceback"]!.AsArray()));
        Assert.Empty(Outputs(notebook, 2));
    }

    [Fact]
    public async Task A_missing_version_is_an_error_naming_the_nearest_version_to_write()
    {
        var (notebook, result) = await Run("#r \"nuget: Humanizer.Core, 99.0.0\"");
        Assert.False(result.Succeeded);
        string error = Error(notebook, 1);
        Assert.StartsWith("package Humanizer.Core 99.0.0 could not be restored", error);
        Assert.Contains("NU1102", error);
        Assert.Contains("Try #r \"nuget: Humanizer.Core, 3.0.10\"", error);
    }

    [Fact]
    public async Task A_feed_added_with_hash_i_serves_a_package_no_configured_feed_has()
    {
        string folder = TempFolder();
        string id = "FromScratch.LocalFeed" + Guid.NewGuid().ToString("N")[..8];
        WritePackage(Path.Combine(folder, "feed"), id, "1.0.0", "public static class LocalFeed { public static string Hello => \"from the local feed\"; }");
        string reference = $"#r \"nuget: {id}, 1.0.0\"";

        var notebook = NotebookDocument.Load(Notebook(folder, reference));
        var without = await NotebookRunner.RunAsync(notebook, new NotebookRunOptions { Packages = LibraryPackages() });
        Assert.False(without.Succeeded);
        Assert.Contains("NU1101", without.FirstError!.EValue);

        notebook = NotebookDocument.Load(Notebook(folder, "#i \"nuget: feed\"\n" + reference, "LocalFeed.Hello"));
        var with = await NotebookRunner.RunAsync(notebook, new NotebookRunOptions { Packages = LibraryPackages() });
        Assert.True(with.Succeeded, with.FirstError?.EValue);
        Assert.Equal($"note: NuGet feed {Path.Combine(folder, "feed")} added for the #r \"nuget:\" lines that follow.\nInstalled package {id} 1.0.0.\n",
            AllText(notebook, 1));
        Assert.Equal("from the local feed", AllText(notebook, 2));
    }

    [Fact]
    public void The_kernel_restores_a_package_and_reports_a_missing_one()
    {
        using var k = new RunningKernel();
        var (reply, iopub) = k.Client.Run("#r \"nuget: Humanizer.Core, 3.0.10\"\ntypeof(Humanizer.StringHumanizeExtensions).Assembly.GetName().Name");
        Assert.Equal("ok", reply.Content["status"]!.GetValue<string>());
        Assert.StartsWith("Installed package Humanizer.Core 3.0.10",
            iopub.Single(m => m.Type == "stream").Content["text"]!.GetValue<string>());
        Assert.Equal("Humanizer", iopub.Single(m => m.Type == "execute_result").Content["data"]!["text/plain"]!.GetValue<string>());

        (reply, iopub) = k.Client.Run("#r \"nuget: FromScratch.NoSuchPackage, 1.0.0\"");
        Assert.Equal("error", reply.Content["status"]!.GetValue<string>());
        var error = iopub.Single(m => m.Type == "error").Content;
        Assert.Equal("NuGetPackageNotFound", error["ename"]!.GetValue<string>());
        Assert.Contains("FromScratch.NoSuchPackage 1.0.0", error["evalue"]!.GetValue<string>());
        Assert.Contains("NU1101", error["evalue"]!.GetValue<string>());
    }

    /// <summary>A .nupkg (a zip: nuspec + lib/netstandard2.0/Id.dll compiled from <paramref name="code"/>) in <paramref name="feed"/>.</summary>
    private static void WritePackage(string feed, string id, string version, string code)
    {
        Directory.CreateDirectory(feed);
        var compilation = CSharpCompilation.Create(id, [CSharpSyntaxTree.ParseText(code)],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location), MetadataReference.CreateFromFile(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "System.Runtime.dll"))],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var dll = new MemoryStream();
        var emitted = compilation.Emit(dll);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        using var zip = ZipFile.Open(Path.Combine(feed, $"{id}.{version}.nupkg"), ZipArchiveMode.Create);
        using (var writer = new StreamWriter(zip.CreateEntry($"{id}.nuspec").Open()))
            writer.Write($"""
                <?xml version="1.0" encoding="utf-8"?>
                <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
                  <metadata><id>{id}</id><version>{version}</version><authors>test</authors><description>test package</description></metadata>
                </package>
                """);
        using var entry = zip.CreateEntry($"lib/net10.0/{id}.dll").Open();
        dll.Position = 0;
        dll.CopyTo(entry);
    }
}
