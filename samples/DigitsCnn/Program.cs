using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using Autodiff;
using Autodiff.Optimizers;
using Digits;
using DigitsCnn;

// Trains a small convolutional net on the UCI handwritten digits (8x8 images) with gradients written
// by the Autodiff generator, and reports its accuracy on images it never saw during training.
const int Seed = 20240;
const int Channels1 = 32;
const int Channels2 = 64;
const int Epochs = 40;
const int BatchSize = 32;
const float LearningRate = 2e-3f;
const double TestFraction = 0.2;

var clock = Stopwatch.StartNew();
LabelledImages all = DigitsCsv.Read(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz"));
(int[] trainRows, int[] testRows) = StratifiedSplit.Indices(all.Labels, TestFraction, Seed);
LabelledImages unscaledTrain = all.Select(trainRows);
Standardiser standardiser = Standardiser.Fit(unscaledTrain.Pixels);
LabelledImages train = standardiser.Apply(unscaledTrain);
LabelledImages test = standardiser.Apply(all.Select(testRows));
Console.WriteLine($"UCI digits: {all.Count} images of 8x8 pixels; {train.Count} for training, {test.Count} held out for testing.");
Console.WriteLine($"Model: conv 3x3 ({Channels1}) ReLU maxpool 2 -> conv 3x3 ({Channels2}) ReLU maxpool 2 -> linear 10;");
Console.WriteLine($"AdamW (learning rate {LearningRate}, cosine decay), mini-batches of {BatchSize}, {Epochs} epochs.");
Console.WriteLine();

var model = new DigitCnn(Channels1, Channels2, Seed);
var gradients = new DigitCnn.Gradients(model);

// Check the generated gradients against central differences on eight images before training.
LabelledImages few = train.Select([0, 1, 2, 3, 4, 5, 6, 7]);
GradCheckResult check = GradCheck.Model(
    gradients.Parameters,
    () => model.Loss(few.Pixels, few.Labels).Item(),
    () => model.LossGradient(few.Pixels, few.Labels, gradients),
    GradCheckOptions.ForFloat with { FastMode = true, Directions = 8, AbsoluteTolerance = 1e-3 });
Console.WriteLine(check.ThrowIfFailed());
Console.WriteLine();

var optimizer = new AdamW(LearningRate, weightDecay: 1e-4f);
var batches = new MiniBatches(train, BatchSize, Seed);
var schedule = new CosineSchedule(LearningRate, warmupSteps: batches.Count, decaySteps: Epochs * batches.Count, minimumRate: LearningRate / 20);
var trainEvaluator = new Evaluator(train);
var testEvaluator = new Evaluator(test);
var progress = new ProgressBar();
var history = new List<EpochResult>();
TimeSpan trainingStarted = clock.Elapsed;
int step = 0;
long stepTicks = 0;
// Every step's time, for the median: PyTorch's peer (bench/peers/digits_cnn_torch.py) reports the median step on
// one batch shape, while the mean here also carries the warm-up and each epoch's shorter last batch, whose new
// shapes make the workspace and the GEMM buffers grow again twice per epoch.
var stepTimes = new long[Epochs * batches.Count];

for (int epoch = 1; epoch <= Epochs; epoch++)
{
    string label = $"epoch {epoch,2}/{Epochs}";
    batches.Shuffle();
    double lossSum = 0;
    for (int index = 0; index < batches.Count; index++)
    {
        Batch batch = batches.Take(index);
        long started = Stopwatch.GetTimestamp();
        gradients.Zero();
        // The returned loss lives in the generated method's workspace: read it before the next call.
        float loss = model.LossGradient(batch.Pixels, batch.Labels, gradients).Item();
        optimizer.LearningRate = schedule.At(step++);
        optimizer.Step(gradients.Parameters);
        long elapsed = Stopwatch.GetTimestamp() - started;
        stepTicks += elapsed;
        stepTimes[step - 1] = elapsed;
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
Array.Sort(stepTimes);
Console.WriteLine($"Trained in {trainingTime.TotalSeconds:F2} s; a training step (forward, backward, AdamW) takes {Stopwatch.GetElapsedTime(0, stepTicks).TotalMilliseconds * 1000 / step:F0} µs on average, "
    + $"median {Stopwatch.GetElapsedTime(0, stepTimes[stepTimes.Length / 2]).TotalMilliseconds * 1000:F0} µs.");
Console.WriteLine($"Final test accuracy: {final.Accuracy:P2} ({Math.Round(final.Accuracy * test.Count)} of {test.Count} held-out images).");

string chart = Path.Combine(AppContext.BaseDirectory, "out", "digits-cnn-loss.png");
Directory.CreateDirectory(Path.GetDirectoryName(chart)!);
LossChart.Save(history, chart);
Console.WriteLine($"Loss curve: {chart}");
