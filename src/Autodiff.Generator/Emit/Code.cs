using System.Collections.Generic;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Emit;

/// <summary>
/// The tiny output tree the sweeps build before anything is printed: lines, and blocks under a
/// header (if/for/while) with an optional else. Building a tree first lets the reverse sweep be
/// built again until what it reads settles, and lets empty branches be dropped.
/// </summary>
internal abstract record Code;

/// <summary>A statement or comment, printed as is.</summary>
/// <param name="Effect">
/// What the line does when it is a plain assignment of arithmetic (<c>dv[i] += g * w[i];</c>,
/// <c>l++;</c>) or a save or restore of one value: the form <see cref="VectorLoop"/> reads to run a
/// loop of such lines several iterations at a time. Null for every other line, which keeps its loop as it is.
/// </param>
internal sealed record Line(string Text, LineEffect? Effect = null) : Code;

internal abstract record LineEffect;

/// <summary><c>Target op= Value;</c>, exactly as its <see cref="Line"/> prints it.</summary>
internal sealed record ScalarAssignment(Expr Target, AssignKind Kind, Expr Value) : LineEffect;

/// <summary><c>Stack.Push(Value);</c>: the forward sweep saving a value the backward pass restores.</summary>
internal sealed record SavePush(string Stack, Expr Value) : LineEffect;

/// <summary><c>Target = Stack.Pop();</c>: the backward pass restoring a saved value.</summary>
internal sealed record SavePop(Expr Target, string Stack) : LineEffect;

/// <summary><c>Header { Body } else { Else }</c>, or <c>do { Body } Footer;</c> when <see cref="Footer"/> is set.</summary>
internal sealed record Nested(string Header, List<Code> Body, List<Code>? Else = null, string? Footer = null) : Code;

/// <summary>
/// Code the reverse sweep places before it exists: a checkpointed loop's backward pass runs its
/// iterations again, as the forward sweep prints them, and the forward sweep is built after the
/// reverse sweep. Expanded when the tree is read or printed, by then built.
/// </summary>
internal sealed record Deferred(System.Func<List<Code>> Build) : Code;
