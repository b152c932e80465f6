using System.Reflection;
using FromScratch.Notebooks.Format;

namespace FromScratch.Notebooks.Site;

/// <summary>
/// Third-party files the generated pages load from disk (KaTeX; see Site/Vendor/), embedded in the tool and
/// written next to the pages, so nothing is fetched from a network.
/// </summary>
internal static class VendoredAssets
{
    private const string Prefix = "vendor/";

    /// <summary>
    /// Writes every embedded file under vendor/<paramref name="package"/>/ into <paramref name="folder"/>/<paramref name="package"/>/,
    /// keeping its relative path (katex/fonts/KaTeX_Main-Regular.woff2 …); unchanged files are left alone.
    /// </summary>
    public static int Write(string package, string folder)
    {
        var assembly = typeof(VendoredAssets).Assembly;
        string start = $"{Prefix}{package}/";
        int count = 0;
        foreach (string name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(start, StringComparison.Ordinal)))
        {
            string path = Path.Combine(folder, name[Prefix.Length..].Replace('/', Path.DirectorySeparatorChar));
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            byte[] bytes = buffer.ToArray();
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (!File.Exists(path) || !File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
                AtomicFile.WriteAllBytes(path, bytes);
            count++;
        }
        if (count == 0) throw new InvalidOperationException($"the tool carries no files of {package} (embedded resources {start}*)");
        return count;
    }

    /// <summary>
    /// The page head lines that load KaTeX from <paramref name="relativeFolder"/> (e.g. "katex"), and the script that
    /// typesets every element <see cref="MathText"/> marked: <c>class="math" data-tex="…"</c>, as a display formula where it
    /// also has <c>data-display</c>. Without JavaScript the readable text stays.
    /// </summary>
    public static string KatexHead(string relativeFolder) =>
        $"<link rel=\"stylesheet\" href=\"{relativeFolder}/katex.min.css\">\n"
        + $"<script src=\"{relativeFolder}/katex.min.js\"></script>\n"
        + "<script>document.addEventListener('DOMContentLoaded', function () {\n"
        + "  document.querySelectorAll('.math[data-tex]').forEach(function (el) {\n"
        + "    katex.render(el.getAttribute('data-tex'), el, { displayMode: el.hasAttribute('data-display'), throwOnError: false });\n"
        + "  });\n"
        + "});</script>\n";
}
