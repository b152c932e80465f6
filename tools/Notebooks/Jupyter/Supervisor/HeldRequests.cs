using NetMQ;
using NetMQ.Sockets;

namespace FromScratch.Notebooks.Jupyter;

/// <summary>
/// What the front end sent while no worker could take it (one starting, restarting, or ending after a cell it could
/// not stop): held as it came, frames unchanged, and delivered in order to the next worker once it is ready.
/// </summary>
internal sealed class HeldRequests(FrontEndChannels front, WireCodec codec)
{
    private readonly List<(RouterSocket Channel, List<byte[]> Frames)> _held = [];

    /// <summary>Holds a message that came on the front end's <paramref name="channel"/>.</summary>
    public void Hold(RouterSocket channel, List<byte[]> frames) => _held.Add((channel, frames));

    /// <summary>Sends a message of the front end's <paramref name="channel"/> to the same channel of <paramref name="worker"/>.</summary>
    public void Forward(WorkerProcess worker, RouterSocket channel, List<byte[]> frames)
    {
        var target = channel == front.Shell ? worker.Shell : channel == front.Control ? worker.Control : worker.Stdin;
        target!.SendMultipartBytes(frames);
    }

    /// <summary>Delivers everything held to <paramref name="worker"/>, in order; nothing is held after.</summary>
    public void DeliverTo(WorkerProcess worker)
    {
        foreach (var (channel, frames) in _held) Forward(worker, channel, frames);
        _held.Clear();
    }

    /// <summary>Drops the held execute requests (the supervisor answered them for a worker that died).</summary>
    public void DropCells() =>
        _held.RemoveAll(h => h.Channel == front.Shell && codec.Decode(h.Frames).Message?.Type == "execute_request");
}
