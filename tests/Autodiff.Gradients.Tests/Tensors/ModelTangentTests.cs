using System;
using System.Linq;
using Xunit;

namespace Autodiff.Gradients.Tests.Tensors;

/// <summary>
/// Forward mode of model methods: the parameters move along a direction held in a Gradients object
/// (torch.func.jvp over functional_call with a dict of tangents). The tangent must equal
/// ⟨gradients, direction⟩ from the generated gradient and central differences of the loss along it.
/// </summary>
public class ModelTangentTests
{
    [Fact]
    public void Mlp_loss_along_a_parameter_direction()
    {
        var model = new Mlp(inputs: 4, hidden: 5, outputs: 3, seed: 7);
        Tensor x = Tensor.RandomNormal(11, 0f, 1f, 6, 4);
        int[] labels = { 0, 2, 1, 1, 0, 2 };
        var direction = new Mlp.Gradients(model);
        int k = 0;
        foreach (var pair in direction.Parameters)
        {
            pair.Gradient.CopyFrom(Tensor.RandomUniform(20 + k++, -1f, 1f, pair.Gradient.Shape));
        }

        (Tensor value, Tensor tangent) = model.LossTangent(x, labels, direction);

        Assert.Equal(model.Loss(x, labels).Item(), value.Item());
        var gradients = new Mlp.Gradients(model);
        model.LossGradient(x, labels, gradients);
        double along = 0, magnitude = 0;
        for (int p = 0; p < gradients.Parameters.Count; p++)
        {
            float[] g = gradients.Parameters[p].Gradient.ToArray(), d = direction.Parameters[p].Gradient.ToArray();
            for (int i = 0; i < g.Length; i++)
            {
                along += (double)g[i] * d[i];
                magnitude += Math.Abs((double)g[i] * d[i]);
            }
        }
        Assert.True(Math.Abs(tangent.Item() - along) <= 1e-4 + 1e-3 * magnitude, $"tangent {tangent.Item()}, ⟨∇, v⟩ {along}");
        const float h = 1e-2f;
        double numeric = (LossAlong(model, direction, x, labels, h) - LossAlong(model, direction, x, labels, -h)) / (2 * h);
        Assert.True(Math.Abs(numeric - tangent.Item()) <= 2e-2 + 2e-2 * Math.Abs(numeric), $"tangent {tangent.Item()}, central difference {numeric}");
        // Through the model's own Logits, which takes the same direction.
        Assert.Equal(tangent.Item(), model.LossThroughLogitsTangent(x, labels, direction).Tangent.Item(), 5);
    }

    [Fact]
    public void A_null_direction_holds_the_parameters_still_and_a_wrong_shape_names_the_parameter()
    {
        var model = new Mlp(4, 5, 3, seed: 9);
        Tensor x = Tensor.RandomNormal(12, 0f, 1f, 6, 4);
        int[] labels = { 2, 0, 1, 1, 0, 2 };
        Assert.Equal(0f, model.LossTangent(x, labels, null).Tangent.Item());
        var direction = new Mlp.Gradients(model);
        model.W1 = Tensor.Zeros(3, 5);
        var error = Assert.Throws<ShapeMismatchException>(() => model.LossTangent(Tensor.RandomNormal(12, 0f, 1f, 6, 3), labels, direction));
        Assert.Equal("LossTangent: the tangent direction.W1 has shape [4x5] but W1 has shape [3x5]; they must match.", error.Message);
    }

    [Fact]
    public void Scalar_and_tensor_parameters_together()
    {
        var model = new TemperedClassifier();
        Tensor x = Tensor.RandomNormal(13, 0f, 1f, 5, 3);
        int[] labels = { 0, 3, 1, 2, 3 };
        var direction = new TemperedClassifier.Gradients(model) { Temperature = -0.7f };
        direction.W.CopyFrom(Tensor.RandomUniform(21, -1f, 1f, 3, 4));

        float tangent = model.LossTangent(x, labels, direction).Tangent.Item();

        var gradients = new TemperedClassifier.Gradients(model);
        model.LossGradient(x, labels, gradients);
        double along = gradients.W.ToArray().Zip(direction.W.ToArray(), (g, d) => (double)g * d).Sum() + gradients.Temperature * -0.7;
        Assert.True(Math.Abs(tangent - along) <= 1e-4 + 1e-3 * Math.Abs(along), $"tangent {tangent}, ⟨∇, v⟩ {along}");
    }

    [Fact]
    public void Double_parameters_and_an_array_input()
    {
        var model = new LinearRegression();
        double[] xs = { 0.5, -1.0, 2.0 }, ys = { 1.0, 0.0, 2.5 }, dxs = { 0.3, -0.2, 0.1 };
        var direction = new LinearRegression.Gradients(model) { Slope = 0.4, Intercept = -1.1, LogScale = 0.25 };

        double tangent = model.NegativeLogLikelihoodTangent(xs, ys, dxs, direction).Tangent;

        var gradients = new LinearRegression.Gradients(model);
        model.NegativeLogLikelihoodGradient(xs, ys, gradients, out double[] dXs);
        double along = gradients.Slope * 0.4 + gradients.Intercept * -1.1 + gradients.LogScale * 0.25 + dXs.Zip(dxs, (g, d) => g * d).Sum();
        Assert.Equal(along, tangent, 12);
    }

    /// <summary>
    /// A model's Hessian-vector product with respect to its parameters (a sharpness probe's building
    /// block): against central differences of its gradient along the direction, and symmetric.
    /// </summary>
    [Fact]
    public void Mlp_Hessian_vector_product_along_a_parameter_direction()
    {
        var model = new Mlp(inputs: 4, hidden: 5, outputs: 3, seed: 7);
        Tensor x = Tensor.RandomNormal(11, 0f, 1f, 6, 4);
        int[] labels = { 0, 2, 1, 1, 0, 2 };
        Mlp.Gradients v = Direction(model, 30), w = Direction(model, 60);
        var hv = new Mlp.Gradients(model);
        var hw = new Mlp.Gradients(model);

        float value = model.LossHessianVector(x, labels, v, hv).Item();
        model.LossHessianVector(x, labels, w, hw);

        Assert.Equal(model.Loss(x, labels).Item(), value);
        const float h = 1e-2f;
        Mlp.Gradients plus = GradientAt(model, v, x, labels, h), minus = GradientAt(model, v, x, labels, -h);
        for (int p = 0; p < hv.Parameters.Count; p++)
        {
            float[] product = hv.Parameters[p].Gradient.ToArray(), up = plus.Parameters[p].Gradient.ToArray(), down = minus.Parameters[p].Gradient.ToArray();
            for (int i = 0; i < product.Length; i++)
            {
                double numeric = ((double)up[i] - down[i]) / (2 * h);
                Assert.True(Math.Abs(numeric - product[i]) <= 2e-2 + 2e-2 * Math.Abs(numeric), $"(H·v) {hv.Parameters[p].Name}[{i}] = {product[i]}, differences of the gradient {numeric}");
            }
        }
        double wHv = Dot(w, hv), vHw = Dot(v, hw);
        Assert.True(Math.Abs(wHv - vHw) <= 1e-4 + 1e-3 * Math.Abs(wHv), $"⟨w, H·v⟩ = {wHv}, ⟨v, H·w⟩ = {vHw}");
    }

    private static Mlp.Gradients Direction(Mlp model, int seed)
    {
        var direction = new Mlp.Gradients(model);
        foreach (var pair in direction.Parameters)
        {
            pair.Gradient.CopyFrom(Tensor.RandomUniform(seed++, -1f, 1f, pair.Gradient.Shape));
        }
        return direction;
    }

    private static Mlp.Gradients GradientAt(Mlp model, Mlp.Gradients direction, Tensor x, int[] labels, float step)
    {
        var moved = new Mlp(4, 5, 3, seed: 7)
        {
            W1 = model.W1 + step * direction.W1, B1 = model.B1 + step * direction.B1,
            W2 = model.W2 + step * direction.W2, B2 = model.B2 + step * direction.B2,
        };
        var gradients = new Mlp.Gradients(moved);
        moved.LossGradient(x, labels, gradients);
        return gradients;
    }

    private static double Dot(Mlp.Gradients a, Mlp.Gradients b)
    {
        double sum = 0;
        for (int p = 0; p < a.Parameters.Count; p++)
        {
            float[] x = a.Parameters[p].Gradient.ToArray(), y = b.Parameters[p].Gradient.ToArray();
            for (int i = 0; i < x.Length; i++) sum += (double)x[i] * y[i];
        }
        return sum;
    }

    private static double LossAlong(Mlp model, Mlp.Gradients direction, Tensor x, int[] labels, float step)
    {
        var moved = new Mlp(4, 5, 3, seed: 7);
        moved.W1 = model.W1 + step * direction.W1;
        moved.B1 = model.B1 + step * direction.B1;
        moved.W2 = model.W2 + step * direction.W2;
        moved.B2 = model.B2 + step * direction.B2;
        return moved.Loss(x, labels).Item();
    }
}
