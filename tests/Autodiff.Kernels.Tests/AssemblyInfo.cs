using Xunit;

// The tests steer Gemm through process-wide settings (kernel, size thresholds, MaxThreads);
// run one at a time so that no test sees another's settings.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
