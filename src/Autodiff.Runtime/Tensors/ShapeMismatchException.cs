using System;

namespace Autodiff;

/// <summary>
/// Thrown when the shapes of a tensor operation's operands do not fit together. The message names
/// the operation and the shapes involved, for example
/// <c>MatMul: cannot multiply [2x3] by [4x5]: inner dimensions 3 and 4 differ.</c>
/// </summary>
public sealed class ShapeMismatchException : ArgumentException
{
    /// <summary>Creates the exception with a message that names the operation and the shapes.</summary>
    public ShapeMismatchException(string message)
        : base(message)
    {
    }
}
