using FromScratch.Notebooks.Engine;
using Microsoft.CodeAnalysis.Scripting;

namespace FromScratch.Notebooks.Tests;

public class CellThreadTests
{
    /// <summary>
    /// An interrupt that arrives just as a cell ends must not kill the kernel. The cell thread's cleanup ends its pump,
    /// which waits a moment for anyone still posting to it (an async continuation of the cell, or Stop's own wake-up
    /// call); an interrupt delivered in that wait was unhandled on the cell thread, and .NET ended the process: the
    /// whole session lost (seen once in CI, interrupting a training through jupyter_client). Here each cell returns at
    /// once while another thread keeps posting continuations to its pump, and is stopped after a few different delays;
    /// the process must survive them all, and every cell thread must end.
    /// </summary>
    [Fact]
    public async Task Stopping_a_cell_as_it_ends_never_kills_the_process()
    {
        for (int i = 0; i < 2000; i++)
        {
            using var posting = new CancellationTokenSource();
            var cell = CellThread.Start(() =>
            {
                var pump = SynchronizationContext.Current!;
                new Thread(() => { while (!posting.IsCancellationRequested) pump.Post(_ => { }, null); }) { IsBackground = true }.Start();
                Thread.SpinWait(20_000);
                return Task.FromResult<ScriptState<object?>>(null!);
            });
            Thread.SpinWait(i % 41 * 1_000);
            cell.Stop();
            var ended = await Task.WhenAny(cell.Exited, Task.Delay(TimeSpan.FromSeconds(10)));
            posting.Cancel();
            Assert.True(ended == cell.Exited, $"cell {i}: its thread did not end after Stop");
        }
    }
}
