using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using Autodiff;
using Autodiff.Optimizers;
using Digits;

// Trains a two-layer perceptron on the UCI handwritten digits with gradients written by the
// Autodiff generator, and reports its accuracy on images it never saw during training.
const int Seed = 20240;
const int HiddenUnits = 128;
const int Epochs = 30;
const int BatchSize = 32;
const float LearningRate = 1e-3f;
const double TestFraction = 0.2;

var clock = Stopwatch.StartNew();
LabelledImages all = DigitsCsv.Read(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz"));
(int[] trainRows, int[] testRows) = StratifiedSplit.Indices(all.Labels, TestFraction, Seed);
LabelledImages unscaledTrain = all.Select(trainRows);
Standardiser standardiser = Standardiser.Fit(unscaledTrain.Pixels);
LabelledImages train = standardiser.Apply(unscaledTrain);
LabelledImages test = standardiser.Apply(all.Select(testRows));
Console.WriteLine($"UCI digits: {all.Count} images of 8x8 pixels; {train.Count} for training, {test.Count} held out for testing.");
Console.WriteLine($"Model: 64 -> {HiddenUnits} ReLU -> 10, Adam (learning rate {LearningRate}), mini-batches of {BatchSize}, {Epochs} epochs.");
Console.WriteLine();

var model = new DigitClassifier(HiddenUnits, Seed);
var gradients = new DigitClassifier.Gradients(model);

// Before training on them, check the generated gradients against central differences on eight
// images. Fast mode compares directional derivatives along random directions through all the
// parameters at once, instead of perturbing each of the 9,610 weights in turn. Those derivatives
// are small (about 0.02) and the float loss resolves them to about 2e-4, so the absolute
// tolerance is tightened from the float default of 1e-2 to 1e-3.
LabelledImages few = train.Select([0, 1, 2, 3, 4, 5, 6, 7]);
GradCheckResult check = GradCheck.Model(
    gradients.Parameters,
    () => model.Loss(few.Pixels, few.Labels).Item(),
    () => model.LossGradient(few.Pixels, few.Labels, gradients),
    GradCheckOptions.ForFloat with { FastMode = true, Directions = 8, AbsoluteTolerance = 1e-3 });
Console.WriteLine(check.ThrowIfFailed());
Console.WriteLine();
var optimizer = new Adam(LearningRate);
var batches = new MiniBatches(train, BatchSize, Seed);
var trainEvaluator = new Evaluator(train);
var testEvaluator = new Evaluator(test);
var progress = new ProgressBar();
var history = new List<EpochResult>();
TimeSpan trainingStarted = clock.Elapsed;

for (int epoch = 1; epoch <= Epochs; epoch++)
{
    string label = $"epoch {epoch,2}/{Epochs}";
    batches.Shuffle();
    double lossSum = 0;
    for (int index = 0; index < batches.Count; index++)
    {
        Batch batch = batches.Take(index);
        gradients.Zero();
        // The returned loss lives in the generated method's workspace: read it before the next call.
        float loss = model.LossGradient(batch.Pixels, batch.Labels, gradients).Item();
        optimizer.Step(gradients.Parameters);
        lossSum += loss;
        progress.Show(label, index + 1, batches.Count, $"mean batch loss {lossSum / (index + 1):F4}");
    }
    var result = new EpochResult(epoch, trainEvaluator.Measure(model.Logits), testEvaluator.Measure(model.Logits));
    history.Add(result);
    progress.Finish($"{label}  loss: train {result.Train.Loss:F4}  test {result.Test.Loss:F4}   accuracy: train {result.Train.Accuracy,8:P2}  test {result.Test.Accuracy,8:P2}");
}

TimeSpan trainingTime = clock.Elapsed - trainingStarted;
Score final = history[^1].Test;
Console.WriteLine();
Console.WriteLine($"Trained in {trainingTime.TotalSeconds:F2} s ({clock.Elapsed.TotalSeconds:F2} s with loading the data).");
Console.WriteLine($"Final test accuracy: {final.Accuracy:P2} ({Math.Round(final.Accuracy * test.Count)} of {test.Count} held-out images).");

string chart = Path.Combine(AppContext.BaseDirectory, "out", "digits-loss.png");
Directory.CreateDirectory(Path.GetDirectoryName(chart)!);
LossChart.Save(history, chart);
Console.WriteLine($"Loss curve: {chart}");
Console.WriteLine();

Console.WriteLine("What the generator wrote for DigitClassifier.Loss (LossGradient): the forward pass names each");
Console.WriteLine("intermediate, and the backward pass applies the chain rule to them in reverse order.");
GeneratedGradientCode.Print();
