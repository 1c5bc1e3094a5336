using System.Collections.Generic;
using System.Linq;
using ScottPlot;
using ScottPlot.Plottables;

namespace CharTransformer;

/// <summary>Draws the training loss (each iteration's batch, and its running mean) and the validation loss as a PNG.</summary>
public static class TrainingChart
{
    public static void Save(IReadOnlyList<float> batchLosses, IReadOnlyList<(int Iteration, double Train, double Validation)> evaluations, string path)
    {
        var plot = new Plot();
        double[] iterations = Enumerable.Range(0, batchLosses.Count).Select(i => (double)i).ToArray();
        Scatter batches = plot.Add.Scatter(iterations, batchLosses.Select(l => (double)l).ToArray());
        batches.LegendText = "training batch";
        batches.MarkerSize = 0;
        batches.LineWidth = 1;
        batches.Color = batches.Color.WithAlpha(0.35);
        Scatter validation = plot.Add.Scatter(evaluations.Select(e => (double)e.Iteration).ToArray(), evaluations.Select(e => e.Validation).ToArray());
        validation.LegendText = "validation (estimate)";
        Scatter train = plot.Add.Scatter(evaluations.Select(e => (double)e.Iteration).ToArray(), evaluations.Select(e => e.Train).ToArray());
        train.LegendText = "training (estimate)";
        plot.Title("Character-level GPT on Tiny Shakespeare: cross-entropy loss");
        plot.XLabel("iteration");
        plot.YLabel("mean cross-entropy (nats per character)");
        plot.Axes.SetLimitsY(1, 4.5);
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 900, 500);
    }
}
