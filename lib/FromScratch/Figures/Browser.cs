using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using PuppeteerSharp;

// Headless Chromium through PuppeteerSharp, on a browser already installed (never a download). Internal: the
// notebook tool compiles this file into itself too, so figure export, the site's browser tests and Figure.SavePng
// drive the browser with the same code.
namespace FromScratch;

/// <summary>
/// No Chromium-family browser was found: the message lists every place that was tried and how to install one.
/// A learner catches it as a <see cref="FileNotFoundException"/>.
/// </summary>
internal sealed class BrowserNotFoundException : FileNotFoundException
{
    /// <summary>Creates the exception from the list of paths that were tried.</summary>
    public BrowserNotFoundException(IReadOnlyList<string> tried)
        : base("No Chromium-family browser found for PNG/SVG export (HTML export works without one). Tried: "
               + string.Join(", ", tried) + ". Install one (Debian/Ubuntu: apt-get install chromium; macOS: brew install --cask chromium "
               + "or Google Chrome; Windows: Microsoft Edge or Google Chrome) or set CHROME_PATH to the browser's executable.")
    {
        Tried = tried;
    }

    /// <summary>Every environment variable, command name and path that was looked at, in order.</summary>
    public IReadOnlyList<string> Tried { get; }
}

/// <summary>The browser did something unexpected: it would not start, a page failed, or a script threw.</summary>
internal sealed class BrowserException(string message) : Exception(message);

/// <summary>
/// Finds a Chromium-family browser (Chromium, Google Chrome, Microsoft Edge) already on the machine.
/// Order: the CHROME_PATH environment variable, then chromium, chromium-browser, google-chrome,
/// google-chrome-stable, msedge on PATH, then the usual install folders of Linux, macOS and Windows.
/// </summary>
internal static class BrowserLocator
{
    private static readonly string[] CommandNames = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "msedge", "microsoft-edge"];

    /// <summary>The browser's executable; throws <see cref="BrowserNotFoundException"/> naming every path tried.</summary>
    public static string Find() => TryFind(out var tried) ?? throw new BrowserNotFoundException(tried);

    /// <summary>The browser's executable, or null; <paramref name="tried"/> lists what was looked at.</summary>
    public static string? TryFind(out IReadOnlyList<string> tried)
    {
        var looked = new List<string>();
        tried = looked;
        string? fromEnvironment = Environment.GetEnvironmentVariable("CHROME_PATH");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            looked.Add($"CHROME_PATH={fromEnvironment}");
            if (File.Exists(fromEnvironment)) return fromEnvironment;
        }
        else
        {
            looked.Add("CHROME_PATH (not set)");
        }

        bool windows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
        string[] folders = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (string name in CommandNames)
        {
            looked.Add($"{name} on PATH");
            foreach (string folder in folders)
            {
                string candidate = Path.Combine(folder, windows ? name + ".exe" : name);
                if (File.Exists(candidate)) return candidate;
            }
        }

        foreach (string candidate in InstallLocations())
        {
            looked.Add(candidate);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static IEnumerable<string> InstallLocations()
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
        {
            yield return "/Applications/Chromium.app/Contents/MacOS/Chromium";
            yield return "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome";
            yield return "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge";
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            yield return Path.Combine(home, "Applications/Google Chrome.app/Contents/MacOS/Google Chrome");
        }
        else if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            foreach (var special in new[] { Environment.SpecialFolder.ProgramFiles, Environment.SpecialFolder.ProgramFilesX86, Environment.SpecialFolder.LocalApplicationData })
            {
                string root = Environment.GetFolderPath(special);
                if (root.Length == 0) continue;
                yield return Path.Combine(root, @"Google\Chrome\Application\chrome.exe");
                yield return Path.Combine(root, @"Microsoft\Edge\Application\msedge.exe");
                yield return Path.Combine(root, @"Chromium\Application\chrome.exe");
            }
        }
        else
        {
            yield return "/usr/bin/chromium";
            yield return "/usr/bin/chromium-browser";
            yield return "/usr/bin/google-chrome";
            yield return "/usr/bin/google-chrome-stable";
            yield return "/usr/bin/microsoft-edge";
            yield return "/snap/bin/chromium";
            yield return "/opt/google/chrome/chrome";
            yield return "/opt/microsoft/msedge/msedge";
        }
    }
}

/// <summary>
/// A Chromium-family browser started headless through PuppeteerSharp: the executable <see cref="BrowserLocator"/>
/// finds (or the one given), a throw-away profile folder deleted on dispose, and no network — every host name
/// resolves to nothing, so a page can only load local files.
/// </summary>
internal sealed class HeadlessBrowser : IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly IBrowser browser;
    private bool disposed;

    private HeadlessBrowser(string executable, string profileFolder, IBrowser browser)
    {
        Executable = executable;
        ProfileFolder = profileFolder;
        this.browser = browser;
    }

    /// <summary>The browser executable that runs.</summary>
    public string Executable { get; }

    /// <summary>The temporary profile folder (deleted on dispose).</summary>
    public string ProfileFolder { get; }

    /// <summary>
    /// Starts the browser. Throws <see cref="BrowserNotFoundException"/> when none is installed and
    /// <see cref="BrowserException"/> when it does not start.
    /// </summary>
    public static async Task<HeadlessBrowser> LaunchAsync(string? executable = null, CancellationToken cancellation = default)
    {
        executable ??= BrowserLocator.Find();
        string profile = Path.Combine(Path.GetTempPath(), "fromscratch-browser-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        try
        {
            var browser = await Puppeteer.LaunchAsync(Options(executable, profile)).WaitAsync(cancellation).ConfigureAwait(false);
            return new HeadlessBrowser(executable, profile, browser);
        }
        catch (Exception e) when (e is PuppeteerException or IOException or System.ComponentModel.Win32Exception or TimeoutException)
        {
            DeleteFolder(profile);
            throw new BrowserException($"cannot start {executable}: {e.Message}");
        }
    }

    /// <summary>
    /// How the browser is started: headless, on <paramref name="executable"/> (PuppeteerSharp never downloads one),
    /// with a private profile and the network off.
    /// </summary>
    internal static LaunchOptions Options(string executable, string profileFolder) => new()
    {
        ExecutablePath = executable,
        Headless = true,
        UserDataDir = profileFolder,
        Timeout = (int)StartTimeout.TotalMilliseconds,
        Args =
        [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-default-apps",
            "--disable-dev-shm-usage",
            "--mute-audio",
            "--hide-scrollbars",
            // PuppeteerSharp joins the arguments into one command line: the quotes keep this rule one argument.
            "--host-resolver-rules=\"MAP * ~NOTFOUND\"",
        ],
    };

    /// <summary>Opens a new tab with a viewport of <paramref name="width"/> × <paramref name="height"/> CSS pixels.</summary>
    public async Task<BrowserPage> OpenPageAsync(int width = 1200, int height = 900, CancellationToken cancellation = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var page = await browser.NewPageAsync().WaitAsync(cancellation).ConfigureAwait(false);
        var tab = new BrowserPage(page);
        await page.SetViewportAsync(new ViewPortOptions { Width = width, Height = height, DeviceScaleFactor = 1 }).WaitAsync(cancellation).ConfigureAwait(false);
        return tab;
    }

    /// <summary>Closes the browser and deletes its profile folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (disposed) return;
        disposed = true;
        try
        {
            await browser.CloseAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is PuppeteerException or TimeoutException or IOException)
        {
            // Closing failed: make sure the process is gone.
        }
        finally
        {
            if (browser.Process is { HasExited: false } process)
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { /* it just exited */ }
            }
            await browser.DisposeAsync().ConfigureAwait(false);
            DeleteFolder(ProfileFolder);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static void DeleteFolder(string folder)
    {
        for (int attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
                return;
            }
            catch (IOException) { Thread.Sleep(100); } // the browser may still hold a file for a moment
            catch (UnauthorizedAccessException) { Thread.Sleep(100); }
        }
    }
}

/// <summary>One tab of a <see cref="HeadlessBrowser"/>: navigate, evaluate scripts, read collected console errors.</summary>
internal sealed class BrowserPage : IAsyncDisposable
{
    private readonly IPage page;
    private readonly List<string> errors = [];

    internal BrowserPage(IPage page)
    {
        this.page = page;
        page.Console += (_, e) =>
        {
            if (e.Message.Type is ConsoleType.Error or ConsoleType.Assert)
                AddError($"console.error: {e.Message.Text} ({e.Message.Location?.URL})");
        };
        page.PageError += (_, e) => AddError($"uncaught exception: {e.Message}");
        page.RequestFailed += (_, e) => AddError($"network: {e.Request.FailureText} ({e.Request.Url})");
    }

    /// <summary>
    /// Console errors (console.error, uncaught exceptions, failed resource loads, network errors) seen
    /// since the page was opened.
    /// </summary>
    public IReadOnlyList<string> ConsoleErrors
    {
        get { lock (errors) return errors.ToList(); }
    }

    /// <summary>Loads <paramref name="url"/> (e.g. a file:// URL) and waits for its load event.</summary>
    public async Task NavigateAsync(string url, TimeSpan? timeout = null, CancellationToken cancellation = default)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        try
        {
            await page.GoToAsync(url, new NavigationOptions { Timeout = (int)limit.TotalMilliseconds, WaitUntil = [WaitUntilNavigation.Load] })
                .WaitAsync(cancellation).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new BrowserException($"{url} did not finish loading within {limit.TotalSeconds:0} s");
        }
        catch (NavigationException e)
        {
            throw new BrowserException($"cannot load {url}: {e.Message}");
        }
    }

    /// <summary>
    /// Evaluates a JavaScript expression in the page and returns its value as JSON (a promise is awaited).
    /// An exception in the script becomes a <see cref="BrowserException"/> with the script's message.
    /// </summary>
    public async Task<JsonNode?> EvaluateAsync(string expression, CancellationToken cancellation = default)
    {
        try
        {
            // JSON.stringify in the page: the value comes back as text whatever its type (undefined becomes null).
            string wrapped = $"(async () => {{ const v = await ({expression}\n); return v === undefined ? 'null' : JSON.stringify(v); }})()";
            string? json = await page.EvaluateExpressionAsync<string?>(wrapped).WaitAsync(cancellation).ConfigureAwait(false);
            return json is null ? null : JsonNode.Parse(json); // null: a value JSON cannot hold (a function)
        }
        catch (EvaluationFailedException e)
        {
            throw new BrowserException($"script failed in the browser: {e.Message}");
        }
        catch (JsonException e)
        {
            throw new BrowserException($"the script's value is not JSON: {e.Message}");
        }
    }

    /// <summary>Clicks the mouse at (<paramref name="x"/>, <paramref name="y"/>) CSS pixels of the viewport, as a person would.</summary>
    public Task ClickAsync(double x, double y, CancellationToken cancellation = default) =>
        page.Mouse.ClickAsync((decimal)x, (decimal)y).WaitAsync(cancellation);

    /// <summary>Saves what the tab shows (its viewport) as a PNG file, for a test to keep and a person to look at.</summary>
    public Task ScreenshotAsync(string path, CancellationToken cancellation = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return page.ScreenshotAsync(path, new ScreenshotOptions { Type = ScreenshotType.Png }).WaitAsync(cancellation);
    }

    private void AddError(string error)
    {
        lock (errors) errors.Add(error);
    }

    /// <summary>Closes the tab.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await page.CloseAsync().ConfigureAwait(false);
        }
        catch (PuppeteerException)
        {
            // The browser is already closing.
        }
    }
}
