using System.Collections.Generic;

namespace Autodiff.Generator.Emit;

/// <summary>
/// The tiny output tree the sweeps build before anything is printed: lines, and blocks under a
/// header (if/for/while) with an optional else. Building a tree first lets the reverse sweep be
/// built again until what it reads settles, and lets empty branches be dropped.
/// </summary>
internal abstract record Code;

/// <summary>A statement or comment, printed as is.</summary>
internal sealed record Line(string Text) : Code;

/// <summary><c>Header { Body } else { Else }</c>, or <c>do { Body } Footer;</c> when <see cref="Footer"/> is set.</summary>
internal sealed record Nested(string Header, List<Code> Body, List<Code>? Else = null, string? Footer = null) : Code;

/// <summary>
/// Code the reverse sweep places before it exists: a checkpointed loop's backward pass runs its
/// iterations again, as the forward sweep prints them, and the forward sweep is built after the
/// reverse sweep. Expanded when the tree is read or printed, by then built.
/// </summary>
internal sealed record Deferred(System.Func<List<Code>> Build) : Code;
