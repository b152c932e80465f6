using System.Reflection;
using System.Runtime.Loader;
using FromScratch.Kernels;

namespace FromScratch.Tests.Kernels;

public class JitWarmupTests
{
    [Fact]
    public async Task The_warm_up_compiles_every_fast_path_method_without_a_failure()
    {
        Assert.True(JitWarmup.Enabled, "FROMSCRATCH_JIT_WARMUP=0 is set in the test environment");
        var compiled = await JitWarmup.Completed.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Empty(JitWarmup.Failed);
        var methods = JitWarmup.FastPathMethods().ToList();
        Assert.Equal(methods.Count, compiled);
        // The step's methods, from the batch copy through the GEMM to the optimizer, are among them.
        var names = methods.Select(m => $"{m.DeclaringType!.Name}.{m.Name}").ToHashSet();
        foreach (var expected in new[]
                 {
                     "TrainingWorkspace.Forward", "TrainingWorkspace.Backward", "TrainingWorkspace.CopyColumns",
                     "GemmBlocked.Run", "GemmBlocked.PackB", "GemmBlocked.MicroKernelFma", "GemmWorkers.TryRun",
                     "SpanArithmetic.Add", "VectorKernels.AdamStep", "FastPath.Epoch",
                 })
            Assert.Contains(expected, names);
    }

    [Fact]
    public void Only_methods_marked_for_full_optimization_are_warmed_up()
    {
        foreach (var method in JitWarmup.FastPathMethods())
            Assert.True((method.MethodImplementationFlags & MethodImplAttributes.AggressiveOptimization) != 0,
                $"{method.DeclaringType}.{method.Name}");
        Assert.DoesNotContain(JitWarmup.FastPathMethods(), m => m.DeclaringType == typeof(ReferenceGemm));
    }

    [Fact]
    public async Task The_warm_up_does_not_start_when_the_library_is_loaded_into_a_load_context_of_its_own()
    {
        // As Roslyn's InteractiveAssemblyLoader (the official kernel) loads it: a second thread resolving the
        // dependencies there could load a second copy of MathNet.Numerics (OfficialKernelLoadingTests).
        var context = new AssemblyLoadContext("one assembly", isCollectible: true);
        try
        {
            var library = context.LoadFromAssemblyPath(typeof(JitWarmup).Assembly.Location);
            var warmUp = library.GetType(typeof(JitWarmup).FullName!, throwOnError: true)!;
            var completed = (Task<int>)warmUp.GetProperty(nameof(JitWarmup.Completed))!.GetValue(null)!;

            Assert.False((bool)warmUp.GetProperty(nameof(JitWarmup.Enabled))!.GetValue(null)!);
            Assert.True(completed.IsCompletedSuccessfully);
            Assert.Equal(0, await completed);
        }
        finally
        {
            context.Unload();
        }
    }
}
