using FromScratch.Notebooks.Engine;

namespace FromScratch.Notebooks.Jupyter;

/// <summary>Settings of a <see cref="JupyterKernel"/>.</summary>
public sealed class KernelOptions
{
    /// <summary>Where to listen and the signing key (from the connection file).</summary>
    public required ConnectionInfo Connection { get; init; }

    /// <summary>The notebook the session stands for: names it in tracebacks; its folder is the base of #r and relative paths.</summary>
    public required string NotebookPath { get; init; }

    /// <summary>The kernelspec this kernel was started from (figures load plotly.min.js from its folder).</summary>
    public string KernelSpecName { get; init; } = FigureHtml.DefaultKernelSpecName;

    /// <summary>False when the front end did not name the notebook: errors then name the cell only.</summary>
    public bool NotebookKnown { get; init; } = true;

    /// <summary>Packages that <c>#r "nuget:"</c> lines may name (the course library's dependencies).</summary>
    public PackageCatalog Packages { get; init; } = PackageCatalog.Empty;

    /// <summary>Shut down when this process is gone (the front end that started the kernel); null to not watch.</summary>
    public int? ParentProcessId { get; init; }

    /// <summary>Also shut down when this process is re-parented (Linux: its parent died before it could be watched by id).</summary>
    public bool WatchReparenting { get; init; }

    /// <summary>Where the kernel logs (dropped messages, errors); the front end shows the kernel's stderr.</summary>
    public TextWriter Log { get; init; } = TextWriter.Null;

    /// <summary>Make the notebook's folder the current directory while a cell runs (as <c>run</c> does).</summary>
    public bool SetCurrentDirectory { get; init; } = true;

    /// <summary>
    /// When the process dies while a cell runs (an exception on a thread the cell started,
    /// Environment.Exit), tell the front end in that cell first: error output, execute_reply, idle.
    /// For the kernel process only (the handlers are process-wide).
    /// </summary>
    public bool ReportProcessDeath { get; init; }

    /// <summary>What the report of a process death tells the learner happens next.</summary>
    public string ProcessDeathAdvice { get; init; } =
        "the kernel process ends now and the front end restarts it: every variable is lost, run the cells above again";

    /// <summary>
    /// Under a supervisor: after a cell that could not be stopped has been answered, stop the kernel
    /// (<see cref="JupyterKernel.StoppedStuck"/>), so the supervisor starts a fresh session.
    /// </summary>
    public bool ExitWhenStuck { get; init; }
}
