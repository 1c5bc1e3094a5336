using System;

namespace Autodiff;

/// <summary>A gradient disagreed with its central differences; the message is the report.</summary>
public sealed class GradCheckException : Exception
{
    /// <summary>Creates the exception for a failed <paramref name="result"/>.</summary>
    public GradCheckException(GradCheckResult result)
        : base((result ?? throw new ArgumentNullException(nameof(result))).ToString())
    {
        Result = result;
    }

    /// <summary>The full result, with the worst comparison.</summary>
    public GradCheckResult Result { get; }
}
