using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

// This file only uses the base class library: the notebook tool compiles the same file into itself
// (it deliberately does not reference the library assembly), so figure export and the site's browser
// tests drive the browser with exactly the code that Figure.SavePng uses.
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
/// A headless Chromium-family browser driven over the Chrome DevTools protocol (a WebSocket on the
/// loopback interface). It is started with flags that keep it off the network (no DNS, no background
/// services, no updates, no sync) and a fresh profile folder that is deleted on <see cref="DisposeAsync"/>.
/// Open pages with <see cref="OpenPageAsync"/>.
/// </summary>
internal sealed class HeadlessBrowser : IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly ClientWebSocket _socket;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly ConcurrentDictionary<string, BrowserPage> _pages = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiveLoop;
    private readonly StringBuilder _stderr;
    private int _nextId;
    private bool _disposed;

    private HeadlessBrowser(string executable, string profileFolder, Process process, ClientWebSocket socket, StringBuilder stderr)
    {
        Executable = executable;
        ProfileFolder = profileFolder;
        _process = process;
        _socket = socket;
        _stderr = stderr;
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>The browser executable that was started.</summary>
    public string Executable { get; }

    /// <summary>The temporary profile folder (removed on dispose).</summary>
    public string ProfileFolder { get; }

    /// <summary>
    /// Starts the browser found by <see cref="BrowserLocator"/> (or <paramref name="executable"/>).
    /// Throws <see cref="BrowserNotFoundException"/> when there is none, <see cref="BrowserException"/> when it does not start.
    /// </summary>
    public static async Task<HeadlessBrowser> LaunchAsync(string? executable = null, CancellationToken cancellation = default)
    {
        executable ??= BrowserLocator.Find();
        string profile = Path.Combine(Path.GetTempPath(), "fromscratch-browser-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string flag in Flags(profile)) start.ArgumentList.Add(flag);

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new BrowserException($"{executable} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            DeleteFolder(profile);
            throw new BrowserException($"cannot start {executable}: {e.Message}");
        }

        // Chromium prints "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/ID" on stderr.
        var stderr = new StringBuilder();
        var endpoint = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) { endpoint.TrySetException(new BrowserException($"{executable} exited before opening its DevTools endpoint:\n{stderr}")); return; }
            lock (stderr) { if (stderr.Length < 20_000) stderr.AppendLine(e.Data); }
            var match = Regex.Match(e.Data, @"DevTools listening on (ws://\S+)");
            if (match.Success) endpoint.TrySetResult(match.Groups[1].Value);
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        var socket = new ClientWebSocket();
        try
        {
            string url = await endpoint.Task.WaitAsync(StartTimeout, cancellation).ConfigureAwait(false);
            socket.Options.KeepAliveInterval = TimeSpan.Zero;
            await socket.ConnectAsync(new Uri(url), cancellation).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            socket.Dispose();
            Kill(process);
            DeleteFolder(profile);
            if (e is BrowserException) throw;
            throw new BrowserException($"{executable} did not open its DevTools endpoint within {StartTimeout.TotalSeconds:0} s ({e.GetType().Name}: {e.Message}). Its output:\n{stderr}");
        }
        return new HeadlessBrowser(executable, profile, process, socket, stderr);
    }

    /// <summary>The command-line flags: headless, offline, no first-run or background work, a throw-away profile.</summary>
    internal static IReadOnlyList<string> Flags(string profileFolder) =>
    [
        "--headless",
        // The sandbox protects the machine from hostile web pages. This browser only ever opens our own
        // offline pages, and the sandbox cannot start as root or in many containers (CI runs as root).
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
        // No host name resolves, so a page that tried to load anything from the internet fails at once
        // (and a test sees the error) instead of reaching the network.
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--remote-debugging-address=127.0.0.1",
        "--remote-debugging-port=0",
        "--user-data-dir=" + profileFolder,
        "about:blank",
    ];

    /// <summary>Opens a new blank page (tab). Console errors and uncaught exceptions on it are collected.</summary>
    public async Task<BrowserPage> OpenPageAsync(int width = 1200, int height = 900, CancellationToken cancellation = default)
    {
        var created = await SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" }, null, cancellation).ConfigureAwait(false);
        string targetId = (string)created["targetId"]!;
        var attached = await SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = targetId, ["flatten"] = true }, null, cancellation).ConfigureAwait(false);
        string sessionId = (string)attached["sessionId"]!;
        var page = new BrowserPage(this, targetId, sessionId);
        _pages[sessionId] = page;
        await SendAsync("Page.enable", [], sessionId, cancellation).ConfigureAwait(false);
        await SendAsync("Runtime.enable", [], sessionId, cancellation).ConfigureAwait(false);
        await SendAsync("Log.enable", [], sessionId, cancellation).ConfigureAwait(false);
        await SendAsync("Emulation.setDeviceMetricsOverride",
            new JsonObject { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false }, sessionId, cancellation).ConfigureAwait(false);
        return page;
    }

    /// <summary>Sends one DevTools command and returns its result; a protocol error becomes a <see cref="BrowserException"/>.</summary>
    internal async Task<JsonObject> SendAsync(string method, JsonObject parameters, string? sessionId, CancellationToken cancellation)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        if (sessionId is not null) message["sessionId"] = sessionId;
        byte[] bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
        await _sendLock.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellation).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
        JsonObject response;
        try
        {
            response = await reply.Task.WaitAsync(cancellation).ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
        if (response["error"] is JsonObject error)
            throw new BrowserException($"browser command {method} failed: {error["message"]} {error["data"]}".TrimEnd());
        return response["result"] as JsonObject ?? [];
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open && !_stop.IsCancellationRequested)
            {
                var result = await _socket.ReceiveAsync(buffer, _stop.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage) continue;
                var json = JsonNode.Parse(message.GetBuffer().AsSpan(0, (int)message.Length)) as JsonObject;
                message.SetLength(0);
                if (json is null) continue;
                if (json["id"] is JsonValue idValue && idValue.TryGetValue(out int id))
                {
                    if (_pending.TryGetValue(id, out var waiter)) waiter.TrySetResult(json);
                }
                else if (json["sessionId"] is JsonValue s && s.TryGetValue(out string? sessionId) && _pages.TryGetValue(sessionId, out var page))
                {
                    page.OnEvent((string?)json["method"] ?? "", json["params"] as JsonObject ?? []);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or JsonException or ObjectDisposedException)
        {
            // The browser went away or we are shutting down; pending commands fail below.
        }
        string why;
        lock (_stderr) why = $"the browser connection closed (browser output: {_stderr.ToString().Trim()})";
        foreach (var waiter in _pending.Values) waiter.TrySetException(new BrowserException(why));
    }

    internal void ForgetPage(string sessionId) => _pages.TryRemove(sessionId, out _);

    /// <summary>Closes the browser (asks politely, then kills it) and deletes its profile folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await SendAsync("Browser.close", [], null, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is BrowserException or OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // Killed below.
        }
        _disposed = true;
        try
        {
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(_process);
        }
        _stop.Cancel();
        _socket.Dispose();
        try { await _receiveLoop.ConfigureAwait(false); } catch (Exception) { /* already reported to waiters */ }
        _process.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
        DeleteFolder(ProfileFolder);
    }

    /// <summary>Synchronous <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    // The browser's helper processes may still hold files for a moment after it exits.
    private static void DeleteFolder(string folder)
    {
        for (int attempt = 0; attempt < 10; attempt++)
        {
            try
            {
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Thread.Sleep(100);
            }
        }
    }
}

/// <summary>One tab of a <see cref="HeadlessBrowser"/>: navigate, evaluate scripts, read collected console errors.</summary>
internal sealed class BrowserPage : IAsyncDisposable
{
    private readonly HeadlessBrowser _browser;
    private readonly string _targetId;
    private readonly string _sessionId;
    private readonly List<string> _errors = [];
    private TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal BrowserPage(HeadlessBrowser browser, string targetId, string sessionId)
    {
        _browser = browser;
        _targetId = targetId;
        _sessionId = sessionId;
    }

    /// <summary>
    /// Console errors (console.error, uncaught exceptions, failed resource loads, network errors) seen
    /// since the page was opened, each as "source: text (url:line)".
    /// </summary>
    public IReadOnlyList<string> ConsoleErrors
    {
        get { lock (_errors) return _errors.ToList(); }
    }

    /// <summary>Loads <paramref name="url"/> (e.g. a file:// URL) and waits for its load event.</summary>
    public async Task NavigateAsync(string url, TimeSpan? timeout = null, CancellationToken cancellation = default)
    {
        _loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var result = await _browser.SendAsync("Page.navigate", new JsonObject { ["url"] = url }, _sessionId, cancellation).ConfigureAwait(false);
        if (result["errorText"] is JsonValue error)
            throw new BrowserException($"cannot load {url}: {error}");
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        try
        {
            await _loaded.Task.WaitAsync(limit, cancellation).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new BrowserException($"{url} did not finish loading within {limit.TotalSeconds:0} s");
        }
    }

    /// <summary>
    /// Evaluates a JavaScript expression in the page and returns its value as JSON (a promise is awaited).
    /// An exception in the script becomes a <see cref="BrowserException"/> with the script's message.
    /// </summary>
    public async Task<JsonNode?> EvaluateAsync(string expression, CancellationToken cancellation = default)
    {
        var result = await _browser.SendAsync("Runtime.evaluate", new JsonObject
        {
            ["expression"] = expression,
            ["awaitPromise"] = true,
            ["returnByValue"] = true,
        }, _sessionId, cancellation).ConfigureAwait(false);
        if (result["exceptionDetails"] is JsonObject details)
        {
            string text = (string?)details["exception"]?["description"] ?? (string?)details["text"] ?? details.ToJsonString();
            throw new BrowserException($"script failed in the browser: {text}");
        }
        return result["result"]?["value"]?.DeepClone();
    }

    internal void OnEvent(string method, JsonObject parameters)
    {
        if (method == "Page.loadEventFired")
        {
            _loaded.TrySetResult();
        }
        else if (method == "Runtime.consoleAPICalled" && Text(parameters["type"]) is "error" or "assert")
        {
            var args = parameters["args"] as JsonArray ?? [];
            AddError("console.error: " + string.Join(" ", args.Select(a => Text(a?["value"]) ?? Text(a?["description"]) ?? a?["value"]?.ToJsonString() ?? "")));
        }
        else if (method == "Runtime.exceptionThrown")
        {
            var details = parameters["exceptionDetails"];
            string what = Text(details?["exception"]?["description"]) ?? Text(details?["text"]) ?? "";
            AddError($"uncaught exception: {what} ({Text(details?["url"])}:{details?["lineNumber"]})");
        }
        else if (method == "Log.entryAdded" && Text(parameters["entry"]?["level"]) == "error")
        {
            var entry = parameters["entry"]!;
            AddError($"{Text(entry["source"])}: {Text(entry["text"])} ({Text(entry["url"])})");
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    private void AddError(string error)
    {
        lock (_errors) _errors.Add(error);
    }

    /// <summary>Closes the tab.</summary>
    public async ValueTask DisposeAsync()
    {
        _browser.ForgetPage(_sessionId);
        try
        {
            await _browser.SendAsync("Target.closeTarget", new JsonObject { ["targetId"] = _targetId }, null, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is BrowserException or ObjectDisposedException)
        {
            // The browser is already closing.
        }
    }
}
