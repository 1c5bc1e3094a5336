using System;

namespace Autodiff.Gradients.Tests.Harness;

/// <summary>Bytes a step allocates on this thread once warmed up (buffers grown, workspaces filled).</summary>
public static class Allocations
{
    /// <summary>Runs <paramref name="step"/> <paramref name="warmUp"/> times, then returns what <paramref name="steps"/> more runs allocate in all.</summary>
    public static long OfSteadyState(Action step, int warmUp = 3, int steps = 10)
    {
        for (int i = 0; i < warmUp; i++)
        {
            step();
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < steps; i++)
        {
            step();
        }
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
