using System;
using System.Collections.Generic;
using System.Linq;
using ScottPlot;
using ScottPlot.Plottables;

namespace Digits;

/// <summary>Draws the training and test loss per epoch as a PNG line chart.</summary>
public static class LossChart
{
    public static void Save(IReadOnlyList<EpochResult> history, string path)
    {
        double[] epochs = history.Select(result => (double)result.Epoch).ToArray();
        var plot = new Plot();
        Scatter train = plot.Add.Scatter(epochs, history.Select(result => (double)result.Train.Loss).ToArray());
        train.LegendText = "training images";
        Scatter test = plot.Add.Scatter(epochs, history.Select(result => (double)result.Test.Loss).ToArray());
        test.LegendText = "held-out test images";
        plot.Title("Digits MLP: cross-entropy loss per epoch");
        plot.XLabel("epoch");
        plot.YLabel("mean cross-entropy");
        plot.Axes.SetLimitsY(0, history.Max(result => Math.Max(result.Train.Loss, result.Test.Loss)) * 1.05);
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 800, 500);
    }
}
