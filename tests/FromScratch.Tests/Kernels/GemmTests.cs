using FromScratch.Kernels;
using MathNet.Numerics.LinearAlgebra;

namespace FromScratch.Tests.Kernels;

[Collection("Allocation")]
public class GemmTests
{
    private static readonly MatrixBuilder<double> M = Matrix<double>.Build;

    /// <summary>A matrix of uniform numbers in [−1, 1) from a seeded generator.</summary>
    private static Matrix<double> Random(int rows, int columns, Random rng) =>
        M.Dense(rows, columns, (_, _) => 2 * rng.NextDouble() - 1);

    /// <summary>The stored shape of X such that op(X) is rows×columns.</summary>
    private static Matrix<double> RandomOperand(Op op, int rows, int columns, Random rng) =>
        op == Op.Identity ? Random(rows, columns, rng) : Random(columns, rows, rng);

    /// <summary>
    /// Checks fast against reference for one product. Rounding differs (blocking, FMA), so elementwise agreement is
    /// asserted relative to the size of what was summed: |fast − ref| ≤ 1e-12·(|α|·Σₚ|op(A)ᵢₚ·op(B)ₚⱼ| + |β|·|C⁰ᵢⱼ|).
    /// </summary>
    private static void AssertAgrees(int m, int n, int k, Op opA, Op opB, double alpha, double beta, Random rng,
        Threading threading = Threading.SingleThread, Gemm.Kernel? kernel = null)
    {
        var a = RandomOperand(opA, m, k, rng);
        var b = RandomOperand(opB, k, n, rng);
        var c0 = Random(m, n, rng);
        var expected = c0.Clone();
        var actual = c0.Clone();

        ReferenceGemm.Multiply(alpha, a, opA, b, opB, beta, expected);
        Gemm.Multiply(alpha, DenseView.Of(a), opA, DenseView.Of(b), opB, beta, DenseView.Of(actual), threading, kernel ?? Gemm.DefaultKernel);

        var opAm = opA == Op.Identity ? a : a.Transpose();
        var opBm = opB == Op.Identity ? b : b.Transpose();
        var magnitude = opAm.PointwiseAbs() * opBm.PointwiseAbs() * Math.Abs(alpha) + c0.PointwiseAbs() * Math.Abs(beta);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double tolerance = 1e-12 * magnitude[i, j] + 1e-300;
                Assert.True(Math.Abs(actual[i, j] - expected[i, j]) <= tolerance,
                    $"{m}×{k}·{k}×{n} {opA}/{opB} α={alpha} β={beta} {threading} {kernel}: C[{i},{j}] fast {actual[i, j]:R} vs reference {expected[i, j]:R}");
            }
    }

    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 1 }, { 2, 2, 2 }, { 1, 7, 3 }, { 7, 1, 3 }, { 3, 5, 7 }, { 8, 6, 1 }, { 8, 6, 4 }, { 9, 7, 13 },
        { 16, 12, 256 }, { 17, 13, 257 }, { 95, 97, 31 }, { 97, 11, 300 }, { 193, 20, 513 },
        // the lesson shapes: the toy layer, the digits network 64-32-10 (batch 32), MNIST-sized 784-128-10 (batch 64)
        { 32, 32, 64 }, { 64, 32, 64 }, { 10, 32, 32 }, { 32, 64, 10 },
        { 128, 64, 784 }, { 128, 784, 64 }, { 784, 64, 128 }, { 64, 128, 784 }, { 10, 64, 128 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Fast_matches_reference_for_every_transpose_combination(int m, int n, int k)
    {
        var rng = new Random(1000 * m + 10 * n + k);
        foreach (Op opA in new[] { Op.Identity, Op.Transpose })
            foreach (Op opB in new[] { Op.Identity, Op.Transpose })
                AssertAgrees(m, n, k, opA, opB, 1.0, 0.0, rng);
    }

    [Theory]
    [InlineData(0.5, 0.0)]
    [InlineData(1.0, 1.0)]
    [InlineData(-0.25, -0.7)]
    [InlineData(0.0, 2.0)]
    [InlineData(3.0, 0.5)]
    public void Fast_matches_reference_for_alpha_and_beta(double alpha, double beta)
    {
        var rng = new Random(7);
        foreach (var (m, n, k) in new[] { (1, 1, 1), (13, 9, 5), (64, 32, 64), (100, 50, 300) })
            foreach (Op opA in new[] { Op.Identity, Op.Transpose })
                foreach (Op opB in new[] { Op.Identity, Op.Transpose })
                    AssertAgrees(m, n, k, opA, opB, alpha, beta, rng);
    }

    [Fact]
    public void The_library_is_compiled_for_the_optimizing_JIT_even_in_a_Debug_build()
    {
        // The notebook tool and this test project build Debug. Without <Optimize>true</Optimize> in FromScratch.csproj the
        // JIT would leave every vector intrinsic of the kernels as a call (the GEMM workload: 2.5 ms instead of 0.19 ms).
        var debuggable = typeof(Gemm).Assembly.GetCustomAttributes(typeof(System.Diagnostics.DebuggableAttribute), false)
            .Cast<System.Diagnostics.DebuggableAttribute>().SingleOrDefault();
        Assert.False(debuggable?.IsJITOptimizerDisabled ?? false, "FromScratch.dll was compiled with optimizations off");
    }

    [Fact]
    public void The_default_kernel_is_the_widest_one_the_CPU_accelerates()
    {
        var expected = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Avx512F.IsSupported
            ? Gemm.Kernel.Avx512
            : System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated
                ? (System.Runtime.Intrinsics.X86.Fma.IsSupported ? Gemm.Kernel.Fma : Gemm.Kernel.Vector)
            : System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated ? Gemm.Kernel.Vector128 // ARM64
            : Gemm.Kernel.Scalar;
        Assert.Equal(expected, Gemm.DefaultKernel);
        Assert.True(Gemm.IsSupported(Gemm.DefaultKernel));
        Assert.Equal(Gemm.DefaultKernel == Gemm.Kernel.Avx512 ? (16, 8) : (8, 6), Gemm.Tile(Gemm.DefaultKernel));
    }

    /// <summary>Every micro-kernel by name (the tests force each one, including those the CPU would not choose).</summary>
    public static TheoryData<string> EveryKernel => new(Enum.GetNames<Gemm.Kernel>());

    /// <summary>The kernel named <paramref name="kernelName"/>; the test is skipped where this CPU cannot run it.</summary>
    private static Gemm.Kernel SupportedKernel(string kernelName)
    {
        var kernel = Enum.Parse<Gemm.Kernel>(kernelName);
        Skip.IfNot(Gemm.IsSupported(kernel), $"this CPU has no {kernelName} instructions; the other kernels are still checked");
        return kernel;
    }

    [SkippableTheory]
    [MemberData(nameof(EveryKernel))]
    public void Every_micro_kernel_matches_reference(string kernelName)
    {
        var kernel = SupportedKernel(kernelName);
        var rng = new Random(11);
        // Whole tiles of both geometries (8×6, 16×8), edges in rows and columns, several packed blocks in every dimension.
        foreach (var (m, n, k) in new[] { (1, 1, 1), (8, 6, 3), (16, 8, 5), (23, 19, 300), (33, 17, 2), (64, 128, 100), (113, 30, 300), (9, 2030, 7) })
            foreach (Op opA in new[] { Op.Identity, Op.Transpose })
                foreach (Op opB in new[] { Op.Identity, Op.Transpose })
                    AssertAgrees(m, n, k, opA, opB, 0.75, 0.5, rng, Threading.SingleThread, kernel);
    }

    [Theory]
    [InlineData(64, 128, 784)]  // wide C: split by columns
    [InlineData(784, 64, 128)]  // tall C: split by rows
    [InlineData(9, 7, 5)]
    [InlineData(3, 2100, 5)]    // more columns than one packed block (NC)
    public void Threaded_product_matches_reference(int m, int n, int k)
    {
        var rng = new Random(5);
        foreach (Op opA in new[] { Op.Identity, Op.Transpose })
            foreach (Op opB in new[] { Op.Identity, Op.Transpose })
                AssertAgrees(m, n, k, opA, opB, 1.5, -0.5, rng, Threading.AllCores);
    }

    [Fact]
    public void Randomized_shapes_match_reference()
    {
        var rng = new Random(20240601);
        for (int trial = 0; trial < 300; trial++)
        {
            int m = rng.Next(1, 40), n = rng.Next(1, 40), k = rng.Next(1, 300);
            Op opA = rng.Next(2) == 0 ? Op.Identity : Op.Transpose;
            Op opB = rng.Next(2) == 0 ? Op.Identity : Op.Transpose;
            double alpha = Math.Round(4 * rng.NextDouble() - 2, 2), beta = rng.Next(3) - 1;
            var threading = rng.Next(4) == 0 ? Threading.AllCores : Threading.SingleThread;
            AssertAgrees(m, n, k, opA, opB, alpha, beta, rng, threading);
        }
    }

    [Fact]
    public void Beta_zero_overwrites_C_without_reading_it()
    {
        var rng = new Random(3);
        var a = Random(9, 5, rng);
        var b = Random(5, 7, rng);
        var c = M.Dense(9, 7, double.NaN);
        Gemm.Multiply(1.0, a, Op.Identity, b, Op.Identity, 0.0, c);
        var expected = a * b;
        Assert.True((c - expected).Enumerate().All(d => Math.Abs(d) < 1e-14), "NaN in C leaked into the result");
    }

    /// <summary>A view of a <paramref name="rows"/>×<paramref name="columns"/> matrix stored with a column stride of
    /// rows + 3 and 5 numbers in front, inside storage filled with NaN: any number read from outside it shows.</summary>
    private static DenseView PaddedView(int rows, int columns, Random rng)
    {
        int stride = rows + 3, offset = 5;
        var data = Enumerable.Repeat(double.NaN, offset + stride * columns + 3).ToArray();
        for (int j = 0; j < columns; j++)
            for (int i = 0; i < rows; i++)
                data[offset + i + j * stride] = 2 * rng.NextDouble() - 1;
        return new DenseView(data, offset, rows, columns, stride);
    }

    private static double[] Product(Gemm.Kernel kernel, bool inPlace, double alpha, DenseView a, DenseView b, Op opB, double beta,
        double[] c0, int m)
    {
        var c = (double[])c0.Clone();
        var cView = new DenseView(c, 0, m, c.Length / m, m);
        Gemm.Multiply(alpha, a, Op.Identity, b, opB, beta, cView, Threading.SingleThread, kernel, inPlace);
        return c;
    }

    [SkippableTheory]
    [MemberData(nameof(EveryKernel))]
    public void An_operand_read_in_place_gives_the_same_bits_as_a_packed_one(string kernelName)
    {
        // A·Bᵀ: op(A) = A and op(B) = Bᵀ can be read where they are stored, one column stride per step, when the slab is
        // whole micro-tiles (48 rows, 48 columns: whole 16×8 and 8×6 tiles), or packed first; A·B: the AVX-512 kernel
        // also reads op(B) = B in place, each of a strip's columns down its p. Every kernel, forced both ways, must
        // compute every number of C the same way: equal to the last bit. k = 300 takes two pieces of k (the first
        // writes C, the second adds to it); β = 0 must never read C (it holds NaN), β = 0.5 must scale it; the operands
        // sit in NaN-padded storage with a stride of their own, so a read outside them shows.
        var kernel = SupportedKernel(kernelName);
        var rng = new Random(29);
        foreach (var opB in new[] { Op.Transpose, Op.Identity })
            foreach (var (m, n, k) in new[] { (48, 48, 300), (48, 48, 7), (48, 47, 300), (47, 48, 300) })
            {
                var a = PaddedView(m, k, rng);                                               // stored m×k
                var b = opB == Op.Transpose ? PaddedView(n, k, rng) : PaddedView(k, n, rng); // stored n×k or k×n
                foreach (double beta in new[] { 0.0, 0.5 })
                {
                    string product = $"{m}×{k}·{k}×{n} ({(opB == Op.Transpose ? "A·Bᵀ" : "A·B")}) β={beta} {kernelName}";
                    var c0 = Enumerable.Range(0, m * n).Select(i => beta == 0 ? double.NaN : Math.Sin(i)).ToArray();
                    var inPlace = Product(kernel, true, 0.75, a, b, opB, beta, c0, m);
                    var packed = Product(kernel, false, 0.75, a, b, opB, beta, c0, m);
                    for (int i = 0; i < inPlace.Length; i++)
                    {
                        Assert.False(double.IsNaN(inPlace[i]), $"{product}: C[{i % m},{i / m}] is NaN");
                        Assert.True(BitConverter.DoubleToInt64Bits(inPlace[i]) == BitConverter.DoubleToInt64Bits(packed[i]),
                            $"{product}: C[{i % m},{i / m}] in place {inPlace[i]:R}, packed {packed[i]:R}");
                    }
                    var reference = M.Dense(m, n, (i, j) => beta == 0 ? 0 : c0[i + j * m]);
                    var aDense = M.Dense(m, k, (i, p) => a[i, p]);
                    var bDense = M.Dense(b.Rows, b.Columns, (i, j) => b[i, j]);
                    ReferenceGemm.Multiply(0.75, aDense, Op.Identity, bDense, opB, beta, reference);
                    for (int j = 0; j < n; j++)
                        for (int i = 0; i < m; i++)
                            Assert.True(Math.Abs(inPlace[i + j * m] - reference[i, j]) <= 1e-12 * (1 + k),
                                $"{product}: C[{i},{j}] {inPlace[i + j * m]:R} vs reference {reference[i, j]:R}");
                }
            }
    }

    [Fact]
    public void The_step_products_of_784_128_10_read_W_and_X_in_place_with_AVX_512()
    {
        Assert.True(Gemm.InPlaceByDefault(Gemm.Kernel.Avx512));
        Assert.False(Gemm.InPlaceByDefault(Gemm.Kernel.Fma));     // measured: no gain with AVX2, a loss without FMA
        Assert.False(Gemm.InPlaceByDefault(Gemm.Kernel.Vector));
        var (mr, nr) = Gemm.Tile(Gemm.Kernel.Avx512);
        // Z¹ = W¹·X: W¹ (128×784) is read in place, and X (the batch, op = Identity) column by column, by AVX-512 only.
        Assert.True(GemmBlocked.ReadsAInPlace(Op.Identity, 128, mr));
        Assert.False(GemmBlocked.ReadsBInPlace(Op.Identity, 64, nr));
        Assert.True(GemmBlocked.ReadsColumnsOfBInPlace(Gemm.Kernel.Avx512, Op.Identity, 64, nr));
        Assert.False(GemmBlocked.ReadsColumnsOfBInPlace(Gemm.Kernel.Fma, Op.Identity, 64, 6));
        Assert.False(GemmBlocked.ReadsColumnsOfBInPlace(Gemm.Kernel.Avx512, Op.Transpose, 64, nr));
        Assert.False(GemmBlocked.ReadsColumnsOfBInPlace(Gemm.Kernel.Avx512, Op.Identity, 60, nr)); // a padded last strip
        // dW¹ = (1/m)·dZ¹·Xᵀ, each core 392 of its 784 columns: dZ¹ and Xᵀ both in place.
        Assert.True(GemmBlocked.ReadsAInPlace(Op.Identity, 128, mr) && GemmBlocked.ReadsBInPlace(Op.Transpose, 392, nr));
        // dA = Wᵀ·dZ needs op(A) = Wᵀ packed; a slab that is not whole strips is packed (its last strip is padded).
        Assert.False(GemmBlocked.ReadsAInPlace(Op.Transpose, 128, mr));
        Assert.False(GemmBlocked.ReadsAInPlace(Op.Identity, 10, mr));
    }

    [Fact]
    public void Matrix_overload_computes_the_three_backprop_products()
    {
        var rng = new Random(42);
        var w = Random(32, 64, rng);      // W: n_l × n_(l−1)
        var aPrev = Random(64, 32, rng);  // A_prev: n_(l−1) × m
        var dZ = Random(32, 32, rng);     // dZ: n_l × m
        var z = M.Dense(32, 32);
        var dW = M.Dense(32, 64);
        var dAPrev = M.Dense(64, 32);

        Gemm.Multiply(1.0, w, Op.Identity, aPrev, Op.Identity, 0.0, z);             // Z = W·A_prev
        Gemm.Multiply(1.0 / 32, dZ, Op.Identity, aPrev, Op.Transpose, 0.0, dW);     // dW = (1/m)·dZ·A_prevᵀ
        Gemm.Multiply(1.0, w, Op.Transpose, dZ, Op.Identity, 0.0, dAPrev);           // dA_prev = Wᵀ·dZ

        Assert.True((z - w * aPrev).InfinityNorm() < 1e-12);
        Assert.True((dW - dZ * aPrev.Transpose() / 32).InfinityNorm() < 1e-12);
        Assert.True((dAPrev - w.Transpose() * dZ).InfinityNorm() < 1e-12);
    }

    [Fact]
    public void A_view_of_columns_multiplies_a_mini_batch_in_place()
    {
        var rng = new Random(8);
        var w = Random(5, 4, rng);
        var x = Random(4, 10, rng);          // 10 samples, one per column
        var z = M.Dense(5, 10, -1.0);
        Gemm.Multiply(1.0, DenseView.Of(w), Op.Identity, DenseView.OfColumns(x, 3, 4), Op.Identity, 0.0, DenseView.OfColumns(z, 3, 4));

        var expected = w * x.SubMatrix(0, 4, 3, 4);
        for (int j = 0; j < 10; j++)
            for (int i = 0; i < 5; i++)
                if (j is >= 3 and < 7)
                    Assert.Equal(expected[i, j - 3], z[i, j], 1e-14);
                else
                    Assert.Equal(-1.0, z[i, j]); // columns outside the view are untouched
    }

    [Fact]
    public void Mismatched_shapes_throw_naming_every_shape()
    {
        var a = M.Dense(3, 4);
        var b = M.Dense(5, 2);
        var c = M.Dense(3, 2);
        var e = Assert.Throws<ArgumentException>(() => Gemm.Multiply(1, a, Op.Identity, b, Op.Identity, 0, c));
        Assert.Contains("3×4", e.Message);
        Assert.Contains("5×2", e.Message);
        Assert.Contains("3×2", e.Message);

        var wrongC = M.Dense(4, 2);
        var e2 = Assert.Throws<ArgumentException>(() => ReferenceGemm.Multiply(1, a, Op.Transpose, M.Dense(3, 2), Op.Identity, 0, M.Dense(3, 2)));
        Assert.Contains("Aᵀ is 4×3", e2.Message);
        Assert.Contains("C must be 4×2", e2.Message);
        Gemm.Multiply(1, a, Op.Transpose, M.Dense(3, 2), Op.Identity, 0, wrongC); // the right shape passes
    }

    [Fact]
    public void C_sharing_storage_with_an_input_is_refused()
    {
        var a = M.Dense(3, 3, 1.0);
        var e = Assert.Throws<ArgumentException>(() => Gemm.Multiply(1, a, Op.Identity, M.Dense(3, 3), Op.Identity, 0, a));
        Assert.Contains("share storage", e.Message);
    }

    [Fact]
    public void Sparse_matrices_are_refused_with_their_type()
    {
        var sparse = Matrix<double>.Build.Sparse(3, 3);
        var e = Assert.Throws<ArgumentException>(() => Gemm.Multiply(1, sparse, Op.Identity, M.Dense(3, 3), Op.Identity, 0, M.Dense(3, 3)));
        Assert.Contains("SparseMatrix", e.Message);
    }

    [Theory]
    [InlineData(64, 128, 784)]
    [InlineData(784, 64, 128)]
    [InlineData(7, 5, 3)]
    public void Single_threaded_product_allocates_nothing_after_warm_up(int m, int n, int k)
    {
        var rng = new Random(1);
        var a = Random(m, k, rng);
        var b = Random(n, k, rng);
        var c = M.Dense(m, n);
        Gemm.Multiply(1.0, a, Op.Identity, b, Op.Transpose, 0.0, c, Threading.SingleThread); // warm-up: packing buffers
        long allocated = Allocations.FewestBytes(() =>
        {
            for (int r = 0; r < 3; r++)
                Gemm.Multiply(1.0, a, Op.Identity, b, Op.Transpose, 0.5, c, Threading.SingleThread);
        });
        Assert.Equal(0, allocated);
        Assert.True(c.Enumerate().Any(x => x != 0), "the product was not computed");
    }

    [Fact]
    public void Threaded_products_one_after_another_never_mix_their_slabs()
    {
        // Helpers claim slabs of whichever product is published; one that wakes late must not write into the next
        // product. Many short threaded products of different shapes (different slab counts) in a row, each checked.
        var rng = new Random(77);
        for (int trial = 0; trial < 400; trial++)
        {
            int m = rng.Next(1, 60), n = rng.Next(1, 60), k = rng.Next(1, 40);
            AssertAgrees(m, n, k, Op.Identity, rng.Next(2) == 0 ? Op.Identity : Op.Transpose, 1.0, 0.0, rng, Threading.AllCores);
        }
    }

    [Fact]
    public void Threaded_products_from_several_callers_at_once_match_reference()
    {
        // One caller at a time gets the helpers; the others run on their own thread. All must be right.
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 4, caller =>
        {
            var rng = new Random(100 + caller);
            for (int trial = 0; trial < 30; trial++)
            {
                try { AssertAgrees(rng.Next(20, 90), rng.Next(20, 90), rng.Next(10, 120), Op.Identity, Op.Transpose, 1.0, 0.5, rng, Threading.AllCores); }
                catch (Exception e) { failures.Add(e.Message); }
            }
        });
        Assert.Empty(failures);
    }

    [Fact]
    public void Threaded_product_allocates_nothing_on_the_calling_thread_after_warm_up()
    {
        var rng = new Random(2);
        var a = Random(128, 64, rng);
        var b = Random(784, 64, rng);
        var c = M.Dense(128, 784);
        var x = Random(64, 784, rng); var w = Random(784, 128, rng); var xw = M.Dense(64, 128); // wide: column slabs
        Gemm.Multiply(1.0, a, Op.Identity, b, Op.Transpose, 0.0, c, Threading.AllCores); // warm-up: helpers, packing buffers
        Gemm.Multiply(1.0, x, Op.Identity, w, Op.Identity, 0.0, xw, Threading.AllCores);
        long allocated = Allocations.FewestBytes(() =>
        {
            for (int r = 0; r < 3; r++)
            {
                Gemm.Multiply(1.0, a, Op.Identity, b, Op.Transpose, 0.0, c, Threading.AllCores);
                Gemm.Multiply(1.0, x, Op.Identity, w, Op.Identity, 0.0, xw, Threading.AllCores);
            }
        });
        Assert.Equal(0, allocated);
        Assert.True((a * b.Transpose() - c).Enumerate().Max(Math.Abs) < 1e-12, "the threaded product differs from MathNet's");
        Assert.True((x * w - xw).Enumerate().Max(Math.Abs) < 1e-11, "the wide threaded product differs from MathNet's");
    }
}
