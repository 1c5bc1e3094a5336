using Autodiff.Generator.Model;

namespace Autodiff.Generator.Transforms;

/// <summary>
/// A method body after jump lowering: no break, continue or return statements; the value the
/// method returns is in <see cref="Result"/> when <see cref="Body"/> has run.
/// </summary>
internal sealed record LoweredMethod(Block Body, Local Result);
