using System.Collections.Generic;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Transforms;

/// <summary>
/// A method body after jump lowering: no break, continue or return statements; the value the
/// method returns is in <see cref="Result"/> when <see cref="Body"/> has run.
/// </summary>
/// <param name="Flags">The control flags lowering introduced (never active, never saved by name).</param>
internal sealed record LoweredMethod(Block Body, Local Result, IReadOnlyCollection<string> Flags);
