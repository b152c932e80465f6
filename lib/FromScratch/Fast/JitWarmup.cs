using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace FromScratch.Kernels;

/// <summary>
/// Compiles the fast path before the first training needs it, on a background thread started when the library is
/// first used. The methods a training step runs are marked <see cref="MethodImplOptions.AggressiveOptimization"/>, so
/// they are compiled fully optimized at their first call (tier-0 code made the first second of training 2.5–3× slower,
/// bench/README.md); that compile is about 30 ms for a lesson's network, which a fresh kernel paid inside the first
/// training cell. Here it happens while the learner is still loading data, on the other core; a method the training
/// reaches while it is still being compiled simply waits for that compile instead of starting its own.
/// </summary>
/// <remarks>
/// Which methods: every method of this assembly marked <c>AggressiveOptimization</c> (non-generic, with a body), so a
/// new fast-path method is covered as soon as it is marked. A method that cannot be prepared is left to the JIT at its
/// first call, as without the warm-up, and counted in <see cref="Failed"/> (a test asserts there are none).
/// <c>FROMSCRATCH_JIT_WARMUP=0</c> turns the warm-up off (the benchmark uses it to measure what it saves).
/// <para>
/// It runs only when this assembly is in the default load context, as in our engine, the tests and the benchmark:
/// there the runtime loads each dependency once, whichever thread asks first. The official .NET Interactive kernel
/// loads a <c>#r</c> assembly through Roslyn's InteractiveAssemblyLoader, one load context per assembly, and two
/// threads resolving MathNet.Numerics at the same moment (the warm-up and the learner's cell) could each load a
/// copy; the cell then failed with "Method not found: Matrix`1 FromScratch.Dataset.get_X()". There the first
/// training compiles its methods itself, as before the warm-up.
/// </para>
/// </remarks>
internal static class JitWarmup
{
    private static readonly TaskCompletionSource<int> done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private static readonly List<string> failed = [];

    /// <summary>Completes with the number of methods compiled, when the warm-up has gone through all of them.</summary>
    public static Task<int> Completed => done.Task;

    /// <summary>Methods that could not be prepared (with the exception's message); empty when all went well.</summary>
    public static IReadOnlyList<string> Failed => failed;

    /// <summary>
    /// Whether the warm-up runs in this process: not with <c>FROMSCRATCH_JIT_WARMUP=0</c>, and not when this assembly
    /// was loaded into a load context of its own (see the remarks).
    /// </summary>
    public static bool Enabled { get; } = Environment.GetEnvironmentVariable("FROMSCRATCH_JIT_WARMUP") != "0"
        && AssemblyLoadContext.GetLoadContext(typeof(JitWarmup).Assembly) == AssemblyLoadContext.Default;

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "The warm-up has to start as early as possible: before the " +
        "learner's first training cell. It only starts a background thread; nothing in it can fail the load.")]
    internal static void Start()
    {
        if (!Enabled)
        {
            done.SetResult(0);
            return;
        }
        var thread = new Thread(CompileFastPath)
        {
            IsBackground = true,
            Priority = ThreadPriority.BelowNormal,
            Name = "FromScratch JIT warm-up",
        };
        thread.Start();
    }

    /// <summary>The methods a training step runs: every non-generic method of this assembly marked AggressiveOptimization.</summary>
    internal static IEnumerable<MethodBase> FastPathMethods()
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static
            | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        foreach (var type in typeof(JitWarmup).Assembly.GetTypes())
        {
            if (type.ContainsGenericParameters)
                continue;
            foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
            {
                if ((method.MethodImplementationFlags & MethodImplAttributes.AggressiveOptimization) != 0
                    && !method.IsAbstract && !method.ContainsGenericParameters)
                    yield return method;
            }
        }
    }

    // Nothing may escape this thread: an exception on a background thread would end the learner's kernel process,
    // and a warm-up that fails only leaves the methods to be compiled at their first call, as without it.
    private static void CompileFastPath()
    {
        int compiled = 0;
        try
        {
            foreach (var method in FastPathMethods())
            {
                try
                {
                    RuntimeHelpers.PrepareMethod(method.MethodHandle);
                    compiled++;
                }
                catch (Exception e)
                {
                    lock (failed)
                        failed.Add($"{method.DeclaringType}.{method.Name}: {e.Message}");
                }
            }
        }
        catch (Exception e) // listing the methods failed (a type that would not load)
        {
            lock (failed)
                failed.Add($"listing the fast path's methods: {e.Message}");
        }
        finally
        {
            done.TrySetResult(compiled);
        }
    }
}
