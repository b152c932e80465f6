using static FromScratch.Notebooks.Tests.OfficialKernel.ExecutedOutputs;

namespace FromScratch.Notebooks.Tests.OfficialKernel;

/// <summary>
/// How the official kernel loads the library. It loads a <c>#r</c> assembly through Roslyn's InteractiveAssemblyLoader,
/// a load context per assembly, where two threads resolving the same dependency at once can each load a copy of it.
/// The library's JIT warm-up thread did that with MathNet.Numerics while the learner's first cell resolved it too, and
/// lesson 10 failed in CI with "Method not found: Matrix`1 FromScratch.Dataset.get_X()" (one run in a few).
/// </summary>
public class OfficialKernelLoadingTests(OfficialKernelSpec kernel) : IClassFixture<OfficialKernelSpec>
{
    private static readonly string[] Cells =
    [
        "#r \"../build/lib/FromScratch.dll\"\nusing FromScratch;\nusing MathNet.Numerics.LinearAlgebra;",
        // A lesson's first use of the library: data in MathNet matrices, at once.
        """
        Matrix<double> x = Dataset.Davis().X;
        var warmUp = typeof(Dataset).Assembly.GetType("FromScratch.Kernels.JitWarmup")!;
        var compiled = (Task<int>)warmUp.GetProperty("Completed")!.GetValue(null)!;
        Console.WriteLine($"rows {x.RowCount}");
        Console.WriteLine($"warm-up enabled {warmUp.GetProperty("Enabled")!.GetValue(null)}, compiled {compiled.Result}");
        Console.WriteLine("copies of MathNet.Numerics " +
            AppDomain.CurrentDomain.GetAssemblies().Count(a => a.GetName().Name == "MathNet.Numerics"));
        """,
    ];

    [SkippableFact]
    public void The_library_loads_one_copy_of_MathNet_and_starts_no_thread_that_could_load_a_second()
    {
        kernel.Require();
        var outputs = CodeCellOutputs(kernel.Execute(OfficialKernelSpec.ScratchNotebook("loading", Cells)));

        // The warm-up does not run under the official kernel's loader, so no thread races the cell; and one copy.
        Assert.Equal("rows 2\nwarm-up enabled False, compiled 0\ncopies of MathNet.Numerics 1\n", StreamText(outputs[1]));
    }
}
