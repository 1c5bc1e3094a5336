using System;

namespace Autodiff.Benchmarks.ADBench;

/// <summary>
/// ADBench's LSTM objective, transcribed with plain loops over ADBench's layout: the mean
/// negative log-likelihood of each character of a sequence given the ones before it.
/// </summary>
/// <remarks>
/// <para><c>mainParams[2·l·4·b]</c>: per layer (8·b values), the weights of the forget, input,
/// output and change gates (b each), then their biases in the same order. <c>extraParams[3·b]</c>:
/// the input weights, the output weights, the output biases. <c>state[2·l·b]</c>: per layer, the
/// hidden values, then the cell values; the objective works on a copy. <c>sequence[c·b]</c>:
/// c characters of b values each.</para>
/// <para>As in ADBench's definition, the forget and output gates read the layer's input and the
/// input and change gates the layer's previous hidden values; each step's prediction is
/// normalised by log(Σ exp(y) + 2).</para>
/// </remarks>
public static partial class Lstm
{
    public static int MainParamsLength(int l, int b) => 2 * l * 4 * b;

    public static int ExtraParamsLength(int b) => 3 * b;

    public static int StateLength(int l, int b) => 2 * l * b;

    [Differentiable]
    public static double Objective(double[] mainParams, double[] extraParams, [NoGrad] double[] state,
        [NoGrad] double[] sequence, int l, int c, int b)
    {
        double[] s = new double[2 * l * b];
        for (int i = 0; i < 2 * l * b; i++)
        {
            s[i] = state[i];
        }
        double[] ypred = new double[b];
        double total = 0;
        int count = 0;
        for (int t = 0; t < c - 1; t++)
        {
            // Predict: scale the input, run it through the layers, scale the last hidden state.
            for (int i = 0; i < b; i++)
            {
                ypred[i] = sequence[t * b + i] * extraParams[i];
            }
            for (int layer = 0; layer < l; layer++)
            {
                int p = 8 * b * layer;
                int hidden = 2 * b * layer;
                int cell = hidden + b;
                for (int i = 0; i < b; i++)
                {
                    // The layer's input: the scaled character, or the hidden values of the layer below.
                    double input = layer == 0 ? ypred[i] : s[hidden - 2 * b + i];
                    double forget = Sigmoid(input * mainParams[p + i] + mainParams[p + 4 * b + i]);
                    double ingate = Sigmoid(s[hidden + i] * mainParams[p + b + i] + mainParams[p + 5 * b + i]);
                    double outgate = Sigmoid(input * mainParams[p + 2 * b + i] + mainParams[p + 6 * b + i]);
                    double change = Math.Tanh(s[hidden + i] * mainParams[p + 3 * b + i] + mainParams[p + 7 * b + i]);
                    s[cell + i] = s[cell + i] * forget + ingate * change;
                    s[hidden + i] = outgate * Math.Tanh(s[cell + i]);
                }
            }
            int last = 2 * b * (l - 1);
            for (int i = 0; i < b; i++)
            {
                ypred[i] = s[last + i] * extraParams[b + i] + extraParams[2 * b + i];
            }

            double sum = 0;
            for (int i = 0; i < b; i++)
            {
                sum += Math.Exp(ypred[i]);
            }
            double lse = Math.Log(sum + 2);
            for (int i = 0; i < b; i++)
            {
                total += sequence[(t + 1) * b + i] * (ypred[i] - lse);
            }
            count += b;
        }
        return -total / count;
    }

    [Differentiable]
    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
