using System.Diagnostics;
using NetMQ;
using NetMQ.Sockets;

namespace FromScratch.Notebooks.Jupyter;

/// <summary>
/// One worker of a <see cref="KernelSupervisor"/>: a <c>kernel worker</c> process (a <see cref="JupyterKernel"/>)
/// started on a connection file of its own (loopback, ports of its choosing, the front end's key, readable by the user
/// only), which prints its bound ports on stdout once listening (<see cref="KernelSupervisor.ReadyPrefix"/>); the
/// supervisor's sockets connected to it; the last lines it wrote on stderr (for a death report); and its readiness
/// probe. Disposing closes the sockets and the process handle and deletes the connection file.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    private const int StderrKept = 200;

    private readonly Queue<string> _stderr = new();

    private WorkerProcess(Process process, int generation, string connectionFile)
    {
        Process = process;
        Generation = generation;
        ConnectionFile = connectionFile;
    }

    /// <summary>The worker process.</summary>
    public Process Process { get; }

    /// <summary>1 for the first worker, then one more for each restart.</summary>
    public int Generation { get; }

    /// <summary>The connection file it was started with (deleted with the worker).</summary>
    public string ConnectionFile { get; }

    /// <summary>The supervisor's sockets to the worker's shell, control and stdin (DEALER) and IOPub (SUB); null until connected.</summary>
    public DealerSocket? Shell { get; private set; }

    /// <inheritdoc cref="Shell"/>
    public DealerSocket? Control { get; private set; }

    /// <inheritdoc cref="Shell"/>
    public DealerSocket? Stdin { get; private set; }

    /// <inheritdoc cref="Shell"/>
    public SubscriberSocket? IOPub { get; private set; }

    /// <summary>True once its probe was answered on shell and seen on IOPub: requests go to it, no longer to the backlog.</summary>
    public bool Ready { get; set; }

    /// <summary>msg_id of the supervisor's kernel_info_request that tests readiness.</summary>
    public string? ProbeId { get; private set; }

    /// <summary>Whether the probe's reply came on shell, and a message of it on IOPub (the subscription is live).</summary>
    public bool ProbeReplied { get; set; }

    /// <inheritdoc cref="ProbeReplied"/>
    public bool ProbeSeenOnIOPub { get; set; }

    /// <summary>The sockets connected so far.</summary>
    public IEnumerable<NetMQSocket> Sockets => new NetMQSocket?[] { Shell, Control, Stdin, IOPub }.OfType<NetMQSocket>();

    /// <summary>
    /// Writes the worker's connection file and starts <paramref name="start"/> on it. Its ready line calls
    /// <paramref name="bound"/> with the ports it bound, other stdout lines <paramref name="output"/>; each stderr
    /// line is kept (the last 200) and passed to <paramref name="error"/>; <paramref name="exited"/> comes once
    /// both streams are drained.
    /// </summary>
    public static WorkerProcess Launch(int generation, string key, ProcessStartInfo start,
        Action<WorkerProcess, ConnectionInfo> bound, Action<string> output, Action<string> error, Action<WorkerProcess> exited)
    {
        string file = Path.Combine(Path.GetTempPath(), $"fromscratch-worker-{Environment.ProcessId}-{generation}-{Guid.NewGuid():N}.json");
        var connection = new ConnectionInfo { IP = "127.0.0.1", Key = key };
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // it holds the key
        using (var stream = new FileStream(file, options))
        using (var writer = new StreamWriter(stream)) writer.Write(connection.ToJson());

        start.ArgumentList.Add("--connection-file");
        start.ArgumentList.Add(file);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.Environment["JPY_PARENT_PID"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var worker = new WorkerProcess(process, generation, file);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            if (e.Data.StartsWith(KernelSupervisor.ReadyPrefix, StringComparison.Ordinal))
                bound(worker, ConnectionInfo.Parse(e.Data[KernelSupervisor.ReadyPrefix.Length..], "the worker's ready line"));
            else
                output(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (worker._stderr)
            {
                worker._stderr.Enqueue(e.Data);
                while (worker._stderr.Count > StderrKept) worker._stderr.Dequeue();
            }
            error(e.Data);
        };
        process.Exited += (_, _) =>
        {
            process.WaitForExit(); // the redirected streams are drained before Exited's handlers see the last lines
            exited(worker);
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>The last lines the worker wrote on stderr, oldest first.</summary>
    public List<string> StderrTail()
    {
        lock (_stderr) return [.. _stderr];
    }

    /// <summary>Connects the supervisor's sockets to the ports the worker bound; shell and stdin carry <paramref name="identity"/>.</summary>
    public void Connect(ConnectionInfo bound, byte[] identity)
    {
        Shell = new DealerSocket();
        Control = new DealerSocket();
        Stdin = new DealerSocket();
        IOPub = new SubscriberSocket();
        foreach (var s in Sockets)
        {
            s.Options.Linger = TimeSpan.Zero;
            s.Options.SendHighWatermark = 100_000;
            s.Options.ReceiveHighWatermark = 100_000;
        }
        Shell.Options.Identity = identity;
        Stdin.Options.Identity = identity;
        Shell.Connect(bound.Address(bound.ShellPort));
        Control.Connect(bound.Address(bound.ControlPort));
        Stdin.Connect(bound.Address(bound.StdinPort));
        IOPub.Connect(bound.Address(bound.IOPubPort));
        IOPub.SubscribeToAnyTopic();
    }

    /// <summary>
    /// Sends a kernel_info_request of the supervisor's own on shell: the worker is ready once its reply came and an
    /// IOPub message for it arrived (so the subscription is live and no cell's output is lost).
    /// </summary>
    public void Probe(WireCodec codec, string sessionId)
    {
        var probe = new JupyterMessage([], JupyterMessage.NewHeader("kernel_info_request", sessionId), [], [], [], []);
        ProbeId = probe.Id;
        ProbeReplied = ProbeSeenOnIOPub = false;
        Shell!.SendMultipartBytes(codec.Encode(probe));
    }

    /// <summary>Whether <paramref name="message"/> answers the probe (it is then the supervisor's, not the front end's).</summary>
    public bool AnswersProbe(JupyterMessage? message) =>
        message is not null && ProbeId is { } probe && message.ParentHeader["msg_id"]?.GetValue<string>() == probe;

    /// <summary>Closes the sockets and the process handle, deletes the connection file.</summary>
    public void Dispose()
    {
        foreach (var s in Sockets) s.Dispose();
        Process.Dispose();
        try { File.Delete(ConnectionFile); } catch (IOException) { }
    }
}
