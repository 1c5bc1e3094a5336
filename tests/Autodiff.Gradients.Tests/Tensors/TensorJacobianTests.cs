using System;
using System.Linq;
using Xunit;

namespace Autodiff.Gradients.Tests.Tensors;

/// <summary>
/// FJacobian of tensor results, in whichever mode it picks, against the other mode: contracted with
/// a direction it must give FTangent's tangent (J·v), contracted with a seed FPullback's gradients
/// (sᵀ·J), both up to float rounding; and elements against central differences.
/// </summary>
public class TensorJacobianTests
{
    private const double Absolute = 1e-4;
    private const double Relative = 1e-3;

    [Fact]
    public void Few_inputs_many_outputs_forward_mode()
    {
        Tensor basis = Tensor.RandomNormal(1, 0f, 1f, 6, 2), a = Tensor.RandomNormal(2, 0f, 0.5f, 2, 1);
        const float scale = 1.3f;
        Tensor value = TensorFeatures.OfJacobian(basis, a, scale, out Tensor jA, out Tensor jScale);

        Assert.Equal(TensorFeatures.Of(basis, a, scale).ToArray(), value.ToArray());
        Assert.Equal(new[] { 6, 2 }, jA.Shape.ToArray());
        Assert.Equal(new[] { 6 }, jScale.Shape.ToArray());
        Tensor da = Tensor.RandomUniform(3, -1f, 1f, 2, 1);
        const float dScale = -0.4f;
        Tensor tangent = TensorFeatures.OfTangent(basis, a, scale, da, dScale).Tangent;
        AssertClose(tangent.ToArray(), Contract(jA, da, 6).Zip(jScale.ToArray(), (x, s) => x + s * dScale).ToArray(), "J·v against FTangent");
        Tensor seed = Tensor.RandomUniform(4, -1f, 1f, 6, 1);
        Tensor dA = Tensor.ZerosLike(a);
        float dS = 0f;
        TensorFeatures.OfPullback(basis, a, scale, seed, dA, ref dS);
        AssertClose(dA.ToArray(), Transposed(jA, seed, 6), "sᵀ·J against FPullback");
        AssertClose(new[] { dS }, new[] { jScale.ToArray().Zip(seed.ToArray(), (j, s) => (double)j * s).Sum() }, "sᵀ·J for the scale");
        // ∂Of[i]/∂a[j] = scale·(1 − tanh²)·basis[i, j].
        float[] b = basis.ToArray(), y = value.ToArray(), j = jA.ToArray();
        for (int i = 0; i < 6; i++)
        {
            for (int k = 0; k < 2; k++)
            {
                double t = y[i] / scale;
                Assert.Equal(scale * (1 - t * t) * b[i * 2 + k], j[i * 2 + k], 4);
            }
        }
    }

    [Fact]
    public void Many_inputs_reverse_mode_through_an_attention_block()
    {
        object[] arguments =
        [
            Tensor.RandomNormal(21, 0f, 1f, 1, 3, 4), Tensor.RandomNormal(22, 1f, 0.1f, 4), Tensor.RandomNormal(23, 0f, 0.1f, 4),
            Tensor.RandomNormal(24, 0f, 0.5f, 4, 4), Tensor.RandomNormal(25, 0f, 0.5f, 4, 4), Tensor.RandomNormal(26, 0f, 0.5f, 4, 4),
            Tensor.RandomNormal(27, 0f, 0.5f, 4, 4),
        ];
        var (x, gamma, beta, wq, wk, wv, wo) = ((Tensor)arguments[0], (Tensor)arguments[1], (Tensor)arguments[2], (Tensor)arguments[3], (Tensor)arguments[4], (Tensor)arguments[5], (Tensor)arguments[6]);
        Tensor value = Attention.BlockJacobian(x, gamma, beta, wq, wk, wv, wo, 2,
            out Tensor jX, out Tensor jGamma, out Tensor jBeta, out Tensor jWq, out Tensor jWk, out Tensor jWv, out Tensor jWo);
        int outputs = value.Length;
        // [result elements, input elements]: PyTorch's [1, 3, 4, 1, 3, 4] would pass rank 4.
        Assert.Equal(new[] { 12, 12 }, jX.Shape.ToArray());
        Assert.Equal(new[] { 12, 16 }, jWq.Shape.ToArray());
        Tensor[] inputs = [x, gamma, beta, wq, wk, wv, wo];
        Tensor[] jacobians = [jX, jGamma, jBeta, jWq, jWk, jWv, jWo];
        Tensor[] directions = inputs.Select((t, k) => Tensor.RandomUniform(40 + k, -1f, 1f, t.Shape)).ToArray();
        Tensor tangent = Attention.BlockTangent(x, gamma, beta, wq, wk, wv, wo, 2, directions[0], directions[1], directions[2], directions[3], directions[4], directions[5], directions[6]).Tangent;
        double[] contracted = new double[outputs];
        for (int k = 0; k < inputs.Length; k++)
        {
            double[] part = Contract(jacobians[k], directions[k], outputs);
            for (int i = 0; i < outputs; i++) contracted[i] += part[i];
        }
        AssertClose(tangent.ToArray(), contracted, "J·v against FTangent");
        // Central differences of one output element along x[0, 1, 2].
        const float h = 1e-2f;
        Tensor Moved(float step)
        {
            Tensor moved = x.Clone();
            moved.Span[6] += step;
            return Attention.Block(moved, gamma, beta, wq, wk, wv, wo, 2);
        }
        float[] plus = Moved(h).ToArray(), minus = Moved(-h).ToArray();
        for (int i = 0; i < outputs; i++)
        {
            double numeric = ((double)plus[i] - minus[i]) / (2 * h);
            Assert.True(Math.Abs(numeric - jX.ToArray()[i * 12 + 6]) <= 2e-2 + 2e-2 * Math.Abs(numeric), $"∂Block[{i}]/∂x[6]: {numeric} against {jX.ToArray()[i * 12 + 6]}");
        }
    }

    /// <summary>
    /// A model's Jacobian with respect to its input, its parameters held still (jacobian(model, x)): a
    /// layer widening 2 to 5 (forward mode, fewer inputs than outputs) against its weights, and a
    /// residual block of sub-models (reverse mode) against central differences and its tangent.
    /// </summary>
    [Fact]
    public void Models_with_respect_to_their_inputs()
    {
        var layer = new Composition.Affine(inputs: 2, outputs: 5, seed: 31);
        Tensor x = Tensor.RandomNormal(32, 0f, 1f, 3, 2);
        Tensor value = layer.ForwardJacobian(x, out Tensor jX);
        Assert.Equal(layer.Forward(x).ToArray(), value.ToArray());
        Assert.Equal(new[] { 15, 6 }, jX.Shape.ToArray());
        float[] w = layer.W.ToArray(), j = jX.ToArray();
        for (int row = 0; row < 3; row++)
            for (int o = 0; o < 5; o++)
                for (int column = 0; column < 3; column++)
                    for (int k = 0; k < 2; k++)
                        Assert.Equal(row == column ? w[k * 5 + o] : 0f, j[(row * 5 + o) * 6 + column * 2 + k], 6);

        var block = new Composition.ResidualBlock(width: 4, hidden: 6, seed: 33);
        block.SetTraining(false);
        Tensor y = Tensor.RandomNormal(34, 0f, 1f, 2, 4);
        Tensor blockValue = block.ForwardJacobian(y, out Tensor jY);
        int outputs = blockValue.Length;
        Assert.Equal(new[] { 8, 8 }, jY.Shape.ToArray());
        Tensor direction = Tensor.RandomUniform(35, -1f, 1f, 2, 4);
        AssertClose(block.ForwardTangent(y, direction, null).Tangent.ToArray(), Contract(jY, direction, outputs), "J·v against FTangent");
        const float h = 1e-2f;
        for (int k = 0; k < y.Length; k++)
        {
            Tensor up = y.Clone(), down = y.Clone();
            up.Span[k] += h;
            down.Span[k] -= h;
            float[] plus = block.Forward(up).ToArray(), minus = block.Forward(down).ToArray();
            for (int i = 0; i < outputs; i++)
            {
                double numeric = ((double)plus[i] - minus[i]) / (2 * h);
                float computed = jY.ToArray()[i * 8 + k];
                Assert.True(Math.Abs(numeric - computed) <= 2e-2 + 2e-2 * Math.Abs(numeric), $"∂Forward[{i}]/∂x[{k}]: {numeric} against {computed}");
            }
        }
    }

    /// <summary>J·v for a Jacobian of shape [outputs..., inputs...].</summary>
    private static double[] Contract(Tensor jacobian, Tensor direction, int outputs)
    {
        float[] j = jacobian.ToArray(), v = direction.ToArray();
        var result = new double[outputs];
        for (int i = 0; i < outputs; i++)
        {
            for (int k = 0; k < v.Length; k++) result[i] += (double)j[i * v.Length + k] * v[k];
        }
        return result;
    }

    /// <summary>sᵀ·J for a Jacobian of shape [outputs..., inputs...].</summary>
    private static double[] Transposed(Tensor jacobian, Tensor seed, int outputs)
    {
        float[] j = jacobian.ToArray(), s = seed.ToArray();
        int inputs = j.Length / outputs;
        var result = new double[inputs];
        for (int i = 0; i < outputs; i++)
        {
            for (int k = 0; k < inputs; k++) result[k] += (double)s[i] * j[i * inputs + k];
        }
        return result;
    }

    private static void AssertClose(float[] actual, double[] expected, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < actual.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= Absolute + Relative * Math.Abs(expected[i]), $"{what}, element {i}: {actual[i]} against {expected[i]}");
        }
    }
}
