using Autodiff;
using Digits;

namespace DigitsCnn;

/// <summary>Mean cross-entropy and the fraction classified correctly, on one fixed set of images.</summary>
public sealed class CnnEvaluator(LabelledImages images)
{
    // The forward pass runs inside this workspace so that scoring every epoch reuses its tensors.
    private readonly TensorWorkspace _workspace = new();
    private readonly int[] _predictions = new int[images.Count];

    public Score Measure(DigitCnn model)
    {
        using (_workspace.Enter())
        {
            Tensor logits = model.Logits(images.Pixels);
            float loss = Tensor.CrossEntropy(logits, images.Labels).Item();
            Tensor.ArgMax(logits, _predictions);
            int correct = 0;
            for (int i = 0; i < _predictions.Length; i++)
            {
                correct += _predictions[i] == images.Labels[i] ? 1 : 0;
            }
            return new Score(loss, (float)correct / images.Count);
        }
    }
}
