using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using Autodiff;
using Autodiff.Optimizers;
using CharTransformer;
using Digits;

// Trains a character-level GPT on Tiny Shakespeare with gradients written by the Autodiff generator,
// in nanoGPT's configuration for CPUs (4 layers, 4 heads, 128 wide, context 64, batch 12, 2000
// iterations, no dropout), then samples text from it. `--iterations N` trains for fewer.
const int Seed = 1337;
const int Layers = 4, Heads = 4, Width = 128, Context = 64, BatchSize = 12;
const float LearningRate = 1e-3f, MinimumRate = 1e-4f, WeightDecay = 0.1f, Beta2 = 0.99f;
const int WarmupIterations = 100;
const double ClipNorm = 1.0;
const int EvaluationInterval = 250, EvaluationBatches = 20, FinalEvaluationBatches = 200;
int iterations = args.Length == 2 && args[0] == "--iterations" ? int.Parse(args[1]) : 2000;

CharacterData data = CharacterData.ReadGzip(Path.Combine(AppContext.BaseDirectory, "data", "tinyshakespeare.txt.gz"));
Console.WriteLine($"Tiny Shakespeare: {data.Train.Length + data.Validation.Length:N0} characters, {data.VocabularySize} distinct; {data.Train.Length:N0} for training, {data.Validation.Length:N0} for validation.");

var model = new CharGpt(data.VocabularySize, Context, Width, Layers, Heads, Seed);
var gradients = new CharGpt.Gradients(model);
IReadOnlyList<ParameterGradient> parameters = gradients.Parameters;
Console.WriteLine($"Model: {Layers} layers, {Heads} heads, {Width} wide, context {Context}; {parameters.Sum(p => p.Parameter.Length):N0} parameters in {parameters.Count} tensors (Blocks[0].Attention.Query.Weight, ...).");
Console.WriteLine($"AdamW (learning rate {LearningRate}, warm-up {WarmupIterations}, cosine to {MinimumRate}; weight decay {WeightDecay} on matrices), clipping at {ClipNorm}; batches of {BatchSize} x {Context}, {iterations} iterations.");
Console.WriteLine();

// As nanoGPT: weight decay on the matrices and embeddings, none on biases and LayerNorm gains.
ParameterGradient[] decayed = parameters.Where(p => p.Parameter.Rank >= 2).ToArray();
ParameterGradient[] undecayed = parameters.Where(p => p.Parameter.Rank < 2).ToArray();
var decayedOptimizer = new AdamW(LearningRate, beta2: Beta2, weightDecay: WeightDecay);
var undecayedOptimizer = new AdamW(LearningRate, beta2: Beta2, weightDecay: 0f);
var schedule = new CosineSchedule(LearningRate, WarmupIterations, iterations, MinimumRate);
var batches = new WindowSampler(data.Train, BatchSize, Context, Seed);
var evaluation = new TensorWorkspace(); // evaluation and sampling reuse its buffers: no garbage per batch

var progress = new ProgressBar();
var batchLosses = new List<float>();
var evaluations = new List<(int Iteration, double Train, double Validation)>();
var stepMilliseconds = new List<double>();
long steadyAllocated = 0;
int allocatingSteps = 0;
int steadySteps = 0;
var clock = Stopwatch.StartNew();

for (int iteration = 0; iteration < iterations; iteration++)
{
    if (iteration % EvaluationInterval == 0)
    {
        Evaluate(iteration, EvaluationBatches);
    }
    batches.Next();
    long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
    long started = Stopwatch.GetTimestamp();
    gradients.Zero();
    // The returned loss lives in the generated method's workspace: read it before the next call.
    float loss = model.LossGradient(batches.Tokens, batches.Targets, Context, gradients).Item();
    GradientClipping.ClipByGlobalNorm(parameters, ClipNorm);
    decayedOptimizer.LearningRate = undecayedOptimizer.LearningRate = schedule.At(iteration);
    decayedOptimizer.Step(decayed);
    undecayedOptimizer.Step(undecayed);
    long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
    stepMilliseconds.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    if (iteration >= 10)
    {
        steadyAllocated += allocated;
        allocatingSteps += allocated > 0 ? 1 : 0;
        steadySteps++;
    }
    batchLosses.Add(loss);
    progress.Show($"iteration {iteration + 1,4}/{iterations}", (iteration % EvaluationInterval) + 1, EvaluationInterval,
        $"batch loss {loss:F4}  {stepMilliseconds[^1]:F1} ms");
}
double[] sorted = stepMilliseconds.Skip(10).DefaultIfEmpty(stepMilliseconds.LastOrDefault()).OrderBy(t => t).ToArray();
Console.WriteLine($"Trained in {clock.Elapsed.TotalSeconds:F1} s. A training iteration (forward, backward, clipping, AdamW): median {sorted[sorted.Length / 2]:F1} ms, "
    + $"mean {sorted.Average():F1} ms; after the first ten, {steadyAllocated:N0} bytes allocated in all, by {allocatingSteps} of {steadySteps} iterations.");
Evaluate(iterations, FinalEvaluationBatches);
Console.WriteLine();

Console.WriteLine("Sampled text (temperature 0.8):");
Console.WriteLine(Sample("\n", 500, 0.8, Seed));
Console.WriteLine();

string chart = Path.Combine(AppContext.BaseDirectory, "out", "char-transformer-loss.png");
Directory.CreateDirectory(Path.GetDirectoryName(chart)!);
TrainingChart.Save(batchLosses, evaluations, chart);
Console.WriteLine($"Loss curve: {chart}");

// The mean loss over random windows of each split, as nanoGPT's estimate_loss takes it.
void Evaluate(int iteration, int count)
{
    double train = MeanLoss(data.Train, count, Seed + 1 + iteration), validation = MeanLoss(data.Validation, count, Seed + 2 + iteration);
    evaluations.Add((iteration, train, validation));
    progress.Finish($"iteration {iteration,4}: train loss {train:F4}, validation loss {validation:F4} ({count} batches each)");
}

double MeanLoss(int[] sequence, int count, int seed)
{
    var windows = new WindowSampler(sequence, BatchSize, Context, seed);
    double sum = 0;
    for (int i = 0; i < count; i++)
    {
        windows.Next();
        using TensorWorkspace.Scope scope = evaluation.Enter();
        sum += model.Loss(windows.Tokens, windows.Targets, Context).Item(); // the plain method: no gradient (torch.no_grad())
    }
    return sum / count;
}

string Sample(string prompt, int length, double temperature, int seed)
{
    var random = new Random(seed);
    var tokens = new List<int>(data.Encode(prompt));
    var text = new StringBuilder();
    var probabilities = new double[data.VocabularySize];
    for (int step = 0; step < length; step++)
    {
        int[] window = tokens.Skip(Math.Max(0, tokens.Count - Context)).ToArray();
        using TensorWorkspace.Scope scope = evaluation.Enter();
        Tensor logits = model.Logits(window, window.Length);
        int last = (window.Length - 1) * data.VocabularySize;
        double largest = double.NegativeInfinity;
        for (int v = 0; v < probabilities.Length; v++)
        {
            largest = Math.Max(largest, logits.Span[last + v] / temperature);
        }
        double total = 0;
        for (int v = 0; v < probabilities.Length; v++)
        {
            total += probabilities[v] = Math.Exp(logits.Span[last + v] / temperature - largest);
        }
        double draw = random.NextDouble() * total;
        int next = 0;
        while (next < probabilities.Length - 1 && (draw -= probabilities[next]) > 0)
        {
            next++;
        }
        tokens.Add(next);
        text.Append(data.Decode(next));
    }
    return text.ToString();
}
