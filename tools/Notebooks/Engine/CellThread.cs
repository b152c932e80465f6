using System.Collections.Concurrent;
using Microsoft.CodeAnalysis.Scripting;

namespace FromScratch.Notebooks.Engine;

/// <summary>
/// The thread one cell runs on. It has a large stack (<see cref="StackSize"/>), so that the stack
/// guards of <see cref="CellGuards"/> trip long before a real overflow, and its own
/// <see cref="SynchronizationContext"/> (a pump on this thread), so that every <c>await</c> in the
/// cell resumes here. <see cref="Stop"/> makes the pump drop what is pending and end, and
/// interrupts the thread's waits (Thread.Sleep, Join, Monitor, WaitHandle): an interrupted cell can
/// never resume later and change the session's variables behind the learner's back.
/// </summary>
internal sealed class CellThread
{
    /// <summary>16 MB of address space reserved (committed only as used): deep but finite recursion works.</summary>
    public const int StackSize = 16 * 1024 * 1024;

    private readonly Pump _pump = new();
    private readonly TaskCompletionSource<ScriptState<object?>> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Thread? _thread;

    /// <summary>The cell's end state; never completes when the cell was stopped inside an await.</summary>
    public Task<ScriptState<object?>> Result => _result.Task;

    /// <summary>Completes when the thread has ended (after <see cref="Result"/> when the cell finished).</summary>
    public Task Exited => _exited.Task;

    /// <summary>Starts <paramref name="run"/> on a new cell thread (the caller's async-locals flow into it).</summary>
    public static CellThread Start(Func<Task<ScriptState<object?>>> run)
    {
        var cell = new CellThread();
        cell._thread = new Thread(() => cell.Body(run), StackSize) { IsBackground = true, Name = "notebook-cell" };
        cell._thread.Start();
        return cell;
    }

    /// <summary>Drops the cell's pending continuations and interrupts its waits; the thread then ends.</summary>
    public void Stop()
    {
        _pump.Abandon();
        try
        {
            _thread?.Interrupt();
        }
        catch (ThreadStateException)
        {
            // already ended
        }
    }

    private void Body(Func<Task<ScriptState<object?>>> run)
    {
        try
        {
            SynchronizationContext.SetSynchronizationContext(_pump);
            var task = run();
            task.ContinueWith(_ => _pump.Wake(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            if (_pump.RunUntil(task) is { } failure) _result.TrySetException(failure);
            else if (task.IsCompleted) Complete(task);
        }
        catch (ThreadInterruptedException)
        {
            // Stopped while waiting for a continuation: the cell never finishes.
        }
        catch (Exception e)
        {
            _result.TrySetException(e);
        }
        finally
        {
            FinishPumpDespiteInterrupts();
            SynchronizationContext.SetSynchronizationContext(null);
            _exited.TrySetResult();
        }
    }

    /// <summary>
    /// Ends the pump. That can wait a moment (BlockingCollection.CompleteAdding sleeps until anyone still adding, e.g.
    /// <see cref="Stop"/>'s own wake-up call, is done), and <see cref="Stop"/> may interrupt this thread right then: an
    /// interrupt here, uncaught, would end the process and the learner's session. The cell is over anyway, so it is
    /// ignored and the pump ended again (CompleteAdding then waits for the same adders and returns).
    /// </summary>
    private void FinishPumpDespiteInterrupts()
    {
        while (true)
        {
            try
            {
                _pump.Finish();
                return;
            }
            catch (ThreadInterruptedException)
            {
                // Stop's interrupt arrived after the cell had ended.
            }
        }
    }

    private void Complete(Task<ScriptState<object?>> task)
    {
        if (task.IsCompletedSuccessfully) _result.TrySetResult(task.Result);
        else if (task.IsCanceled) _result.TrySetCanceled();
        else _result.TrySetException(task.Exception!.InnerExceptions);
    }

    /// <summary>A single-thread synchronization context: callbacks posted to it run on the cell thread, in order.</summary>
    private sealed class Pump : SynchronizationContext
    {
        private readonly BlockingCollection<(SendOrPostCallback? Callback, object? State)> _queue = [];
        private volatile bool _abandoned, _finished;

        public override void Post(SendOrPostCallback d, object? state)
        {
            if (_abandoned) return; // an interrupted cell never resumes
            if (_finished)
            {
                // The cell has ended; an `async void` it started still continues, on the thread pool.
                ThreadPool.QueueUserWorkItem(_ => d(state));
                return;
            }
            try
            {
                _queue.Add((d, state));
            }
            catch (InvalidOperationException)
            {
                ThreadPool.QueueUserWorkItem(_ => d(state));
            }
        }

        public override void Send(SendOrPostCallback d, object? state) => d(state);

        public override SynchronizationContext CreateCopy() => this;

        public void Wake()
        {
            try { _queue.Add((null, null)); } catch (InvalidOperationException) { }
        }

        public void Abandon()
        {
            _abandoned = true;
            Wake();
        }

        public void Finish()
        {
            _finished = true;
            _queue.CompleteAdding();
        }

        /// <summary>Runs posted callbacks until <paramref name="task"/> completes or the pump is abandoned; an exception of a callback (an async void method's) ends it.</summary>
        public Exception? RunUntil(Task task)
        {
            while (!task.IsCompleted && !_abandoned)
            {
                var (callback, state) = _queue.Take();
                if (callback is null || _abandoned) continue;
                try
                {
                    callback(state);
                }
                catch (ThreadInterruptedException)
                {
                    throw;
                }
                catch (Exception e)
                {
                    return e;
                }
            }
            return null;
        }
    }
}
