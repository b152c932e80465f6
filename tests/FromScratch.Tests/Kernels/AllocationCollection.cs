namespace FromScratch.Tests.Kernels;

/// <summary>
/// The tests that count bytes allocated by a training step or a product run alone, after the parallel ones: other
/// tests' threaded products share the GEMM helper threads, and a caller that finds them busy takes another path.
/// </summary>
[CollectionDefinition("Allocation", DisableParallelization = true)]
public class AllocationCollection;
