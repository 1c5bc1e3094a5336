using System.Runtime.CompilerServices;

// The kernel tests force the portable micro-kernels and the size thresholds (Gemm.Kernel,
// Gemm.SmallProductLimit, ...) so that every path runs on whatever machine runs the tests.
[assembly: InternalsVisibleTo("Autodiff.Kernels.Tests")]

// The benchmarks time the pieces of a convolution (im2col, the array-route products, col2im) alone.
[assembly: InternalsVisibleTo("Autodiff.Benchmarks")]
