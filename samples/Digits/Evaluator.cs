using System;
using Autodiff;

namespace Digits;

/// <summary>
/// Scores a model on one fixed set of images, e.g. the held-out test set after each epoch, from its
/// class scores [N, 10] for standardised images [N, 64] (DigitClassifier's and DigitCnn's Logits).
/// </summary>
public sealed class Evaluator(LabelledImages images)
{
    // The forward pass runs inside this workspace so that scoring every epoch reuses its tensors.
    private readonly TensorWorkspace _workspace = new();
    private readonly int[] _predictions = new int[images.Count];

    public Score Measure(Func<Tensor, Tensor> logitsOf)
    {
        using (_workspace.Enter())
        {
            Tensor logits = logitsOf(images.Pixels);
            float loss = Tensor.CrossEntropy(logits, images.Labels).Item();
            Tensor.ArgMax(logits, _predictions);
            int correct = 0;
            for (int i = 0; i < _predictions.Length; i++)
            {
                if (_predictions[i] == images.Labels[i])
                {
                    correct++;
                }
            }
            return new Score(loss, (float)correct / images.Count);
        }
    }
}
