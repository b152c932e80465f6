using System.Globalization;
using System.Text.Json.Nodes;
using FromScratch.Notebooks.Format;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FromScratch.Notebooks.Engine;

/// <summary>Settings for running a whole notebook.</summary>
public sealed class NotebookRunOptions
{
    /// <summary>Parameter values by name (papermill's -p name=value), injected after the cell tagged "parameters".</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Keep running later cells after a failing one.</summary>
    public bool ContinueOnError { get; init; }

    /// <summary>Time limit per cell; null for none.</summary>
    public TimeSpan? CellTimeout { get; init; }

    /// <summary>Packages that <c>#r "nuget:"</c> lines may name.</summary>
    public PackageCatalog Packages { get; init; } = PackageCatalog.Empty;

    /// <summary>Called before each code cell runs.</summary>
    public Action<CellProgress>? Progress { get; init; }

    /// <summary>
    /// Called, on the dying process's last thread, when the process ends while a cell runs (an
    /// exception on a thread the cell started, Environment.Exit): the document already holds that
    /// cell's outputs with the error, and the cells after it have none. The host saves it.
    /// Null: no process-wide handlers are installed.
    /// </summary>
    public Action<NotebookDocument, ErrorOutput>? OnProcessDeath { get; init; }
}

/// <summary>Progress report: code cell <paramref name="Index"/> of <paramref name="Total"/> is about to run.</summary>
/// <param name="Index">1-based index among code cells.</param>
/// <param name="Total">Number of code cells.</param>
/// <param name="Location">The cell's location.</param>
public sealed record CellProgress(int Index, int Total, CellLocation Location);

/// <summary>A figure produced by a cell, numbered for file names.</summary>
/// <param name="Location">The cell that produced it.</param>
/// <param name="IndexInCell">1-based index among that cell's figures.</param>
/// <param name="Figure">The figure.</param>
public sealed record ProducedFigure(CellLocation Location, int IndexInCell, FigureData Figure)
{
    /// <summary>File name for this figure, e.g. "cell04-fig1.html".</summary>
    public string FileName => $"cell{Location.CellNumber:00}-fig{IndexInCell}.html";
}

/// <summary>The outcome of running a notebook.</summary>
/// <param name="Succeeded">True when every code cell ran without error.</param>
/// <param name="CodeCells">Number of code cells (after parameter injection).</param>
/// <param name="CellsRun">Number of code cells executed.</param>
/// <param name="Elapsed">Wall time.</param>
/// <param name="Figures">Every figure, in order.</param>
/// <param name="FirstError">The first error output, if any.</param>
public sealed record NotebookRunResult(bool Succeeded, int CodeCells, int CellsRun, TimeSpan Elapsed,
    IReadOnlyList<ProducedFigure> Figures, ErrorOutput? FirstError);

/// <summary>A -p parameter the notebook does not declare, or a notebook without a parameters cell.</summary>
public sealed class NotebookParameterException(string message) : Exception(message);

/// <summary>
/// Runs every code cell of a <see cref="NotebookDocument"/> in one <see cref="NotebookSession"/>
/// and writes the outputs and execution counts into the document (nothing else changes).
/// </summary>
public static class NotebookRunner
{
    /// <summary>Tag of the cell holding the notebook's knobs.</summary>
    public const string ParametersTag = "parameters";

    /// <summary>Tag of the cell the runner inserts with the -p values (papermill's name).</summary>
    public const string InjectedParametersTag = "injected-parameters";

    /// <summary>Runs the notebook; cell failures are reported in the result and outputs, not thrown.</summary>
    /// <exception cref="NotebookParameterException">A parameter is not declared in the parameters cell.</exception>
    public static async Task<NotebookRunResult> RunAsync(NotebookDocument notebook, NotebookRunOptions options, CancellationToken cancellation = default)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        notebook.NormalizeToNbformat45();
        InjectParameters(notebook, options.Parameters);
        var session = new NotebookSession(new NotebookSessionOptions { NotebookPath = notebook.Path, Packages = options.Packages });

        var cells = notebook.Cells;
        int total = cells.Count(c => c.IsCode), codeIndex = 0, run = 0;
        var figures = new List<ProducedFigure>();
        ErrorOutput? firstError = null;
        bool stop = false;
        // What a process-death handler needs: the running cell, its outputs so far.
        var crashLock = new object();
        (int Index, CellLocation Location, List<CellOutput> Outputs)? running = null;
        bool died = false;
        void OnDeath(Exception? exception, int exitCode)
        {
            lock (crashLock)
            {
                if (running is not { } r || died) return;
                died = true;
                var error = session.DescribeProcessDeath(r.Location, exception, exitCode,
                    "`run` records it as this cell's error, writes the executed notebook and exits with code 1");
                List<CellOutput> so;
                lock (r.Outputs) so = [.. r.Outputs, error];
                int count = session.ExecutionCount;
                cells[r.Index].SetOutputs(OutputJson.NotebookOutputs(so, count), count);
                for (int j = r.Index + 1; j < cells.Count; j++) if (cells[j].IsCode) cells[j].SetOutputs([], null);
                options.OnProcessDeath!(notebook, error);
            }
        }
        UnhandledExceptionEventHandler? onUnhandled = null;
        EventHandler? onExit = null;
        if (options.OnProcessDeath is not null)
        {
            onUnhandled = (_, e) => OnDeath(e.ExceptionObject as Exception ?? new Exception(e.ExceptionObject?.ToString()), 0);
            onExit = (_, _) => OnDeath(null, Environment.ExitCode);
            AppDomain.CurrentDomain.UnhandledException += onUnhandled;
            AppDomain.CurrentDomain.ProcessExit += onExit;
        }
        try
        {
        for (int i = 0; i < cells.Count; i++)
        {
            var cell = cells[i];
            if (!cell.IsCode) continue;
            var location = new CellLocation(i + 1, ++codeIndex);
            if (stop)
            {
                cell.SetOutputs([], null);
                continue;
            }
            options.Progress?.Invoke(new CellProgress(codeIndex, total, location));
            cell.Source = cell.Source; // Jupyter's list-of-lines form, whatever the input had
            var outputs = new List<CellOutput>();
            lock (crashLock) running = (i, location, outputs);
            var result = await session.ExecuteAsync(cell.Source, location, o => { lock (outputs) outputs.Add(o); }, options.CellTimeout, cancellation).ConfigureAwait(false);
            lock (crashLock) running = null;
            run++;
            outputs = InPlace(outputs);
            int figureInCell = 0;
            foreach (var output in outputs)
            {
                var figure = output switch { DisplayOutput d => d.Bundle.Figure, ResultOutput r => r.Bundle.Figure, _ => null };
                if (figure is not null) figures.Add(new ProducedFigure(location, ++figureInCell, figure));
                if (output is ErrorOutput error) firstError ??= error;
            }
            cell.SetOutputs(OutputJson.NotebookOutputs(outputs, result.ExecutionCount), result.ExecutionCount);
            if (result.Status != CellStatus.Ok && (!options.ContinueOnError || !session.IsUsable)) stop = true;
        }
        }
        finally
        {
            if (onUnhandled is not null) AppDomain.CurrentDomain.UnhandledException -= onUnhandled;
            if (onExit is not null) AppDomain.CurrentDomain.ProcessExit -= onExit;
        }
        return new NotebookRunResult(firstError is null && run == total, total, run, clock.Elapsed, figures, firstError);
    }

    /// <summary>
    /// Papermill-style injection: removes an earlier injected cell, then inserts one right after the
    /// cell tagged "parameters" that re-assigns each named knob with a typed literal.
    /// </summary>
    public static void InjectParameters(NotebookDocument notebook, IReadOnlyDictionary<string, string> parameters)
    {
        var cells = notebook.Cells;
        for (int i = cells.Count - 1; i >= 0; i--)
            if (cells[i].Tags.Contains(InjectedParametersTag)) notebook.RemoveCellAt(i);
        if (parameters.Count == 0) return;

        cells = notebook.Cells;
        int index = cells.ToList().FindIndex(c => c.IsCode && c.Tags.Contains(ParametersTag));
        if (index < 0)
            throw new NotebookParameterException($"{notebook.Path}: cannot set {string.Join(", ", parameters.Keys)}: the notebook has no code cell tagged '{ParametersTag}'");
        var declared = DeclaredParameters(cells[index].Source);
        foreach (var name in parameters.Keys.Where(n => !declared.ContainsKey(n)))
            throw new NotebookParameterException($"{notebook.Path}: unknown parameter '{name}'; the parameters cell declares: {(declared.Count == 0 ? "nothing" : string.Join(", ", declared.Keys))}");

        var source = new System.Text.StringBuilder("// Parameters injected by `run -p`\n");
        foreach (var (name, value) in parameters)
            source.Append(CultureInfo.InvariantCulture, $"{name} = {Literal(value, declared[name])};\n");
        var metadata = new JsonObject { ["tags"] = new JsonArray(InjectedParametersTag) };
        if (cells[index].Json["metadata"]?["polyglot_notebook"] is JsonNode polyglot) metadata["polyglot_notebook"] = polyglot.DeepClone();
        var cell = new JsonObject
        {
            ["cell_type"] = "code",
            ["execution_count"] = null,
            ["id"] = InjectedParametersTag,
            ["metadata"] = metadata,
            ["outputs"] = new JsonArray(),
            ["source"] = NotebookDocument.ToLines(source.ToString().TrimEnd('\n')),
        };
        notebook.InsertCell(index + 1, cell);
    }

    /// <summary>The names declared at the top level of a parameters cell, with their declared type ("var" when inferred).</summary>
    public static IReadOnlyDictionary<string, string> DeclaredParameters(string source)
    {
        var root = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest, kind: SourceCodeKind.Script)).GetRoot();
        var declared = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in root.ChildNodes())
        {
            VariableDeclarationSyntax? declaration = member switch
            {
                FieldDeclarationSyntax field => field.Declaration,
                GlobalStatementSyntax { Statement: LocalDeclarationStatementSyntax local } => local.Declaration,
                _ => null,
            };
            if (declaration is null) continue;
            foreach (var variable in declaration.Variables) declared[variable.Identifier.Text] = declaration.Type.ToString();
        }
        return declared;
    }

    /// <summary>A C# literal for a -p value: bool, int, double or string, from the text (a declared string/float/decimal wins).</summary>
    public static string Literal(string value, string declaredType)
    {
        if (declaredType is "string" or "string?") return SymbolDisplay.FormatLiteral(value, quote: true);
        if (value is "true" or "false") return value;
        if (int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int i))
            return i.ToString(CultureInfo.InvariantCulture);
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d))
        {
            string text = d.ToString("R", CultureInfo.InvariantCulture);
            if (!text.Contains('.') && !text.Contains('E')) text += ".0";
            return declaredType switch { "float" => text + "f", "decimal" => text + "m", _ => text };
        }
        return SymbolDisplay.FormatLiteral(value, quote: true);
    }

    /// <summary>
    /// The outputs as a front end keeps them: an update of a display id replaces the output shown under that id
    /// (an update with no earlier output is dropped, as Jupyter front ends do).
    /// </summary>
    internal static List<CellOutput> InPlace(List<CellOutput> outputs)
    {
        if (!outputs.Any(o => o is DisplayOutput { Update: true })) return outputs;
        var kept = new List<CellOutput>(outputs.Count);
        var where = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var output in outputs)
        {
            if (output is DisplayOutput { DisplayId: { } id } display)
            {
                if (display.Update)
                {
                    if (where.TryGetValue(id, out int at)) kept[at] = display with { Update = false };
                    continue;
                }
                where[id] = kept.Count;
            }
            kept.Add(output);
        }
        return kept;
    }
}
