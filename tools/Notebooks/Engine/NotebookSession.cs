using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace FromScratch.Notebooks.Engine;

/// <summary>Where a cell sits in its notebook, for messages. Both numbers count from 1.</summary>
/// <param name="CellNumber">Position among all cells (markdown included): what you count in the editor.</param>
/// <param name="CodeCellNumber">Position among code cells only.</param>
public readonly record struct CellLocation(int CellNumber, int CodeCellNumber)
{
    /// <summary>"cell 4 (code cell 3)".</summary>
    public override string ToString() => $"cell {CellNumber} (code cell {CodeCellNumber})";
}

/// <summary>How a cell ended.</summary>
public enum CellStatus
{
    /// <summary>Ran to the end.</summary>
    Ok,
    /// <summary>A compile error, an exception, or a refused directive.</summary>
    Error,
    /// <summary>Cancelled by the host (e.g. a Jupyter interrupt).</summary>
    Cancelled,
    /// <summary>Ran longer than its time limit.</summary>
    TimedOut,
}

/// <summary>The end of one cell's execution.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="ExecutionCount">The session's execution counter for this cell (Jupyter's In [n]).</param>
/// <param name="Elapsed">Wall time of the cell.</param>
public sealed record CellResult(CellStatus Status, int ExecutionCount, TimeSpan Elapsed);

/// <summary>Settings of a <see cref="NotebookSession"/>.</summary>
public sealed class NotebookSessionOptions
{
    /// <summary>The notebook file (need not exist): names it in tracebacks; its folder is the base of #r and #load.</summary>
    public required string NotebookPath { get; init; }

    /// <summary>Packages the engine carries: <c>#r "nuget:"</c> lines naming them load this copy; see <see cref="PackageCatalog.FromDepsJson"/>.</summary>
    public PackageCatalog Packages { get; init; } = PackageCatalog.Empty;

    /// <summary>How often figure HTML carries plotly.js.</summary>
    public PlotlyJsEmbedding PlotlyJs { get; init; } = PlotlyJsEmbedding.OncePerSession;

    /// <summary>
    /// Make the notebook's folder the process's current directory while a cell runs, so relative
    /// paths like "../data/x.csv" work as in Jupyter. Process-global: one running notebook at a time.
    /// </summary>
    public bool SetCurrentDirectory { get; init; } = true;

    /// <summary>How long a cancelled cell gets to stop by itself before the session gives up on it.</summary>
    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(3);
}

/// <summary>
/// One C# scripting session for one notebook: the first cell runs with Roslyn's
/// <c>CSharpScript</c>, each later cell continues from the previous state, so variables, types
/// and loaded assemblies carry over. Host-independent: the <c>run</c> command and the Jupyter
/// kernel both drive it with <see cref="ExecuteAsync"/> and receive outputs through a callback.
/// Cells run one at a time.
/// </summary>
public sealed class NotebookSession
{
    private static readonly string[] DefaultImports =
        ["System", "System.Collections", "System.Collections.Generic", "System.Linq", "System.Text", "System.Threading.Tasks"];

    /// <summary>FROMSCRATCH_ENGINE_DEBUG=1: an engine failure's error output also carries the full .NET exception.</summary>
    private static readonly bool EngineDebug = Environment.GetEnvironmentVariable("FROMSCRATCH_ENGINE_DEBUG") == "1";

    private static readonly Lazy<ScriptOptions> BaseOptions = new(CreateBaseOptions, isThreadSafe: true);

    private readonly NotebookSessionOptions _options;
    private readonly NotebookGlobals _globals;
    private readonly ValueFormatter _formatter;
    private readonly string _notebookPath;
    private readonly string _folder;
    private readonly Dictionary<string, CellLocation> _cellFiles = [];
    private readonly Dictionary<string, MetadataReference> _extraReferences = new(StringComparer.Ordinal);
    private readonly NuGetPackages _nuget;
    private readonly AsyncLocal<CellCapture?> _currentCell = new();
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private ScriptState<object?>? _state;

    /// <summary>Creates a session; no code is compiled until the first <see cref="ExecuteAsync"/>.</summary>
    public NotebookSession(NotebookSessionOptions options)
    {
        _options = options;
        _notebookPath = Path.GetFullPath(options.NotebookPath);
        _folder = Path.GetDirectoryName(_notebookPath)!;
        _globals = new NotebookGlobals(this);
        _nuget = new NuGetPackages(options.Packages, _folder);
        string prefix = new string(Path.GetFileNameWithoutExtension(_notebookPath).Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
        _formatter = new ValueFormatter(prefix, options.PlotlyJs);
        ConsoleCapture.Install();
    }

    /// <summary>The number of cells executed so far (Jupyter's execution counter).</summary>
    public int ExecutionCount { get; private set; }

    /// <summary>
    /// False after a cell that was cancelled did not stop (code that never reaches a loop of the
    /// cell, e.g. a long library call): its thread still runs and may change the state, so no
    /// further cell is accepted.
    /// </summary>
    public bool IsUsable { get; private set; } = true;

    /// <summary>The session's formatter (hosts may use it to format values the same way).</summary>
    public ValueFormatter Formatter => _formatter;

    /// <summary>
    /// Compiles and runs a tiny script on a background thread so that Roslyn's first-use cost
    /// (loading the compiler, JIT) overlaps with reading the notebook. Safe to call many times.
    /// </summary>
    public static Task WarmUpAsync() => Task.Run(async () =>
    {
        var options = BaseOptions.Value;
        await CSharpScript.RunAsync("var warm = new List<int> { 1 }.Select(x => x + 1).ToArray(); warm.Length", options).ConfigureAwait(false);
    });

    /// <summary>
    /// Runs one cell. Outputs arrive through <paramref name="onOutput"/> while it runs (console
    /// text line by line, displays, then the result or an error), always in order and never
    /// concurrently. <paramref name="cancellation"/> interrupts it (status Cancelled);
    /// <paramref name="timeout"/> limits it (status TimedOut). Errors never throw: they become an
    /// <see cref="ErrorOutput"/> and status Error.
    /// </summary>
    public async Task<CellResult> ExecuteAsync(string source, CellLocation location, Action<CellOutput> onOutput,
        TimeSpan? timeout = null, CancellationToken cancellation = default)
    {
        await _oneAtATime.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            return await ExecuteOneAsync(source, location, onOutput, timeout, cancellation).ConfigureAwait(false);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private async Task<CellResult> ExecuteOneAsync(string source, CellLocation location, Action<CellOutput> onOutput,
        TimeSpan? timeout, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        int count = ++ExecutionCount;
        var emitLock = new object();
        void Emit(CellOutput output) { lock (emitLock) onOutput(output); }
        var capture = new CellCapture(Emit);
        CellResult Done(CellStatus status) => new(status, count, clock.Elapsed);
        CellResult Fail(string name, string message, IEnumerable<string> details, CellStatus status = CellStatus.Error)
        {
            capture.EmitAfterFlush(new ErrorOutput(name, message, [$"{name}: {message}", .. details]));
            return Done(status);
        }

        if (!IsUsable)
            return Fail("SessionUnusable", "an earlier cell could not be stopped and may still be running; restart the notebook", []);

        var prepared = CellPreprocessor.Prepare(source, _nuget);
        if (prepared.Error is { } refused)
            return Fail(refused.Name, refused.Message, [$"  at {Where(location, refused.Line)}"]);
        if (CellPreprocessor.Notes(prepared) is { Length: > 0 } notes)
            Emit(new StreamOutput("stdout", notes));

        string cellFile = $"{_notebookPath}#cell{location.CellNumber}";
        _cellFiles[cellFile] = location;
        var options = BaseOptions.Value
            .WithFilePath(cellFile)
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(_folder))
            .WithSourceResolver(new SourceFileResolver([], _folder))
            .AddReferences(AccumulateReferences(prepared));

        Script<object?> script = _state is null
            ? CSharpScript.Create<object?>(prepared.Code, options, typeof(NotebookGlobals))
            : _state.Script.ContinueWith<object?>(prepared.Code, options);

        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        string? previousDirectory = null;
        if (_options.SetCurrentDirectory)
        {
            previousDirectory = Environment.CurrentDirectory;
            Environment.CurrentDirectory = _folder;
        }
        try
        {
            using (ConsoleCapture.Begin(capture))
            {
                _currentCell.Value = capture;
                CellInterrupt.Set(interrupt.Token);
                var errors = await Task.Run(() => script.Compile(interrupt.Token), interrupt.Token).ConfigureAwait(false);
                var firstErrors = errors.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
                if (firstErrors.Count > 0)
                {
                    var first = firstErrors[0];
                    return Fail("CompilationError", $"{first.Id}: {first.GetMessage(CultureInfo.InvariantCulture)}",
                        firstErrors.Select(d => $"  at {Where(location, d.Location.GetLineSpan().StartLinePosition.Line + 1, d.Location.GetLineSpan().StartLinePosition.Character + 1)}: error {d.Id}: {d.GetMessage(CultureInfo.InvariantCulture)}"));
                }

                // The time limit covers running, not compiling (the first cell also pays for the compiler's start-up).
                if (timeout is { } limit) interrupt.CancelAfter(limit);

                // The cell runs on a thread of its own, so a cell that never yields cannot block the host.
                var previous = _state;
                var run = Task.Factory.StartNew(
                    () => previous is null
                        ? script.RunAsync(_globals, _ => true, CancellationToken.None)
                        : script.RunFromAsync(previous, _ => true, CancellationToken.None),
                    CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

                var stopped = new TaskCompletionSource();
                using (interrupt.Token.Register(() => stopped.TrySetResult()))
                {
                    if (await Task.WhenAny(run, stopped.Task).ConfigureAwait(false) != run
                        && await Task.WhenAny(run, Task.Delay(_options.StopGracePeriod)).ConfigureAwait(false) != run)
                    {
                        IsUsable = false;
                        return Stopped(location, cancellation.IsCancellationRequested, timeout, Fail, stuck: true);
                    }
                }
                var state = await run.ConfigureAwait(false);
                _state = state;
                if (state.Exception is { } exception)
                {
                    if (exception is OperationCanceledException && interrupt.IsCancellationRequested)
                        return Stopped(location, cancellation.IsCancellationRequested, timeout, Fail, stuck: false);
                    return Fail(exception.GetType().Name, exception.Message, Traceback(exception, location));
                }
                // Roslyn's script semantics: only a trailing expression without ';' gives a value.
                // (A trailing expression whose value is null shows nothing, as in the old kernel.)
                if (state.ReturnValue is { } value)
                    capture.EmitAfterFlush(new ResultOutput(_formatter.Format(value)));
                capture.Flush();
                return Done(CellStatus.Ok);
            }
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            return Stopped(location, cancellation.IsCancellationRequested, timeout, Fail, stuck: false);
        }
        catch (Exception e)
        {
            // A formatter or host failure: still an error output, never a crash of the host. The
            // traceback hides the engine's own frames; FROMSCRATCH_ENGINE_DEBUG=1 adds the full
            // exception for whoever debugs the engine (documented in the README).
            return Fail(e.GetType().Name, e.Message, [.. Traceback(e, location), .. (EngineDebug ? new[] { e.ToString() } : [])]);
        }
        finally
        {
            _currentCell.Value = null;
            capture.Flush();
            if (previousDirectory is not null) Environment.CurrentDirectory = previousDirectory;
        }
    }

    /// <summary>
    /// Compiles, without running, <paramref name="code"/> as if it were the next cell: the
    /// session's variables, usings and references are in scope. For editor features of a host
    /// (completion and inspection in the Jupyter kernel); call it between cells, not during one.
    /// </summary>
    public Compilation CompileAsNextCell(string code)
    {
        var options = BaseOptions.Value
            .WithFilePath($"{_notebookPath}#next")
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(_folder))
            .WithSourceResolver(new SourceFileResolver([], _folder))
            .AddReferences(_extraReferences.Values);
        Script<object?> script = _state is null
            ? CSharpScript.Create<object?>(code, options, typeof(NotebookGlobals))
            : _state.Script.ContinueWith<object?>(code, options);
        return script.GetCompilation();
    }

    private CellResult Stopped(CellLocation location, bool byHost, TimeSpan? timeout,
        Func<string, string, IEnumerable<string>, CellStatus, CellResult> fail, bool stuck)
    {
        string why = byHost ? "the cell was interrupted" : $"the cell ran longer than the time limit of {timeout!.Value.TotalSeconds:0.###} s";
        string detail = stuck
            ? "it did not stop (it was in code that never checks for cancellation, e.g. a long library call); the session cannot run further cells"
            : "it stopped; the session's state is kept";
        return fail(byHost ? "CellInterrupted" : "CellTimeout", $"{why}; {detail}", [$"  at {_options.NotebookPath}, {location}"], byHost ? CellStatus.Cancelled : CellStatus.TimedOut);
    }

    private string Where(CellLocation location, int line, int? column = null) =>
        $"{_options.NotebookPath}, {location}, line {line}" + (column is { } c ? $", column {c}" : "");

    /// <summary>Traceback lines: the innermost frame in a notebook cell first, then the frames in cell or library code.</summary>
    private List<string> Traceback(Exception exception, CellLocation running)
    {
        var lines = new List<string>();
        var trace = new StackTrace(exception, fNeedFileInfo: true);
        bool named = false;
        foreach (var frame in trace.GetFrames())
        {
            var method = frame.GetMethod();
            string? file = frame.GetFileName();
            if (file is not null && _cellFiles.TryGetValue(file, out var cell))
            {
                lines.Add($"  at {Where(cell, frame.GetFileLineNumber())}" + (IsScriptBody(method) ? "" : $" in {MethodName(method)}"));
                named = true;
            }
            else if (method?.DeclaringType?.Assembly is { } assembly && !IsInfrastructure(assembly))
            {
                lines.Add($"  in {MethodName(method)}" + (file is null ? "" : $" ({Path.GetFileName(file)}:line {frame.GetFileLineNumber()})"));
            }
        }
        if (!named) lines.Insert(0, $"  at {_options.NotebookPath}, {running}");
        if (exception.InnerException is { } inner) lines.Add($"  caused by {inner.GetType().Name}: {inner.Message}");
        return lines;
    }

    private static bool IsScriptBody(MethodBase? method) =>
        method?.DeclaringType?.Name.StartsWith("<<Initialize>>", StringComparison.Ordinal) == true
        || method?.DeclaringType?.Name.StartsWith("Submission#", StringComparison.Ordinal) == true && method.Name == "<Initialize>";

    private static bool IsInfrastructure(Assembly assembly)
    {
        string name = assembly.GetName().Name ?? "";
        return name.StartsWith("System.", StringComparison.Ordinal) || name == "System" || name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal)
            || name == typeof(NotebookSession).Assembly.GetName().Name || name.StartsWith("ℛ", StringComparison.Ordinal);
    }

    private static string MethodName(MethodBase? method)
    {
        if (method is null) return "?";
        string type = method.DeclaringType?.FullName ?? "";
        // Script members live in Submission#N; lambdas and iterators in nested compiler types.
        int plus = type.IndexOf('+', StringComparison.Ordinal);
        if (type.StartsWith("Submission#", StringComparison.Ordinal)) type = plus >= 0 ? type[(plus + 1)..] : "";
        return string.IsNullOrEmpty(type) ? method.Name : $"{type}.{method.Name}";
    }

    /// <summary>
    /// References this cell adds for the rest of the session: the assemblies of accepted
    /// <c>#r "nuget:"</c> packages, and for <c>#r "path/Lib.dll"</c> with a <c>Lib.deps.json</c> beside
    /// it (as in build/lib/) the runtime assemblies of its package dependencies. So a notebook that
    /// loads the course library can also write <c>using Plotly.NET;</c> even where the library's own
    /// metadata does not mention Plotly.NET, as if the library were a package reference.
    /// </summary>
    private IEnumerable<MetadataReference> AccumulateReferences(PreparedCell prepared)
    {
        var paths = prepared.Packages.SelectMany(p => p.AssemblyPaths).ToList();
        foreach (string library in prepared.LibraryReferences)
        {
            string deps = Path.ChangeExtension(Path.GetFullPath(library, _folder), ".deps.json");
            var carried = PackageCatalog.FromDepsJson(deps).Packages;
            _nuget.AddCarried(carried); // later #r "nuget:" lines keep the library's copies
            paths.AddRange(carried.SelectMany(p => p.AssemblyPaths));
        }
        foreach (string path in paths)
            if (!_extraReferences.ContainsKey(path)) _extraReferences[path] = MetadataReference.CreateFromFile(path);
        return _extraReferences.Values;
    }

    internal void Display(object? value)
    {
        var capture = _currentCell.Value
            ?? throw new InvalidOperationException("display(...) was called outside a running cell (e.g. from a background task that outlived its cell)");
        capture.EmitAfterFlush(new DisplayOutput(_formatter.Format(value)));
    }

    private static ScriptOptions CreateBaseOptions()
    {
        // Implementation assemblies of the running framework; anything else a cell needs is found
        // by Roslyn's resolver (framework assemblies, and dependencies beside a #r'd assembly).
        Assembly[] references =
        [
            typeof(object).Assembly, typeof(Enumerable).Assembly, typeof(List<>).Assembly, typeof(Console).Assembly,
            typeof(System.Text.RegularExpressions.Regex).Assembly, typeof(System.Numerics.BigInteger).Assembly,
            typeof(System.Collections.Concurrent.ConcurrentDictionary<,>).Assembly, typeof(System.Linq.Expressions.Expression).Assembly,
            typeof(System.ComponentModel.EditorBrowsableAttribute).Assembly, typeof(System.Diagnostics.Stopwatch).Assembly,
            typeof(System.Text.Json.JsonSerializer).Assembly, typeof(System.Net.Http.HttpClient).Assembly,
            Assembly.Load("System.Runtime"), typeof(Microsoft.AspNetCore.Html.IHtmlContent).Assembly, typeof(NotebookGlobals).Assembly,
        ];
        return ScriptOptions.Default
            .WithLanguageVersion(Microsoft.CodeAnalysis.CSharp.LanguageVersion.Latest)
            .WithReferences(references)
            .WithImports(DefaultImports)
            .WithEmitDebugInformation(true)
            .WithFileEncoding(System.Text.Encoding.UTF8)
            .WithAllowUnsafe(true)
            .WithOptimizationLevel(OptimizationLevel.Release);
    }
}
