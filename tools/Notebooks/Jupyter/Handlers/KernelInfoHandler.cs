using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis.CSharp;

namespace FromScratch.Notebooks.Jupyter;

/// <summary>kernel_info_request: protocol version, implementation, and the language (C#, as Roslyn scripting runs it).</summary>
internal static class KernelInfoHandler
{
    /// <summary>kernel_info_reply content (the same on shell and control).</summary>
    public static JsonObject Reply()
    {
        string version = typeof(JupyterKernel).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "1.0";
        string csharp = LanguageVersionFacts.ToDisplayString(
            LanguageVersionFacts.MapSpecifiedToEffectiveVersion(LanguageVersion.Latest));
        return new JsonObject
        {
            ["status"] = "ok",
            ["protocol_version"] = JupyterMessage.ProtocolVersion,
            ["implementation"] = "fromscratch-csharp",
            ["implementation_version"] = version,
            ["language_info"] = new JsonObject
            {
                ["name"] = "C#",
                ["version"] = csharp,
                ["mimetype"] = "text/x-csharp",
                ["file_extension"] = ".cs",
                ["pygments_lexer"] = "csharp",
                ["codemirror_mode"] = "text/x-csharp",
            },
            ["banner"] = $"C# (FromScratch): Roslyn scripting on .NET {Environment.Version}, C# {csharp}. display(x) and HTML(\"…\") work as in `run`.",
            ["help_links"] = new JsonArray(),
            ["debugger"] = false,
        };
    }
}
