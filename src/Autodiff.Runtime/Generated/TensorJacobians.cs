using System;
using System.ComponentModel;

namespace Autodiff.Runtime;

/// <summary>
/// The pieces of a generated <c>FJacobian</c> for a tensor result. The Jacobian with respect to a
/// tensor input is a matrix over the row-major elements, [result.Length, input.Length], element
/// [i, j] being ∂result[i]/∂input[j]: <c>torch.autograd.functional.jacobian</c>'s result shape
/// followed by the input's, flattened, since the two ranks together may pass the tensors' rank 4
/// (a <c>Reshape</c> gives PyTorch's layout where they do not). With respect to a number it is a
/// vector over the result's elements.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class TensorJacobians
{
    /// <summary>A zero Jacobian of <paramref name="result"/> with respect to <paramref name="input"/> (null: a number).</summary>
    public static Tensor Zeros(Tensor result, Tensor? input)
    {
        ArgumentNullException.ThrowIfNull(result);
        return input is null ? Tensor.Zeros(result.Length) : Tensor.Zeros(result.Length, input.Length);
    }

    /// <summary>Writes the tangent along input element <paramref name="column"/> (of <paramref name="columns"/>) as that column.</summary>
    public static void SetColumn(Tensor jacobian, int column, int columns, Tensor tangent)
    {
        ArgumentNullException.ThrowIfNull(jacobian);
        ArgumentNullException.ThrowIfNull(tangent);
        Span<float> target = jacobian.Span;
        ReadOnlySpan<float> values = tangent.Span;
        for (int row = 0; row < values.Length; row++)
        {
            target[row * columns + column] = values[row];
        }
    }

    /// <summary>Writes the gradient of result element <paramref name="row"/> as that row.</summary>
    public static void SetRow(Tensor jacobian, int row, Tensor gradient)
    {
        ArgumentNullException.ThrowIfNull(jacobian);
        ArgumentNullException.ThrowIfNull(gradient);
        gradient.Span.CopyTo(jacobian.Span.Slice(row * gradient.Length, gradient.Length));
    }
}
