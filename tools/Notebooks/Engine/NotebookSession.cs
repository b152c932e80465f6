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

    /// <summary>
    /// False when the host does not know which notebook file runs (a kernel whose front end did not
    /// say): messages then name the cell only, and <see cref="NotebookPath"/> serves as the folder.
    /// </summary>
    public bool NotebookKnown { get; init; } = true;

    /// <summary>Packages the engine carries: <c>#r "nuget:"</c> lines naming them load this copy; see <see cref="PackageCatalog.FromDepsJson"/>.</summary>
    public PackageCatalog Packages { get; init; } = PackageCatalog.Empty;

    /// <summary>The kernelspec whose folder serves plotly.min.js to a figure without a carrier in its page.</summary>
    public string KernelSpecName { get; init; } = FigureHtml.DefaultKernelSpecName;

    /// <summary>How often figure HTML carries plotly.js.</summary>
    public PlotlyJsEmbedding PlotlyJs { get; init; } = PlotlyJsEmbedding.OncePerSession;

    /// <summary>
    /// Make the notebook's folder the process's current directory while a cell runs, so relative
    /// paths like "../data/x.csv" work as in Jupyter. Process-global: one running notebook at a time.
    /// </summary>
    public bool SetCurrentDirectory { get; init; } = true;

    /// <summary>What the message of a cell that could not be stopped tells the learner to do.</summary>
    public string StuckAdvice { get; init; } = "Restart the kernel (variables are lost: run the cells above again)";

    /// <summary>
    /// True (the Jupyter kernel): the library's long trainings draw their loss curve while they run, as outputs
    /// redrawn in place (<see cref="DisplayOutput.DisplayId"/>; see LiveDisplays). False (<c>run</c>, the default):
    /// nothing is drawn live, so an executed notebook holds only the figures its cells show.
    /// </summary>
    public bool LiveDisplays { get; init; }

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
    private readonly ScriptAssemblies _assemblies = new();
    private readonly AsyncLocal<CellCapture?> _currentCell = new();
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private ScriptState<object?>? _state;
    private volatile object? _running; // the CellLocation of the running cell, boxed, or null

    /// <summary>Creates a session; no code is compiled until the first <see cref="ExecuteAsync"/>.</summary>
    public NotebookSession(NotebookSessionOptions options)
    {
        _options = options;
        _notebookPath = Path.GetFullPath(options.NotebookPath);
        _folder = Path.GetDirectoryName(_notebookPath)!;
        _globals = new NotebookGlobals(this);
        _nuget = new NuGetPackages(options.Packages, _folder);
        string prefix = new string(Path.GetFileNameWithoutExtension(_notebookPath).Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
        _formatter = new ValueFormatter(prefix, options.PlotlyJs) { KernelSpecName = options.KernelSpecName };
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

    // One cell, in four steps: prepare (preprocess the source, set up the compile options), compile, run on the
    // cell's own thread, report (result or error). Every step reports through the cell's CellRun.
    private async Task<CellResult> ExecuteOneAsync(string source, CellLocation location, Action<CellOutput> onOutput,
        TimeSpan? timeout, CancellationToken cancellation)
    {
        var run = new CellRun(location, ++ExecutionCount, onOutput, timeout, cancellation);
        if (!IsUsable)
            return run.Fail("SessionUnusable", "an earlier cell could not be stopped and may still be running; restart the kernel (variables are lost: run the cells above again)", []);

        // 1. Prepare.
        var prepared = CellPreprocessor.Prepare(source, _nuget);
        if (prepared.Error is { } refused)
            return run.Fail(refused.Name, refused.Message, [$"  at {Where(location, refused.Line)}"]);
        if (CellPreprocessor.Notes(prepared) is { Length: > 0 } notes)
            run.Emit(new StreamOutput("stdout", notes));
        _running = location;
        var options = OptionsFor(location, prepared);

        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        string? previousDirectory = null;
        if (_options.SetCurrentDirectory)
        {
            previousDirectory = Environment.CurrentDirectory;
            Environment.CurrentDirectory = _folder;
        }
        var capture = run.Capture;
        try
        {
            using (ConsoleCapture.Begin(capture))
            {
                _currentCell.Value = capture;
                CellInterrupt.Set(interrupt.Token);
                LiveDisplays.Set(_options.LiveDisplays ? (id, value, update) => DisplayLive(capture, id, value, update) : null);

                // 2. Compile.
                var (script, errors) = await Task.Run(() => CompileGuarded(prepared.Code, code => MakeScript(code, options), interrupt.Token), interrupt.Token).ConfigureAwait(false);
                if (errors.Count > 0) return CompilationFailed(run, errors);

                // 3. Run. The time limit covers running, not compiling (the first cell also pays for the compiler's start-up).
                if (timeout is { } limit) interrupt.CancelAfter(limit);
                var (state, stopped) = await RunOnCellThreadAsync(script, run, interrupt.Token).ConfigureAwait(false);
                if (stopped is not null) return stopped;
                _state = state;

                // 4. Report.
                return Report(state!, run, interrupt.IsCancellationRequested);
            }
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            return Stopped(location, cancellation.IsCancellationRequested, timeout, run.Fail, stuck: false, line: null);
        }
        catch (Exception e)
        {
            // A formatter or host failure: still an error output, never a crash of the host. The
            // traceback hides the engine's own frames; FROMSCRATCH_ENGINE_DEBUG=1 adds the full
            // exception for whoever debugs the engine (documented in the README).
            return run.Fail(e.GetType().Name, e.Message, [.. Traceback(e, location), .. (EngineDebug ? new[] { e.ToString() } : [])]);
        }
        finally
        {
            _running = null;
            _currentCell.Value = null;
            capture.Flush();
            if (previousDirectory is not null) Environment.CurrentDirectory = previousDirectory;
        }
    }

    /// <summary>The cell's bookkeeping: its number and clock, its outputs (in order, never concurrently), and how it ends.</summary>
    private sealed class CellRun
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly object _emitLock = new();
        private readonly Action<CellOutput> _onOutput;

        public CellRun(CellLocation location, int count, Action<CellOutput> onOutput, TimeSpan? timeout, CancellationToken hostCancellation)
        {
            Location = location;
            Count = count;
            Timeout = timeout;
            HostCancellation = hostCancellation;
            _onOutput = onOutput;
            Capture = new CellCapture(Emit);
        }

        public CellLocation Location { get; }
        public int Count { get; }
        public TimeSpan? Timeout { get; }
        public CancellationToken HostCancellation { get; }
        public CellCapture Capture { get; }

        public void Emit(CellOutput output) { lock (_emitLock) _onOutput(output); }

        public CellResult Done(CellStatus status) => new(status, Count, _clock.Elapsed);

        public CellResult Fail(string name, string message, IEnumerable<string> details, CellStatus status = CellStatus.Error)
        {
            Capture.EmitAfterFlush(new ErrorOutput(name, message, [$"{name}: {message}", .. details]));
            return Done(status);
        }
    }

    /// <summary>The compile options of a cell: its file name (for tracebacks), the folder it resolves #r and #load from, its references.</summary>
    private ScriptOptions OptionsFor(CellLocation location, PreparedCell prepared)
    {
        string cellFile = $"{_notebookPath}#cell{location.CellNumber}";
        _cellFiles[cellFile] = location;
        return BaseOptions.Value
            .WithFilePath(cellFile)
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(_folder))
            .WithSourceResolver(new SourceFileResolver([], _folder))
            .AddReferences(AccumulateReferences(prepared));
    }

    private Script<object?> MakeScript(string code, ScriptOptions options) => _state is null
        ? CSharpScript.Create<object?>(code, options, typeof(NotebookGlobals), _assemblies.Loader)
        : _state.Script.ContinueWith<object?>(code, options);

    private CellResult CompilationFailed(CellRun run, List<Diagnostic> errors)
    {
        var first = errors[0];
        return run.Fail("CompilationError", $"{first.Id}: {first.GetMessage(CultureInfo.InvariantCulture)}",
            errors.Select(d => $"  at {Where(run.Location, d.Location.GetLineSpan().StartLinePosition.Line + 1, d.Location.GetLineSpan().StartLinePosition.Character + 1)}: error {d.Id}: {d.GetMessage(CultureInfo.InvariantCulture)}"));
    }

    /// <summary>
    /// Runs the compiled cell on a thread of its own (so a cell that never yields cannot block the host) with a large
    /// stack (so the stack guards trip long before the real end), under a pump of its own (so an await resumes on that
    /// thread, and an interrupt can drop it). Returns the new state, or the result of a cell that was stopped.
    /// </summary>
    private async Task<(ScriptState<object?>? State, CellResult? Stopped)> RunOnCellThreadAsync(
        Script<object?> script, CellRun run, CancellationToken interrupt)
    {
        var previous = _state;
        var cell = CellThread.Start(() => previous is null
            ? script.RunAsync(_globals, _ => true, CancellationToken.None)
            : script.RunFromAsync(previous, _ => true, CancellationToken.None));

        var stopped = new TaskCompletionSource();
        using (interrupt.Register(() => stopped.TrySetResult()))
        {
            if (await Task.WhenAny(cell.Result, stopped.Task).ConfigureAwait(false) != cell.Result)
            {
                // Interrupted: waits (Sleep, Join, locks, WaitOne) end with ThreadInterruptedException,
                // awaits never resume, loops of the cell and of the library see the token.
                cell.Stop();
                var ended = await Task.WhenAny(cell.Result, cell.Exited, Task.Delay(_options.StopGracePeriod)).ConfigureAwait(false);
                if (ended != cell.Result)
                {
                    bool byHost = run.HostCancellation.IsCancellationRequested;
                    if (ended != cell.Exited)
                    {
                        IsUsable = false;
                        return (null, Stopped(run.Location, byHost, run.Timeout, run.Fail, stuck: true, line: null));
                    }
                    // The thread is gone but the cell's task never finished: it was waiting in an
                    // await, whose continuation is dropped. Its state is not kept (it is incomplete).
                    return (null, Stopped(run.Location, byHost, run.Timeout, run.Fail, stuck: false, line: null));
                }
            }
        }
        return (await cell.Result.ConfigureAwait(false), null);
    }

    /// <summary>The cell's end: its exception as an error output, or its value (a trailing expression without ';') as the result.</summary>
    private CellResult Report(ScriptState<object?> state, CellRun run, bool interrupted)
    {
        if (state.Exception is { } exception)
        {
            if (interrupted && exception is OperationCanceledException or ThreadInterruptedException)
                return Stopped(run.Location, run.HostCancellation.IsCancellationRequested, run.Timeout, run.Fail, stuck: false, line: CellLine(exception));
            if (exception is InsufficientExecutionStackException)
                return StackOverflow(exception, run.Location, run.Fail);
            return run.Fail(exception.GetType().Name, exception.Message, Traceback(exception, run.Location));
        }
        // Roslyn's script semantics: only a trailing expression without ';' gives a value.
        // (A trailing expression whose value is null shows nothing, as in the old kernel.)
        if (state.ReturnValue is { } value)
            run.Capture.EmitAfterFlush(new ResultOutput(_formatter.Format(value)));
        run.Capture.Flush();
        return run.Done(CellStatus.Ok);
    }

    /// <summary>
    /// Compiles the cell with stack and interrupt guards (<see cref="CellGuards"/>). When a guess of
    /// the guard rewriter does not compile (a void expression lambda, an expression tree), it tries
    /// with fewer guards, and at last the cell as written, whose errors are the ones reported.
    /// </summary>
    private static (Script<object?> Script, List<Diagnostic> Errors) CompileGuarded(string code, Func<string, Script<object?>> make, CancellationToken cancellation)
    {
        var attempts = new List<string>();
        foreach (var level in new[] { CellGuards.Level.All, CellGuards.Level.BlocksOnly })
        {
            string guarded = CellGuards.Add(code, level);
            if (guarded != code && !attempts.Contains(guarded)) attempts.Add(guarded);
        }
        attempts.Add(code);
        foreach (string attempt in attempts)
        {
            var script = make(attempt);
            var errors = script.Compile(cancellation).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (errors.Count == 0 || ReferenceEquals(attempt, code)) return (script, errors);
        }
        throw new InvalidOperationException("unreachable: the last attempt is the cell as written");
    }

    private CellResult StackOverflow(Exception exception, CellLocation location,
        Func<string, string, IEnumerable<string>, CellStatus, CellResult> fail)
    {
        var trace = new StackTrace(exception, fNeedFileInfo: true);
        var frames = trace.GetFrames();
        // The innermost frame of the cell's own code: the recursion that went too deep.
        var inner = frames.FirstOrDefault(f => f.GetFileName() is { } file && _cellFiles.ContainsKey(file));
        string where = inner is null ? Named(location)
            : $"{Where(_cellFiles[inner.GetFileName()!], inner.GetFileLineNumber())}";
        string method = inner?.GetMethod() is { } m && !IsScriptBody(m) ? Readable(MethodName(m)) : "the cell";
        int depth = frames.Count(f => f.GetMethod() == inner?.GetMethod());
        string message = $"recursion too deep in {method} ({where}): {depth:N0} calls deep, the cell's thread ran out of stack. "
            + "The session is kept; check the recursion's base case (or make it a loop).";
        // The innermost cell frames, with a run of identical lines said once.
        var lines = new List<string>();
        string? last = null;
        foreach (var frame in frames.Where(f => f.GetFileName() is { } file && _cellFiles.ContainsKey(file)).Take(depth + 10))
        {
            string line = $"  at {Where(_cellFiles[frame.GetFileName()!], frame.GetFileLineNumber())}"
                + (IsScriptBody(frame.GetMethod()) ? "" : $" in {Readable(MethodName(frame.GetMethod()))}");
            if (line == last) continue;
            last = line;
            lines.Add(line);
            if (lines.Count == 1) lines.Add($"  … {depth - 1:N0} more calls of {method} …");
            if (lines.Count >= 8) break;
        }
        return fail("StackOverflow", message, lines, CellStatus.Error);
    }

    /// <summary>A compiler-generated lambda name (&lt;&lt;Initialize&gt;&gt;b__0_0) as "a lambda".</summary>
    private static string Readable(string method) =>
        method.Contains(">b__", StringComparison.Ordinal) ? "a lambda" : method.Contains(">g__", StringComparison.Ordinal)
            ? method[(method.IndexOf(">g__", StringComparison.Ordinal) + 4)..].Split('|')[0] : method;

    /// <summary>The cell line where an exception was thrown (innermost cell frame), if any.</summary>
    private int? CellLine(Exception exception)
    {
        foreach (var frame in new StackTrace(exception, fNeedFileInfo: true).GetFrames())
            if (frame.GetFileName() is { } file && _cellFiles.ContainsKey(file)) return frame.GetFileLineNumber();
        return null;
    }

    /// <summary>
    /// For a host asking for a line of input from the running cell (Console.ReadLine): the text the
    /// cell wrote since its last newline, which becomes the prompt and is not printed separately.
    /// Call on the cell's own thread; "" outside a cell.
    /// </summary>
    public string TakeInputPrompt() => _currentCell.Value?.TakePartialLine() ?? "";

    /// <summary>The cell running now, if any (for a host reporting that the process is about to die).</summary>
    public CellLocation? RunningCell => _running is CellLocation l ? l : null;

    /// <summary>
    /// The error output for what .NET cannot survive in-process, while <paramref name="running"/> runs:
    /// <paramref name="exception"/> unhandled on another thread (null for <c>Environment.Exit</c>,
    /// with <paramref name="exitCode"/>). Names the notebook, the cell and the line where the cell
    /// code threw, and says the session is lost.
    /// </summary>
    public ErrorOutput DescribeProcessDeath(CellLocation running, Exception? exception, int exitCode, string restart)
    {
        if (exception is null)
            return new ErrorOutput("ProcessExit", $"the cell ended the process (Environment.Exit({exitCode})) at {Named(running)}; {restart}",
                [$"ProcessExit: Environment.Exit({exitCode}) in {Named(running)}", $"  {restart}"]);
        string message = $"{exception.GetType().Name} was thrown on a thread that {Named(running)} started and not caught ({exception.Message}): "
            + $".NET ends the process for that; {restart}. Catch exceptions inside the thread's code (or use Task.Run and await it)";
        return new ErrorOutput("UnhandledThreadException", message, [$"UnhandledThreadException: {message}", .. Traceback(exception, running).Take(20)]);
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
            ? CSharpScript.Create<object?>(code, options, typeof(NotebookGlobals), _assemblies.Loader)
            : _state.Script.ContinueWith<object?>(code, options);
        return script.GetCompilation();
    }

    private CellResult Stopped(CellLocation location, bool byHost, TimeSpan? timeout,
        Func<string, string, IEnumerable<string>, CellStatus, CellResult> fail, bool stuck, int? line)
    {
        string why = byHost ? "the cell was interrupted" : $"the cell ran longer than the time limit of {timeout!.Value.TotalSeconds:0.###} s";
        string detail = stuck
            ? $"it did not stop within {_options.StopGracePeriod.TotalSeconds:0.#} s: it is in code that never checks for an interrupt "
              + "(e.g. a tight loop inside a library's DLL) and still runs, so it could change the variables at any time. "
              + _options.StuckAdvice
            : "it stopped; the variables of the cells before it are kept";
        string at = line is { } l ? Where(location, l) : Named(location);
        return fail(byHost ? "Interrupted" : "CellTimeout", $"{why} at {at}; {detail}", [$"  at {at}"], byHost ? CellStatus.Cancelled : CellStatus.TimedOut);
    }

    /// <summary>"notebook.ipynb, cell 3 (code cell 2)", or only the cell when the host does not know the notebook.</summary>
    private string Named(CellLocation location) =>
        _options.NotebookKnown ? $"{_options.NotebookPath}, {location}" : location.ToString();

    private string Where(CellLocation location, int line, int? column = null) =>
        $"{Named(location)}, line {line}" + (column is { } c ? $", column {c}" : "");

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
        if (!named) lines.Insert(0, $"  at {Named(running)}");
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
        _assemblies.Add(prepared.LibraryReferences.Select(library => Path.GetFullPath(library, _folder)).Concat(paths));
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

    /// <summary>
    /// A live output of the running cell: shown (with plotly.js in an output of its own the first time, since the
    /// figure's copies replace each other) or redrawn in place. Never throws into the training that draws it.
    /// </summary>
    private void DisplayLive(CellCapture capture, string id, object value, bool update)
    {
        try
        {
            var bundle = _formatter.Format(value, carryPlotlyJs: false);
            if (!update && bundle.Figure is { } figure && _formatter.PlotlyCarrier(figure) is { } carrier)
                capture.EmitAfterFlush(new DisplayOutput(carrier));
            capture.EmitAfterFlush(new DisplayOutput(bundle, id, update));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ConsoleCapture.OriginalError.WriteLine($"[fromscratch] a live display failed: {e.Message}");
        }
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
