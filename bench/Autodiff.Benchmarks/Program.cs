using System;
using Autodiff.Benchmarks.ADBench;
using BenchmarkDotNet.Running;

namespace Autodiff.Benchmarks;

/// <summary>
/// Entry point. <c>gemm-gflops</c> runs the quick matrix-multiply measurement
/// (<see cref="GemmGflops"/>), <c>train-steps</c> the quick training-step timings
/// (<see cref="TrainingStepTimes"/>), <c>adbench</c> the quick table of the ADBench objectives
/// (<see cref="ADBenchTimes"/>), <c>checkpoint</c> split against [Checkpoint]ed calls
/// (<see cref="Checkpointing.CheckpointTimes"/>), <c>tangent</c> forward mode on one-input functions
/// (<see cref="ForwardMode.ForwardModeTimes"/>), <c>hvp</c> Hessian-vector products
/// (<see cref="ForwardMode.HessianVectorTimes"/>), <c>cnn-step</c> the DigitsCnn sample's training step and its parts
/// (<see cref="Cnn.CnnStepTimes"/>); anything else goes to BenchmarkDotNet, which finds every
/// benchmark class in this assembly (<c>--filter '*Gemm*'</c>, <c>--list flat</c>, ...).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == GemmGflops.Command)
        {
            return GemmGflops.Run(args.AsSpan(1));
        }
        if (args.Length > 0 && args[0] == TrainingStepTimes.Command)
        {
            return TrainingStepTimes.Run(args.AsSpan(1));
        }
        if (args.Length > 0 && args[0] == Checkpointing.CheckpointTimes.Command)
        {
            return Checkpointing.CheckpointTimes.Run(args.AsSpan(1));
        }
        if (args.Length > 0 && args[0] == ForwardMode.ForwardModeTimes.Command)
        {
            return ForwardMode.ForwardModeTimes.Run(args.AsSpan(1));
        }
        if (args.Length > 0 && args[0] == ForwardMode.HessianVectorTimes.Command)
        {
            return ForwardMode.HessianVectorTimes.Run(args.AsSpan(1));
        }
        if (args.Length > 0 && args[0] == Cnn.CnnStepTimes.Command)
        {
            return Cnn.CnnStepTimes.Run(args.AsSpan(1));
        }
        if (args.Length > 0 && args[0] == ADBenchTimes.Command)
        {
            return ADBenchTimes.Run(args.AsSpan(1));
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
