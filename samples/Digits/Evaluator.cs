using System;
using Autodiff;

namespace Digits;

/// <summary>Scores the model on one fixed set of images, e.g. the held-out test set after each epoch.</summary>
public sealed class Evaluator(LabelledImages images)
{
    // The forward pass runs inside this workspace so that scoring every epoch reuses its tensors.
    private readonly TensorWorkspace _workspace = new();
    private readonly int[] _predictions = new int[images.Count];

    public Score Measure(DigitClassifier model)
    {
        using (_workspace.Enter())
        {
            Tensor logits = model.Logits(images.Pixels);
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
