namespace Digits;

/// <summary>The scores on the training and test images after one epoch.</summary>
public readonly record struct EpochResult(int Epoch, Score Train, Score Test);
