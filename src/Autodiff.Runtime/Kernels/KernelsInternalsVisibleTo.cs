using System.Runtime.CompilerServices;

// The kernel tests force the portable micro-kernels and the size thresholds (Gemm.Kernel,
// Gemm.SmallProductLimit, ...) so that every path runs on whatever machine runs the tests.
[assembly: InternalsVisibleTo("Autodiff.Kernels.Tests")]
