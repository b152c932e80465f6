using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SimdVector = System.Numerics.Vector<double>; // several numbers at once (not MathNet's Vector<double>)

namespace FromScratch.Kernels;

/// <summary>
/// Elementwise +, − and × over spans, several numbers at a time, compiled optimized from their first call. They
/// replace TensorPrimitives on the training step: TensorPrimitives' generic operators run as unoptimized code
/// (every vector operation a call) until the runtime recompiles them, which took the first half second of a fresh
/// process and doubled the time of its first trainings (bench/README.md, issue 20). Each result is the correctly
/// rounded sum, difference or product of two numbers, so the vector and scalar loops give the same bits.
/// </summary>
internal static class SpanArithmetic
{
    /// <summary>
    /// into[i] = x[i], for spans that do not overlap. The step's copies go through this loop, not Span.CopyTo: the
    /// runtime recompiles CoreLib's Memmove and Clear with profiling probes once they are hot, and the step ran about
    /// 25% slower until their final recompilation, up to a few hundred repetitions later (bench/README.md, issue 20).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Copy(ReadOnlySpan<double> x, Span<double> into)
    {
        Check(x.Length, x.Length, into.Length);
        var xs = MemoryMarshal.Cast<double, SimdVector>(x);
        var zs = MemoryMarshal.Cast<double, SimdVector>(into);
        for (int i = 0; i < zs.Length; i++) zs[i] = xs[i];
        for (int i = zs.Length * SimdVector.Count; i < into.Length; i++) into[i] = x[i];
    }

    /// <summary>into[i] = 0 (instead of Span.Clear, for the reason given at <see cref="Copy"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Clear(Span<double> into)
    {
        var zs = MemoryMarshal.Cast<double, SimdVector>(into);
        for (int i = 0; i < zs.Length; i++) zs[i] = SimdVector.Zero;
        for (int i = zs.Length * SimdVector.Count; i < into.Length; i++) into[i] = 0;
    }

    /// <summary>into[i] = x[i] + y[i] (<paramref name="into"/> may be <paramref name="x"/> or <paramref name="y"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Add(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> into)
    {
        Check(x.Length, y.Length, into.Length);
        var xs = MemoryMarshal.Cast<double, SimdVector>(x);
        var ys = MemoryMarshal.Cast<double, SimdVector>(y);
        var zs = MemoryMarshal.Cast<double, SimdVector>(into);
        for (int i = 0; i < zs.Length; i++) zs[i] = xs[i] + ys[i];
        for (int i = zs.Length * SimdVector.Count; i < into.Length; i++) into[i] = x[i] + y[i];
    }

    /// <summary>into[i] = x[i] − y[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Subtract(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> into)
    {
        Check(x.Length, y.Length, into.Length);
        var xs = MemoryMarshal.Cast<double, SimdVector>(x);
        var ys = MemoryMarshal.Cast<double, SimdVector>(y);
        var zs = MemoryMarshal.Cast<double, SimdVector>(into);
        for (int i = 0; i < zs.Length; i++) zs[i] = xs[i] - ys[i];
        for (int i = zs.Length * SimdVector.Count; i < into.Length; i++) into[i] = x[i] - y[i];
    }

    /// <summary>into[i] = x[i] · y[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> into)
    {
        Check(x.Length, y.Length, into.Length);
        var xs = MemoryMarshal.Cast<double, SimdVector>(x);
        var ys = MemoryMarshal.Cast<double, SimdVector>(y);
        var zs = MemoryMarshal.Cast<double, SimdVector>(into);
        for (int i = 0; i < zs.Length; i++) zs[i] = xs[i] * ys[i];
        for (int i = zs.Length * SimdVector.Count; i < into.Length; i++) into[i] = x[i] * y[i];
    }

    /// <summary>into[i] = x[i] · c.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(ReadOnlySpan<double> x, double c, Span<double> into)
    {
        Check(x.Length, x.Length, into.Length);
        var xs = MemoryMarshal.Cast<double, SimdVector>(x);
        var zs = MemoryMarshal.Cast<double, SimdVector>(into);
        var cs = new SimdVector(c);
        for (int i = 0; i < zs.Length; i++) zs[i] = xs[i] * cs;
        for (int i = zs.Length * SimdVector.Count; i < into.Length; i++) into[i] = x[i] * c;
    }

    private static void Check(int x, int y, int into)
    {
        if (x != y || x != into)
            throw new ArgumentException($"The spans differ in length: {x}, {y} and {into} numbers.");
    }
}
