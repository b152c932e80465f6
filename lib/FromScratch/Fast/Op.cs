namespace FromScratch.Kernels;

/// <summary>What a matrix product does to an operand before multiplying: use it as it is, or its transpose.</summary>
internal enum Op
{
    /// <summary>op(X) = X.</summary>
    Identity,

    /// <summary>op(X) = Xᵀ (read the stored matrix by rows instead of columns; nothing is copied).</summary>
    Transpose,
}

/// <summary>Whether <see cref="Gemm"/> may split a product over several cores.</summary>
internal enum Threading
{
    /// <summary>Split only when the product is big enough to gain (see <see cref="Gemm.ParallelThresholdFlops"/>).</summary>
    Auto,

    /// <summary>Always run on the calling thread.</summary>
    SingleThread,

    /// <summary>Split over the cores whenever the product has at least two tiles (for benchmarks).</summary>
    AllCores,
}
