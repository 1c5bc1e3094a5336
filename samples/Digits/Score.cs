namespace Digits;

/// <summary>Mean cross-entropy and the fraction classified correctly.</summary>
public readonly record struct Score(float Loss, float Accuracy);
