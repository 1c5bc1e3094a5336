namespace Autodiff.Generator.Model;

// The statement IR. The front end produces structured statements with jumps; JumpLowering
// removes Break, Continue and inner Returns so the differentiation passes see only
// assignments, conditionals and loops.

/// <param name="Span">Where the statement is, for diagnostics.</param>
/// <param name="Source">The statement's source text on one line, for the comments of generated code.</param>
internal abstract record Stmt(SourceSpan Span, string Source);

internal enum AssignKind { Set, Add, Subtract }

/// <summary>A local declaration; nested ones are hoisted by the emitter, top-level ones stay in place.</summary>
internal sealed record Declare(SourceSpan Span, string Source, Local Variable, Expr? Initializer) : Stmt(Span, Source);

/// <summary><c>target = value</c>, <c>target += value</c> or <c>target -= value</c>; other compound forms are expanded.</summary>
internal sealed record Assign(SourceSpan Span, string Source, Expr Target, AssignKind Kind, Expr Value) : Stmt(Span, Source);

/// <summary>An expression evaluated for its effects (a call whose result is unused).</summary>
internal sealed record Evaluate(SourceSpan Span, string Source, Expr Expression) : Stmt(Span, Source);

internal sealed record If(SourceSpan Span, string Source, Expr Condition, Block Then, Block Else) : Stmt(Span, Source);

/// <summary>
/// A loop: <c>Initializer; while (Condition) { Body; Step; }</c>, or with the condition tested after the
/// body for <c>do</c>. <see cref="Counted"/> is set when the loop is <c>for (i = start; i &lt; end; i += c)</c>
/// with i untouched by the body: the backward pass then recomputes i instead of saving it.
/// </summary>
internal sealed record Loop(SourceSpan Span, string Source, Block Initializer, Expr? Condition, Block Body, Block Step, bool TestAfterBody, CountedLoop? Counted) : Stmt(Span, Source);

/// <summary>The index variable, its start value and its constant step.</summary>
internal sealed record CountedLoop(Local Index, Expr Start, int Step);

/// <summary><c>foreach</c> over a sequence that is not a differentiable array (those become counted loops).</summary>
internal sealed record ForEach(SourceSpan Span, string Source, Local Variable, Expr Collection, Block Body) : Stmt(Span, Source);

internal sealed record Break(SourceSpan Span, string Source) : Stmt(Span, Source);

internal sealed record Continue(SourceSpan Span, string Source) : Stmt(Span, Source);

internal sealed record Return(SourceSpan Span, string Source, Expr? Value) : Stmt(Span, Source);

internal sealed record Throw(SourceSpan Span, string Source, Expr Exception) : Stmt(Span, Source);

internal sealed record Block(EquatableArray<Stmt> Statements)
{
    public static readonly Block Empty = new(EquatableArray<Stmt>.Empty);
}
