using System.CommandLine;
using System.Runtime.InteropServices;
using FromScratch.Notebooks.Engine;
using FromScratch.Notebooks.Jupyter;
using NetMQ;
using Spectre.Console;

namespace FromScratch.Notebooks.Cli;

/// <summary>`kernel install|uninstall|start`: the Jupyter kernel and its kernelspec.</summary>
internal static class KernelCommand
{
    public const int Success = 0, Failed = 1, UsageError = 2;

    public static Command Create(IAnsiConsole console)
    {
        var user = new Option<bool>("--user") { Description = "The user's kernels folder (the default): ~/.local/share/jupyter/kernels on Linux" };
        var prefix = new Option<string?>("--prefix") { Description = "Install under DIR/share/jupyter/kernels instead (e.g. a virtual environment, or a temporary folder)" };
        var name = new Option<string>("--name") { Description = "Kernelspec name", DefaultValueFactory = _ => KernelSpec.DefaultName };

        var install = new Command("install", $"Write the kernelspec \"{KernelSpec.DisplayName}\" so VS Code and JupyterLab list this kernel") { user, prefix, name };
        install.SetAction(parse => Install(console, parse.GetValue(user), parse.GetValue(prefix), parse.GetValue(name)!));

        var uninstall = new Command("uninstall", "Remove the kernelspec") { user, prefix, name };
        uninstall.SetAction(parse => Uninstall(console, parse.GetValue(user), parse.GetValue(prefix), parse.GetValue(name)!));

        var connectionFile = new Option<string>("--connection-file", "-f") { Description = "The connection file the front end wrote", Required = true };
        var start = new Command("start", "Run the kernel (Jupyter front ends start it with the kernelspec's argv): a small supervisor that restarts the worker if it dies") { connectionFile };
        start.SetAction(parse => Supervise(parse.GetValue(connectionFile)!));

        var inProcess = new Option<bool>("--in-process") { Description = "Serve the front end directly, without a supervising process (a crash then ends the kernel)" };
        var worker = new Command("worker", "The kernel itself, in this process (what `kernel start` runs under its supervisor)") { connectionFile, inProcess };
        worker.Hidden = true;
        worker.SetAction(parse => Start(parse.GetValue(connectionFile)!, supervised: !parse.GetValue(inProcess)));

        return new Command("kernel", "The Jupyter kernel: step through the lessons live in VS Code's Jupyter extension or JupyterLab")
        {
            install, uninstall, start, worker,
        };
    }

    private static string? KernelsFolder(IAnsiConsole console, bool user, string? prefix)
    {
        if (user && prefix is not null)
        {
            console.MarkupLine("[red]error:[/] --user and --prefix exclude each other: choose one");
            return null;
        }
        return prefix is null ? KernelSpec.UserKernelsFolder() : KernelSpec.PrefixKernelsFolder(prefix);
    }

    private static int Install(IAnsiConsole console, bool user, string? prefix, string name)
    {
        if (KernelsFolder(console, user, prefix) is not { } kernels) return UsageError;
        try
        {
            string assembly = KernelSpec.ThisAssembly();
            string? plotlyJs = null;
            string plotlyNet = Export.PlotlyJavaScriptFile.DefaultLocation(RepositoryLayout.Find(AppContext.BaseDirectory)?.Root);
            try
            {
                plotlyJs = Export.PlotlyJavaScriptFile.Read(plotlyNet);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or BadImageFormatException)
            {
                console.MarkupLineInterpolated($"[yellow]warning:[/] no plotly.min.js in the kernelspec ({e.Message}): a figure whose page has no other figure carrying plotly.js stays blank. Build the library and install again.");
            }
            string folder = KernelSpec.Install(kernels, name, KernelSpec.LocateDotnet(), assembly, plotlyJs);
            console.WriteLine($"installed kernelspec '{name}' (\"{KernelSpec.DisplayName}\") in {folder}");
            console.WriteLine($"it runs {assembly}: rebuilding the tool updates the kernel; install again only if the repository moves");
            return Success;
        }
        catch (KernelSpecException e)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return Failed;
        }
    }

    private static int Uninstall(IAnsiConsole console, bool user, string? prefix, string name)
    {
        if (KernelsFolder(console, user, prefix) is not { } kernels) return UsageError;
        try
        {
            bool removed = KernelSpec.Uninstall(kernels, name);
            console.WriteLine(removed ? $"removed kernelspec '{name}' from {kernels}" : $"kernelspec '{name}' is not installed in {kernels}: nothing to remove");
            return Success;
        }
        catch (KernelSpecException e)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return Failed;
        }
    }

    /// <summary>
    /// The notebook the front end runs, when it says so: jupyter_server (Notebook 6/7, JupyterLab)
    /// sets JPY_SESSION_NAME to the notebook's path (relative to its root; the kernel starts in the
    /// notebook's folder), and VS Code's Jupyter extension sets it too (vscode-jupyter#16291/#16307).
    /// Null when it names no .ipynb file (JupyterLab can start with a UUID): errors then name the cell only.
    /// </summary>
    internal static string? NotebookFromEnvironment(string folder)
    {
        if (Environment.GetEnvironmentVariable("JPY_SESSION_NAME") is { Length: > 0 } session
            && session.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase))
            return Path.IsPathRooted(session) ? session : Path.Combine(folder, Path.GetFileName(session));
        return null;
    }

    /// <summary>
    /// Serves the front end until it asks for shutdown, or its process goes away (JPY_PARENT_PID,
    /// or this process being re-parented). SIGINT interrupts the running cell instead of killing
    /// the kernel; SIGTERM shuts it down. Ends the process, so no thread outlives the kernel.
    /// </summary>
    /// <summary>
    /// `kernel start`: the supervisor owns the front end's sockets and runs `kernel worker` on
    /// loopback ports of its own, restarting it (and telling the running cell) when it dies. SIGINT
    /// is passed on to the worker (an interrupt); SIGTERM ends both.
    /// </summary>
    private static int Supervise(string connectionFile)
    {
        var log = Console.Error;
        ConnectionInfo connection;
        try
        {
            connection = ConnectionInfo.Load(connectionFile);
        }
        catch (ConnectionFileException e)
        {
            log.WriteLine($"error: {e.Message}");
            return UsageError;
        }
        string dotnet = KernelSpec.LocateDotnet(), assembly = KernelSpec.ThisAssembly();
        using var supervisor = new KernelSupervisor(connection, () =>
        {
            var start = new System.Diagnostics.ProcessStartInfo(dotnet) { WorkingDirectory = Environment.CurrentDirectory, UseShellExecute = false };
            start.ArgumentList.Add(assembly);
            start.ArgumentList.Add("kernel");
            start.ArgumentList.Add("worker");
            return start;
        }, log);
        try
        {
            supervisor.Start();
        }
        catch (ConnectionFileException e)
        {
            log.WriteLine($"error: {connectionFile}: {e.Message}");
            return Failed;
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            supervisor.Interrupt();
        });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            supervisor.Shutdown("SIGTERM");
        });
        int? parent = int.TryParse(Environment.GetEnvironmentVariable("JPY_PARENT_PID"), out int pid) && pid > 1 ? pid : null;
        int? startPpid = ParentProcess.OfThisProcess();
        var watch = new Thread(() =>
        {
            while (!supervisor.Done.IsCompleted)
            {
                Thread.Sleep(500);
                if (parent is { } p && !ParentProcess.IsAlive(p)) { supervisor.Shutdown($"the front end's process {p} is gone"); return; }
                if (startPpid is { } before && ParentProcess.OfThisProcess() is { } now && now != before)
                {
                    supervisor.Shutdown($"the parent process {before} is gone (re-parented to {now})");
                    return;
                }
            }
        }) { IsBackground = true, Name = "supervisor-parent-watch" };
        watch.Start();
        log.WriteLine($"[fromscratch supervisor] listening on {connection.IP} (shell {connection.ShellPort}), notebook folder {Environment.CurrentDirectory}");
        int exitCode = supervisor.Done.GetAwaiter().GetResult();
        Thread.Sleep(200); // the last replies leave within the sockets' linger
        supervisor.Dispose();
        NetMQConfig.Cleanup(block: false);
        Environment.Exit(exitCode);
        return exitCode;
    }

    private static int Start(string connectionFile, bool supervised)
    {
        var log = Console.Error; // before the session routes Console.Error to cells
        ConnectionInfo connection;
        try
        {
            connection = ConnectionInfo.Load(connectionFile);
        }
        catch (ConnectionFileException e)
        {
            log.WriteLine($"error: {e.Message}");
            return UsageError;
        }

        // Front ends start the kernel in the notebook's folder; jupyter_server names the notebook in JPY_SESSION_NAME.
        string folder = Environment.CurrentDirectory;
        string? named = NotebookFromEnvironment(folder);
        string notebook = named ?? Path.Combine(folder, "notebook.ipynb"); // only a base folder when unnamed
        var repo = RepositoryLayout.Find(folder);
        var packages = PackageCatalog.FromDepsJson(repo?.LibraryDepsJson ?? Path.Combine(folder, "build", "lib", "FromScratch.deps.json"));
        int? parent = int.TryParse(Environment.GetEnvironmentVariable("JPY_PARENT_PID"), out int pid) && pid > 1 ? pid : null;

        int exitCode = Success;
        var kernel = new JupyterKernel(new KernelOptions
        {
            Connection = connection,
            NotebookPath = notebook,
            NotebookKnown = named is not null,
            KernelSpecName = Environment.GetEnvironmentVariable(KernelSpec.KernelNameVariable) is { Length: > 0 } spec ? spec : KernelSpec.DefaultName,
            Packages = packages,
            ParentProcessId = parent,
            WatchReparenting = true,
            Log = log,
            ReportProcessDeath = true,
            ExitWhenStuck = supervised,
            ProcessDeathAdvice = supervised
                ? "the kernel restarts its session now: every variable is lost, run the cells above again"
                : "the kernel process ends now and the front end restarts it: every variable is lost, run the cells above again",
        });
        try
        {
            kernel.Start();
        }
        catch (ConnectionFileException e)
        {
            log.WriteLine($"error: {connectionFile}: {e.Message}");
            return Failed;
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            kernel.InterruptRunningCell();
        });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            kernel.RequestShutdown("SIGTERM");
        });
        log.WriteLine($"[fromscratch kernel] listening on {connection.IP} (shell {kernel.Connection.ShellPort}), notebook folder {folder}");
        if (supervised)
        {
            ConsoleCapture.OriginalOut.WriteLine(KernelSupervisor.ReadyPrefix + kernel.Connection.ToJson().ReplaceLineEndings(" "));
            ConsoleCapture.OriginalOut.Flush();
        }
        kernel.Stopped.GetAwaiter().GetResult();
        if (kernel.StoppedStuck)
        {
            // A cell thread still runs: no graceful close (it would wait for it); the reply is out, the supervisor restarts.
            Thread.Sleep(300);
            Environment.Exit(KernelSupervisor.StuckExitCode);
        }
        var closing = Task.Run(() =>
        {
            kernel.Dispose();
            NetMQConfig.Cleanup(block: true); // sends what is queued (the shutdown reply) within the sockets' linger
        });
        if (!closing.Wait(TimeSpan.FromSeconds(10))) log.WriteLine("[fromscratch kernel] sockets did not close in 10 s; exiting anyway");
        if (kernel.StoppedStuck) exitCode = KernelSupervisor.StuckExitCode;
        Environment.Exit(exitCode); // a cell thread that never stopped must not keep the process alive
        return exitCode;
    }
}
