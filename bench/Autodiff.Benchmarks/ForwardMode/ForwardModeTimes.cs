using System;
using System.Globalization;
using Autodiff.Benchmarks.ADBench;

namespace Autodiff.Benchmarks.ForwardMode;

/// <summary>
/// <c>tangent</c>: the derivative of one-input functions by forward mode (FTangent with tangent 1)
/// and by reverse mode (FGradient), against the function itself; medians of interleaved runs, as
/// <c>adbench</c> measures. The floor of issue 9 is FTangent at most 1.5x the function.
/// </summary>
public static class ForwardModeTimes
{
    public const string Command = "tangent";

    private static double s_sink;

    public static int Run(ReadOnlySpan<string> args)
    {
        int runs = args.Length >= 2 && args[0] == "--runs" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 11;
        Console.WriteLine($"# .NET {Environment.Version}, {Environment.ProcessorCount} cores; {runs} runs per case");
        Console.WriteLine();
        Console.WriteLine("| function | F | FTangent | FGradient | tangent / F | gradient / F | allocated per tangent | per gradient | derivative (tangent, gradient) |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        Row("Oscillator(k, 10,000 steps)", () => OneInputFunctions.Oscillator(2.0, 10_000),
            () => OneInputFunctions.OscillatorTangent(2.0, 10_000, 1.0).Tangent, () => Gradient(OneInputFunctions.OscillatorGradient(2.0, 10_000, out double d), d), runs);
        Row("BesselJ0(x, 200 terms)", () => OneInputFunctions.BesselJ0(3.7, 200),
            () => OneInputFunctions.BesselJ0Tangent(3.7, 200, 1.0).Tangent, () => Gradient(OneInputFunctions.BesselJ0Gradient(3.7, 200, out double d), d), runs);
        Row("Logistic(r, 1,000 steps)", () => OneInputFunctions.Logistic(2.9, 1_000),
            () => OneInputFunctions.LogisticTangent(2.9, 1_000, 1.0).Tangent, () => Gradient(OneInputFunctions.LogisticGradient(2.9, 1_000, out double d), d), runs);
        Row("Neuron(w), straight-line", () => Batch(w => OneInputFunctions.Neuron(w)),
            () => Batch(w => OneInputFunctions.NeuronTangent(w, 1.0).Tangent), () => Batch(w => Gradient(OneInputFunctions.NeuronGradient(w, out double d), d)), runs);
        return 0;
    }

    /// <summary>The derivative, so that the call is not dead code; the value is checked elsewhere.</summary>
    private static double Gradient(double value, double derivative) => derivative + 0 * value;

    /// <summary>1,000 points per call for the nanosecond-scale straight-line function.</summary>
    private static double Batch(Func<double, double> f)
    {
        double sum = 0;
        for (int i = 0; i < 1000; i++)
        {
            sum += f(0.001 * i - 0.5);
        }
        return sum;
    }

    private static void Row(string name, Func<double> f, Func<double> tangent, Func<double> gradient, int runs)
    {
        ADBenchTimes.Measured m = ADBenchTimes.Measure([f, tangent, gradient], runs);
        string derivatives = tangent().ToString("G6", CultureInfo.InvariantCulture) + ", " + gradient().ToString("G6", CultureInfo.InvariantCulture);
        Console.WriteLine($"| {name} | {Us(m.Median[0])} µs | {Us(m.Median[1])} µs | {Us(m.Median[2])} µs | {m.Median[1] / m.Median[0]:F2}x | {m.Median[2] / m.Median[0]:F2}x | {m.Allocated[1]} B | {m.Allocated[2]} B | {derivatives} |");
        s_sink += m.Median[0];
    }

    private static string Us(double seconds) => (seconds * 1e6).ToString(seconds * 1e6 >= 100 ? "F0" : "F2", CultureInfo.InvariantCulture);
}
