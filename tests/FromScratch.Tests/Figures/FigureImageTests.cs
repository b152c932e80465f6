using System.Xml.Linq;

namespace FromScratch.Tests.Figures;

/// <summary>Figure.SavePng / SaveSvg through a real headless Chromium, and the export helpers.</summary>
public class FigureImageTests
{
    /// <summary>Skips locally without a browser; under CI=true a missing browser fails (CI installs chromium).</summary>
    internal static void RequireBrowser()
    {
        if (BrowserLocator.TryFind(out var tried) is not null) return;
        string message = $"no Chromium-family browser (apt-get install chromium); tried {string.Join(", ", tried)}";
        if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail(message + "; CI must install it in .ci/run");
        Skip.If(true, message);
    }

    private static Figure TwoRuns() =>
        Plot.LossCurves([("SGD", [1.0, 0.6, 0.4, 0.3, 0.25]), ("Adam", [0.9, 0.4, 0.2, 0.1, 0.05])], "Two runs");

    private static string TempFile(string extension) =>
        Path.Combine(Path.GetTempPath(), $"figure-test-{Guid.NewGuid():N}.{extension}");

    [SkippableFact]
    public void SavePng_has_width_times_scale_by_height_times_scale_pixels_and_draws_both_runs()
    {
        RequireBrowser();
        string path = TempFile("png");
        try
        {
            TwoRuns().SavePng(path, width: 640, height: 400, scale: 1.5);
            byte[] bytes = File.ReadAllBytes(path);
            Assert.Equal((960, 600), PngImage.ReadSize(bytes));
            var image = PngImage.Decode(bytes);
            Assert.True(image.GreyVariance() > 100, $"grey variance {image.GreyVariance()}: the image is (nearly) blank");
            // Both runs' line colours are drawn (Plot.Palette[0] and [1]); a blank or failed plot has neither.
            Assert.True(image.CountColor(Plot.Palette[0]) > 200, $"{image.CountColor(Plot.Palette[0])} pixels of SGD's colour");
            Assert.True(image.CountColor(Plot.Palette[1]) > 200, $"{image.CountColor(Plot.Palette[1])} pixels of Adam's colour");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [SkippableFact]
    public void SaveSvg_is_xml_with_one_trace_group_per_trace()
    {
        RequireBrowser();
        string path = TempFile("svg");
        try
        {
            var figure = TwoRuns();
            figure.SaveSvg(path, width: 700, height: 450);
            var svg = XDocument.Load(path);
            Assert.Equal("svg", svg.Root!.Name.LocalName);
            Assert.Equal("700", (string?)svg.Root.Attribute("width"));
            var traces = svg.Descendants().Where(e => ((string?)e.Attribute("class"))?.Split(' ').Contains("scatter") == true && e.Name.LocalName == "g").ToList();
            Assert.Equal(figure.TraceCount, traces.Count);
            Assert.Contains(svg.Descendants(), e => e.Name.LocalName == "text" && e.Value == "Two runs");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [SkippableFact]
    public async Task RenderAsync_renders_many_figures_in_one_browser_in_order()
    {
        RequireBrowser();
        var small = Plot.LossCurves([("a", [3.0, 2.0, 1.0])], "small");
        var requests = new[]
        {
            new FigureImageRequest(small.ToPlotlyJson(), ImageFormat.Png, 300, 200, 1),
            new FigureImageRequest(small.ToPlotlyJson(), ImageFormat.Png, 320, 240, 2),
            new FigureImageRequest(small.ToPlotlyJson(), ImageFormat.Svg, 310, 210, 1),
        };
        var images = await FigureExport.RenderAsync(requests, Figure.PlotlyJavaScript);
        Assert.Equal((300, 200), PngImage.ReadSize(images[0]));
        Assert.Equal((640, 480), PngImage.ReadSize(images[1]));
        Assert.Equal("310", (string?)XDocument.Parse(System.Text.Encoding.UTF8.GetString(images[2])).Root!.Attribute("width"));
    }

    [Fact]
    public void Bad_sizes_are_refused_naming_the_figure_and_value()
    {
        var request = new FigureImageRequest(TwoRuns().ToPlotlyJson(), ImageFormat.Png, 5, 400, 1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => FigureExport.RenderAsync([request], "js").GetAwaiter().GetResult());
        Assert.Contains("figures[0]", e.Message);
        Assert.Contains("5", e.Message);
        var scale = new FigureImageRequest(TwoRuns().ToPlotlyJson(), ImageFormat.Png, 500, 400, double.NaN);
        Assert.Contains("scale", Assert.Throws<ArgumentOutOfRangeException>(() => FigureExport.RenderAsync([scale], "js").GetAwaiter().GetResult()).Message);
        var json = new FigureImageRequest("{\"layout\":{}}", ImageFormat.Png, 500, 400, 1);
        Assert.Contains("\"data\" array", Assert.Throws<ArgumentException>(() => FigureExport.RenderAsync([json], "js").GetAwaiter().GetResult()).Message);
    }

    [Fact]
    public void Data_urls_decode_from_base64_and_percent_encoding()
    {
        Assert.Equal([1, 2, 3], FigureExport.DecodeDataUrl("data:image/png;base64," + Convert.ToBase64String([1, 2, 3])));
        Assert.Equal("<svg a=\"b\"/>", System.Text.Encoding.UTF8.GetString(FigureExport.DecodeDataUrl("data:image/svg+xml,%3Csvg%20a%3D%22b%22%2F%3E")));
        Assert.Throws<FormatException>(() => FigureExport.DecodeDataUrl("image/png;base64,AAAA"));
    }

    [Fact]
    public void Missing_browser_message_lists_the_tried_paths_and_how_to_install_one()
    {
        var e = new BrowserNotFoundException(["CHROME_PATH (not set)", "chromium on PATH", "/usr/bin/chromium"]);
        Assert.Contains("/usr/bin/chromium", e.Message);
        Assert.Contains("chromium on PATH", e.Message);
        Assert.Contains("apt-get install chromium", e.Message);
        Assert.Contains("CHROME_PATH", e.Message);
        Assert.Contains("HTML export works", e.Message);
    }

    [Fact]
    public void Locator_tries_chrome_path_first_and_reports_it()
    {
        string? saved = Environment.GetEnvironmentVariable("CHROME_PATH");
        string fake = TempFile("exe");
        try
        {
            File.WriteAllText(fake, "");
            Environment.SetEnvironmentVariable("CHROME_PATH", fake);
            Assert.Equal(fake, BrowserLocator.TryFind(out var tried));
            Assert.Equal($"CHROME_PATH={fake}", tried[0]);
            Environment.SetEnvironmentVariable("CHROME_PATH", fake + ".missing");
            BrowserLocator.TryFind(out tried);
            Assert.Equal($"CHROME_PATH={fake}.missing", tried[0]);
            Assert.Contains("chromium on PATH", tried);
        }
        finally
        {
            Environment.SetEnvironmentVariable("CHROME_PATH", saved);
            File.Delete(fake);
        }
    }

    [Fact]
    public void Browser_starts_headless_on_the_installed_executable_off_the_network_with_a_private_profile()
    {
        var options = HeadlessBrowser.Options("/usr/bin/some-chromium", "/tmp/profile-x");
        Assert.True(options.Headless);
        Assert.Equal("/usr/bin/some-chromium", options.ExecutablePath); // set: PuppeteerSharp never downloads a browser
        Assert.Equal("/tmp/profile-x", options.UserDataDir);
        foreach (string flag in new[] { "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--disable-extensions" })
            Assert.Contains(flag, options.Args);
        Assert.Contains("--host-resolver-rules=\"MAP * ~NOTFOUND\"", options.Args);
    }
}
