using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

// Internal, like Browser.cs: the notebook tool compiles this file into itself too (its `export` command).
namespace FromScratch;

/// <summary>The image formats plotly.js can write.</summary>
internal enum ImageFormat
{
    /// <summary>A bitmap (width·scale × height·scale pixels).</summary>
    Png,

    /// <summary>A vector drawing (SVG), sharp at any size.</summary>
    Svg,
}

/// <summary>One figure to turn into an image.</summary>
/// <param name="PlotlyJson">The figure as plotly JSON, <c>{"data":[...],"layout":{...}}</c>.</param>
/// <param name="Format">PNG or SVG.</param>
/// <param name="Width">Width in CSS pixels (the layout width).</param>
/// <param name="Height">Height in CSS pixels (the layout height).</param>
/// <param name="Scale">Pixel density: a PNG is Width·Scale × Height·Scale pixels (use 2 for sharp slides).</param>
internal sealed record FigureImageRequest(string PlotlyJson, ImageFormat Format, int Width, int Height, double Scale = 1);

/// <summary>
/// Turns plotly figures into PNG or SVG files with plotly.js's own <c>Plotly.toImage</c>, run in a headless
/// Chromium-family browser already on the machine (see <see cref="BrowserLocator"/>). The page is
/// offline: plotly.js comes from a local file. Many figures share one browser start, so a whole
/// course exports in seconds.
/// </summary>
internal static class FigureExport
{
    /// <summary>Largest accepted width or height in CSS pixels.</summary>
    public const int MaxSize = 10_000;

    /// <summary>
    /// Renders every figure in one browser and returns the image bytes in the same order.
    /// Throws <see cref="BrowserNotFoundException"/> when there is no browser (HTML export needs none).
    /// </summary>
    /// <param name="figures">The figures and their image settings.</param>
    /// <param name="plotlyJavaScript">The plotly.js source (e.g. <c>Figure.PlotlyJavaScript</c>).</param>
    /// <param name="browserExecutable">A browser to use instead of the one <see cref="BrowserLocator"/> finds.</param>
    /// <param name="cancellation">Cancels the export.</param>
    public static async Task<IReadOnlyList<byte[]>> RenderAsync(
        IReadOnlyList<FigureImageRequest> figures, string plotlyJavaScript, string? browserExecutable = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(figures);
        ArgumentException.ThrowIfNullOrEmpty(plotlyJavaScript);
        var figureJson = new JsonObject[figures.Count];
        for (int i = 0; i < figures.Count; i++) figureJson[i] = Validate(figures[i], i);
        if (figures.Count == 0) return [];

        string folder = Path.Combine(Path.GetTempPath(), "fromscratch-export-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            File.WriteAllText(Path.Combine(folder, "plotly.min.js"), plotlyJavaScript, new UTF8Encoding(false));
            string page = Path.Combine(folder, "export.html");
            File.WriteAllText(page, ExportPage, new UTF8Encoding(false));

            await using var browser = await HeadlessBrowser.LaunchAsync(browserExecutable, cancellation).ConfigureAwait(false);
            await using var tab = await browser.OpenPageAsync(cancellation: cancellation).ConfigureAwait(false);
            await tab.NavigateAsync(new Uri(page).AbsoluteUri, cancellation: cancellation).ConfigureAwait(false);
            if (await tab.EvaluateAsync("typeof window.Plotly", cancellation).ConfigureAwait(false) is not JsonValue kind || (string?)kind != "object")
                throw new BrowserException($"plotly.js did not load in the export page; browser console: {string.Join(" | ", tab.ConsoleErrors)}");

            var images = new List<byte[]>(figures.Count);
            for (int i = 0; i < figures.Count; i++)
            {
                var request = figures[i];
                var options = new JsonObject
                {
                    ["format"] = request.Format == ImageFormat.Png ? "png" : "svg",
                    ["width"] = request.Width,
                    ["height"] = request.Height,
                    ["scale"] = request.Scale,
                };
                string expression = $"window.fromScratchToImage({figureJson[i].ToJsonString()}, {options.ToJsonString()})";
                JsonNode? value;
                try
                {
                    value = await tab.EvaluateAsync(expression, cancellation).ConfigureAwait(false);
                }
                catch (BrowserException e)
                {
                    throw new BrowserException($"figure {i + 1} of {figures.Count}: {e.Message}");
                }
                if (value is not JsonValue url || (string?)url is not { } dataUrl)
                    throw new BrowserException($"figure {i + 1} of {figures.Count}: Plotly.toImage returned {value?.ToJsonString() ?? "nothing"}");
                images.Add(DecodeDataUrl(dataUrl));
            }
            return images;
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { /* a temp folder left behind is harmless */ }
        }
    }

    /// <summary>Renders the figures and writes each image to its path, atomically (temp file, then rename).</summary>
    public static async Task SaveAsync(
        IReadOnlyList<(FigureImageRequest Figure, string Path)> files, string plotlyJavaScript, string? browserExecutable = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        var images = await RenderAsync(files.Select(f => f.Figure).ToList(), plotlyJavaScript, browserExecutable, cancellation).ConfigureAwait(false);
        for (int i = 0; i < files.Count; i++) WriteAtomically(files[i].Path, images[i]);
    }

    /// <summary>The bytes of a data: URL (base64 or percent-encoded), as Plotly.toImage returns them.</summary>
    public static byte[] DecodeDataUrl(string dataUrl)
    {
        ArgumentNullException.ThrowIfNull(dataUrl);
        int comma = dataUrl.IndexOf(',');
        if (!dataUrl.StartsWith("data:", StringComparison.Ordinal) || comma < 0)
            throw new FormatException($"not a data: URL: {(dataUrl.Length > 60 ? dataUrl[..60] + "…" : dataUrl)}");
        string header = dataUrl[..comma], payload = dataUrl[(comma + 1)..];
        return header.EndsWith(";base64", StringComparison.Ordinal)
            ? Convert.FromBase64String(payload)
            : Encoding.UTF8.GetBytes(Uri.UnescapeDataString(payload));
    }

    /// <summary>Writes <paramref name="bytes"/> to a temporary file beside <paramref name="path"/>, then renames it over <paramref name="path"/>.</summary>
    public static void WriteAtomically(string path, byte[] bytes)
    {
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Cannot write {full}: the folder {folder} does not exist.");
        string temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    private static JsonObject Validate(FigureImageRequest request, int index)
    {
        ArgumentNullException.ThrowIfNull(request);
        string which = $"figures[{index}]";
        if (request.Width < 10 || request.Width > MaxSize)
            throw new ArgumentOutOfRangeException(nameof(request), request.Width, $"{which}: width must be 10…{MaxSize} pixels, but was {request.Width}.");
        if (request.Height < 10 || request.Height > MaxSize)
            throw new ArgumentOutOfRangeException(nameof(request), request.Height, $"{which}: height must be 10…{MaxSize} pixels, but was {request.Height}.");
        if (!double.IsFinite(request.Scale) || request.Scale <= 0 || request.Scale > 10)
            throw new ArgumentOutOfRangeException(nameof(request), request.Scale, $"{which}: scale must be in (0, 10], but was {request.Scale.ToString(CultureInfo.InvariantCulture)}.");
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(request.PlotlyJson);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new ArgumentException($"{which}: the plotly JSON is malformed: {e.Message}", nameof(request));
        }
        if (parsed is not JsonObject figure || figure["data"] is not JsonArray)
            throw new ArgumentException($"{which}: the plotly JSON must be an object with a \"data\" array.", nameof(request));
        return figure;
    }

    // One offline page for all figures: plotly.js from the file beside it, and a function that draws a
    // figure off-screen and returns Plotly.toImage's data: URL. No network, nothing else loaded.
    private const string ExportPage = """
        <!DOCTYPE html>
        <html>
        <head>
        <meta charset="utf-8">
        <title>figure export</title>
        <script src="plotly.min.js"></script>
        <script>
        window.fromScratchToImage = function (figure, options) {
          var layout = Object.assign({}, figure.layout || {}, { width: options.width, height: options.height });
          var config = Object.assign({}, figure.config || {}, { staticPlot: true });
          return Plotly.toImage({ data: figure.data, layout: layout, config: config }, options);
        };
        </script>
        </head>
        <body style="margin:0;background:#fff"></body>
        </html>
        """;
}
