using System;
using System.Linq;
using Autodiff.Optimizers;

namespace Autodiff.Benchmarks;

/// <summary>
/// One full training step (zero the gradients, forward, backward, SGD update) for each network
/// the performance floors name, with the same shapes the PyTorch script (bench/peers/train_torch.py) uses.
/// </summary>
public sealed class TrainingStep
{
    private readonly Action _step;

    private TrainingStep(string name, Action step)
    {
        Name = name;
        _step = step;
    }

    public string Name { get; }

    public void Run() => _step();

    public static TrainingStep[] All() => new[]
    {
        Classify("mlp 2-16-2 batch 32", 2, 16, 2, 32),
        Regress("mlp 16-64-64-1 batch 32", 16, 64, 32),
        Classify("mlp 784-128-10 batch 64", 784, 128, 10, 64),
        Classify("mlp 784-1024-10 batch 1024", 784, 1024, 10, 1024),
    };

    public static TrainingStep Classify(string name, int inputs, int hidden, int classes, int batch)
    {
        var model = new Classifier(inputs, hidden, classes, seed: 1);
        Tensor x = Tensor.RandomNormal(2, 0f, 1f, batch, inputs);
        int[] labels = Enumerable.Range(0, batch).Select(i => i % classes).ToArray();
        var gradients = new Classifier.Gradients(model);
        var optimizer = new Sgd(0.01f);
        return new TrainingStep(name, () =>
        {
            gradients.Zero();
            model.LossGradient(x, labels, gradients);
            optimizer.Step(gradients.Parameters);
        });
    }

    public static TrainingStep Regress(string name, int inputs, int hidden, int batch)
    {
        var model = new Regressor(inputs, hidden, seed: 1);
        Tensor x = Tensor.RandomNormal(2, 0f, 1f, batch, inputs);
        Tensor target = Tensor.RandomNormal(3, 0f, 1f, batch, 1);
        var gradients = new Regressor.Gradients(model);
        var optimizer = new Sgd(0.01f);
        return new TrainingStep(name, () =>
        {
            gradients.Zero();
            model.LossGradient(x, target, gradients);
            optimizer.Step(gradients.Parameters);
        });
    }
}
