using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Autodiff.Generator.Diagnostics;
using Autodiff.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Autodiff.Generator.Parsing;

/// <summary>
/// The front end's "language fence": lowers a method body's <see cref="IOperation"/> tree to the IR,
/// resolving every name, and reports each construct outside the supported language at its span with
/// a message naming it. Statements are lowered here, expressions in the other part of this class.
/// </summary>
internal sealed partial class BodyLowerer
{
    private readonly IMethodSymbol _method;
    private readonly LocalNames _names;
    private readonly HashSet<string> _modelParameters;
    private readonly Dictionary<string, SubModelShape> _subModels;
    private readonly CancellationToken _cancellationToken;
    private readonly List<DiagnosticInfo> _diagnostics = new();

    public BodyLowerer(IMethodSymbol method, LocalNames names, HashSet<string> modelParameters, Dictionary<string, SubModelShape> subModels, CancellationToken cancellationToken)
    {
        _method = method;
        _names = names;
        _modelParameters = modelParameters;
        _subModels = subModels;
        _cancellationToken = cancellationToken;
    }

    public IReadOnlyList<DiagnosticInfo> Diagnostics => _diagnostics;

    /// <summary>The body does not compile: the compiler reports that, and the generator generates nothing for it.</summary>
    public bool HasInvalidCode { get; private set; }

    public Block LowerBody(IMethodBodyOperation body)
    {
        IBlockOperation? block = body.BlockBody ?? body.ExpressionBody;
        return block is null ? Block.Empty : LowerBlock(block.Operations);
    }

    private Block LowerBlock(IEnumerable<IOperation> operations)
    {
        var statements = ImmutableArray.CreateBuilder<Stmt>();
        foreach (IOperation operation in operations)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            LowerStatement(operation, statements);
        }
        return new Block(new EquatableArray<Stmt>(statements.ToImmutable()));
    }

    private Block LowerEmbedded(IOperation? operation)
    {
        if (operation is null)
        {
            return Block.Empty;
        }
        if (operation is IBlockOperation block)
        {
            return LowerBlock(block.Operations);
        }
        var statements = ImmutableArray.CreateBuilder<Stmt>();
        LowerStatement(operation, statements);
        return new Block(new EquatableArray<Stmt>(statements.ToImmutable()));
    }

    /// <summary>Lowers one statement; what its expressions do on the side (i++, out var, array initializers) goes first.</summary>
    private void LowerStatement(IOperation operation, ImmutableArray<Stmt>.Builder output)
    {
        SideEffects outer = _sideEffects;
        _sideEffects = new SideEffects(operation, Spans.Of(operation.Syntax), SourceOf(operation.Syntax));
        int start = output.Count;
        try
        {
            LowerStatementItself(operation, output);
            for (int i = _sideEffects.Statements.Count - 1; i >= 0; i--)
            {
                output.Insert(start, _sideEffects.Statements[i]);
            }
        }
        finally
        {
            _sideEffects = outer;
        }
    }

    private void LowerStatementItself(IOperation operation, ImmutableArray<Stmt>.Builder output)
    {
        SourceSpan span = Spans.Of(operation.Syntax);
        string source = SourceOf(operation.Syntax);
        switch (operation)
        {
            case IBlockOperation block:
                foreach (Stmt statement in LowerBlock(block.Operations).Statements)
                {
                    output.Add(statement);
                }
                return;
            case IEmptyOperation:
                return;
            case IVariableDeclarationGroupOperation group:
                LowerDeclarations(group, span, source, output);
                return;
            case IExpressionStatementOperation { Operation: var expression }:
                LowerExpressionStatement(expression, span, source, output);
                return;
            case IReturnOperation ret:
                output.Add(new Return(span, source, ret.ReturnedValue is null ? null : LowerExpression(ret.ReturnedValue)));
                return;
            case IConditionalOperation conditional:
                output.Add(new If(span, source, LowerExpression(conditional.Condition),
                    LowerEmbedded(conditional.WhenTrue), LowerEmbedded(conditional.WhenFalse)));
                return;
            case IWhileLoopOperation loop:
                (Expr? condition, List<Stmt> conditionEffects) = LowerCondition(loop.Condition);
                Block body = LowerEmbedded(loop.Body);
                if (conditionEffects.Count == 0)
                {
                    output.Add(new Loop(span, source, Block.Empty, condition, body, Block.Empty, TestAfterBody: !loop.ConditionIsTop, Counted: null));
                }
                else if (loop.ConditionIsTop || !ContainsContinue(loop.Body))
                {
                    output.Add(new Loop(span, source, Block.Empty, null, TestInBody(span, source, condition!, conditionEffects, body, loop.ConditionIsTop), Block.Empty, TestAfterBody: false, Counted: null));
                }
                else
                {
                    Unsupported(loop.Condition!, "An assignment or increment in the condition of a do loop that has 'continue'", "make it a statement of its own before the condition");
                }
                return;
            case IForLoopOperation loop:
                output.Add(LowerFor(loop, span, source));
                return;
            case IForEachLoopOperation loop:
                LowerForEach(loop, span, source, output);
                return;
            case IBranchOperation { BranchKind: BranchKind.Break }:
                output.Add(new Break(span, source));
                return;
            case IBranchOperation { BranchKind: BranchKind.Continue }:
                output.Add(new Continue(span, source));
                return;
            case IThrowOperation thrown when thrown.Exception is not null:
                output.Add(new Throw(span, source, LowerExpression(thrown.Exception)));
                return;
            case ILocalFunctionOperation:
                Unsupported(operation, "A local function", "move it out of the method as a static method (mark it [Differentiable] if it needs a gradient)");
                return;
            default:
                Unsupported(operation, Describe(operation), "rewrite it with if/else and loops, or move it into a helper method with a [DerivativeOf] pullback");
                return;
        }
    }

    private void LowerDeclarations(IVariableDeclarationGroupOperation group, SourceSpan span, string source, ImmutableArray<Stmt>.Builder output)
    {
        foreach (IVariableDeclarationOperation declaration in group.Declarations)
        {
            foreach (IVariableDeclaratorOperation declarator in declaration.Declarators)
            {
                ILocalSymbol symbol = declarator.Symbol;
                if (symbol.IsConst)
                {
                    continue; // uses are folded to literals
                }
                if (symbol.RefKind != RefKind.None)
                {
                    Unsupported(declarator, "A ref local", "use an ordinary local");
                    continue;
                }
                IOperation? initializer = declarator.GetVariableInitializer()?.Value;
                var local = new Local(TypeClassifier.Classify(symbol.Type), _names.NameOf(symbol));
                if (initializer is IConversionOperation { Operand: { Syntax: CollectionExpressionSyntax } collection })
                {
                    initializer = collection; // double[] w = [x, y]: the elements, not the conversion
                }
                if (initializer is not null && ArrayElements(initializer) is { } elements && LowerArrayInitializer(local.Type, initializer, elements, into: local) is not null)
                {
                    continue; // double[] w = { x, y }: declared with its elements, one statement each
                }
                output.Add(new Declare(span, source, local, initializer is null ? null : LowerExpression(initializer)));
            }
        }
    }

    private void LowerExpressionStatement(IOperation expression, SourceSpan span, string source, ImmutableArray<Stmt>.Builder output)
    {
        switch (expression)
        {
            case ISimpleAssignmentOperation { IsRef: false } assignment:
                output.Add(new Assign(span, source, LowerTarget(assignment.Target), AssignKind.Set, LowerExpression(assignment.Value)));
                return;
            case ICompoundAssignmentOperation compound:
                output.Add(LowerCompound(compound, span, source));
                return;
            case IIncrementOrDecrementOperation step:
                output.Add(LowerIncrement(step, span, source));
                return;
            case IInvocationOperation:
                output.Add(new Evaluate(span, source, LowerExpression(expression)));
                return;
            case IThrowOperation { Exception: not null } thrown:
                output.Add(new Throw(span, source, LowerExpression(thrown.Exception)));
                return;
            case IDeconstructionAssignmentOperation:
                Unsupported(expression, "A deconstruction", "assign each variable on its own");
                return;
            default:
                Unsupported(expression, Describe(expression) + " used as a statement", "assign its result to a local, or move it into a helper method");
                return;
        }
    }

    private Stmt LowerCompound(ICompoundAssignmentOperation compound, SourceSpan span, string source)
    {
        Expr target = LowerTarget(compound.Target);
        Expr value = LowerExpression(compound.Value);
        bool sameType = target.Type == value.Type && compound.OperatorMethod is null
            && compound.InConversion.IsIdentity && compound.OutConversion.IsIdentity;
        if (sameType && compound.OperatorKind is BinaryOperatorKind.Add or BinaryOperatorKind.Subtract)
        {
            return new Assign(span, source, target, compound.OperatorKind == BinaryOperatorKind.Add ? AssignKind.Add : AssignKind.Subtract, value);
        }

        // x op= v means x = (T)(x op v): spell that out so later passes see one form.
        Expr combined = CombineCompound(compound, target, value);
        return new Assign(span, source, target, AssignKind.Set, combined);
    }

    private Expr CombineCompound(ICompoundAssignmentOperation compound, Expr target, Expr value)
    {
        if (compound.OperatorMethod is { } method)
        {
            return OperatorCall(method, compound.OperatorKind, target, value, compound.Syntax);
        }
        TypeRef operationType = TypeClassifier.Classify(compound.InConversion.IsIdentity ? compound.Target.Type : InConversionType(compound));
        Expr left = target.Type == operationType ? target : new Cast(operationType, target, Spans.Of(compound.Syntax));
        Expr right = value.Type == operationType ? value : new Cast(operationType, value, Spans.Of(compound.Syntax));
        Expr combined = new Binary(operationType, MapBinary(compound.OperatorKind, compound), left, right);
        return combined.Type == target.Type ? combined : new Cast(target.Type, combined, Spans.Of(compound.Syntax));
    }

    private static ITypeSymbol? InConversionType(ICompoundAssignmentOperation compound) =>
        // The operation happens in the wider of the two operand types (x is widened to it).
        compound.Value.Type is { SpecialType: SpecialType.System_Double } ? compound.Value.Type : compound.Target.Type;

    private Stmt LowerIncrement(IIncrementOrDecrementOperation step, SourceSpan span, string source)
    {
        Expr target = LowerTarget(step.Target);
        bool increment = step.Kind == OperationKind.Increment;
        if (step.OperatorMethod is not null || !(target.Type.IsScalar || target.Type.Kind == ValueKind.Unmanaged))
        {
            Unsupported(step, "An increment of a user-defined type", "write the addition out");
            return new Evaluate(span, source, target);
        }
        Literal one = target.Type.IsScalar ? Literals.Of(target.Type, 1) : new Literal(target.Type, "1");
        return new Assign(span, source, target, increment ? AssignKind.Add : AssignKind.Subtract, one);
    }

    private Stmt LowerFor(IForLoopOperation loop, SourceSpan span, string source)
    {
        var initializer = ImmutableArray.CreateBuilder<Stmt>();
        foreach (IOperation before in loop.Before)
        {
            LowerStatement(before, initializer);
        }
        var step = ImmutableArray.CreateBuilder<Stmt>();
        foreach (IOperation bottom in loop.AtLoopBottom)
        {
            LowerStatement(bottom, step);
        }
        Block init = new(new EquatableArray<Stmt>(initializer.ToImmutable()));
        (Expr? condition, List<Stmt> conditionEffects) = LowerCondition(loop.Condition);
        Block body = LowerEmbedded(loop.Body);
        Block stepBlock = new(new EquatableArray<Stmt>(step.ToImmutable()));
        if (conditionEffects.Count > 0)
        {
            return new Loop(span, source, init, null, TestInBody(span, source, condition!, conditionEffects, body, testFirst: true), stepBlock, TestAfterBody: false, Counted: null);
        }
        return new Loop(span, source, init, condition, body, stepBlock, TestAfterBody: false, CountedLoops.Detect(init, condition, body, stepBlock));
    }

    private void LowerForEach(IForEachLoopOperation loop, SourceSpan span, string source, ImmutableArray<Stmt>.Builder output)
    {
        if (loop.LoopControlVariable is not IVariableDeclaratorOperation declarator)
        {
            Unsupported(loop, "A foreach with deconstruction", "iterate over the elements and deconstruct inside the loop");
            return;
        }
        var variable = new Local(TypeClassifier.Classify(declarator.Symbol.Type), _names.NameOf(declarator.Symbol));
        IOperation collectionOperation = loop.Collection is IConversionOperation { IsImplicit: true } conversion ? conversion.Operand : loop.Collection;
        if ((SubModelCollection(collectionOperation, SubModelShape.Array) ?? SubModelCollection(collectionOperation, SubModelShape.List)) is { } subModels)
        {
            LowerSubModelLoop(loop, declarator.Symbol, collectionOperation, subModels, span, source, output);
            return;
        }
        Expr collection = LowerExpression(collectionOperation);
        Block body = LowerEmbedded(loop.Body);
        if (collectionOperation.Type is not IArrayTypeSymbol { Rank: 1 })
        {
            output.Add(new ForEach(span, source, variable, collection, body));
            return;
        }

        // foreach over an array is a counted loop over its indices: then the element can carry a
        // gradient, and the backward pass recomputes the index instead of saving the element.
        Local array;
        if (collection is Local local)
        {
            array = local;
        }
        else
        {
            array = new Local(collection.Type, _names.Fresh("items"));
            output.Add(new Declare(span, source, array, collection));
        }
        var index = new Local(TypeRef.Int, _names.Fresh("index"));
        var element = new Element(variable.Type, array, index);
        var statements = ImmutableArray.CreateBuilder<Stmt>();
        statements.Add(new Declare(span, source, variable, variable.Type == element.Type ? element : new Cast(variable.Type, element, span)));
        statements.AddRange(body.Statements);
        var counted = new CountedLoop(index, new Literal(TypeRef.Int, "0"), 1);
        output.Add(new Loop(span, source,
            new Block(new EquatableArray<Stmt>(ImmutableArray.Create<Stmt>(new Declare(span, source, index, counted.Start)))),
            new Binary(TypeRef.Bool, BinaryOp.Less, index, new ArrayLength(TypeRef.Int, array)),
            new Block(new EquatableArray<Stmt>(statements.ToImmutable())),
            new Block(new EquatableArray<Stmt>(ImmutableArray.Create<Stmt>(new Assign(span, source, index, AssignKind.Add, new Literal(TypeRef.Int, "1"))))),
            TestAfterBody: false, counted));
    }

    /// <summary>
    /// <c>foreach (var block in Blocks)</c> over a sub-model array or list: a counted loop in which
    /// <c>block</c> stands for <c>this.Blocks[index]</c>, so that each call finds its sub-model's
    /// gradients at the same path (<c>gradients.Blocks[index]</c>) and the backward pass recomputes it.
    /// </summary>
    private void LowerSubModelLoop(IForEachLoopOperation loop, ILocalSymbol variable, IOperation collectionOperation, string field, SourceSpan span, string source, ImmutableArray<Stmt>.Builder output)
    {
        Expr collection = LowerExpression(collectionOperation);
        var index = new Local(TypeRef.Int, _names.Fresh("index"));
        TypeRef elementType = TypeClassifier.Classify(variable.Type);
        _subModelVariables[variable] = new Opaque(elementType, new EquatableArray<string>(ImmutableArray.Create(string.Empty, "[", "]")),
            new EquatableArray<Expr>(ImmutableArray.Create(collection, (Expr)index)), "sub-model " + field + "[]", Printable: true, span);
        Block body = LowerEmbedded(loop.Body);
        string count = collectionOperation.Type is IArrayTypeSymbol ? ".Length" : ".Count";
        var bound = new Opaque(TypeRef.Int, new EquatableArray<string>(ImmutableArray.Create(string.Empty, count)),
            new EquatableArray<Expr>(ImmutableArray.Create(collection)), "sub-model count", Printable: true, span);
        var counted = new CountedLoop(index, new Literal(TypeRef.Int, "0"), 1);
        output.Add(new Loop(span, source,
            new Block(new EquatableArray<Stmt>(ImmutableArray.Create<Stmt>(new Declare(span, source, index, counted.Start)))),
            new Binary(TypeRef.Bool, BinaryOp.Less, index, bound),
            body,
            new Block(new EquatableArray<Stmt>(ImmutableArray.Create<Stmt>(new Assign(span, source, index, AssignKind.Add, new Literal(TypeRef.Int, "1"))))),
            TestAfterBody: false, counted));
    }

    /// <summary>The iteration variables of foreach loops over sub-models, and the element each stands for.</summary>
    private readonly Dictionary<ILocalSymbol, Expr> _subModelVariables = new(SymbolEqualityComparer.Default);

    private Expr LowerTarget(IOperation target)
    {
        switch (target)
        {
            case ILocalReferenceOperation:
            case IParameterReferenceOperation:
            case IArrayElementReferenceOperation:
            case IFieldReferenceOperation:
            case IPropertyReferenceOperation:
                _loweringTarget = true;
                try
                {
                    return LowerExpression(target);
                }
                finally
                {
                    _loweringTarget = false;
                }
            default:
                return Unsupported(target, "Assigning to " + Describe(target), "assign to a local, a parameter or an array element");
        }
    }

    private Expr Unsupported(IOperation operation, string construct, string wayOut)
    {
        if (operation is IInvalidOperation || operation.Syntax.ContainsDiagnostics)
        {
            HasInvalidCode = true;
            return new Opaque(TypeClassifier.Classify(operation.Type), EquatableArray<string>.Empty, EquatableArray<Expr>.Empty, construct, Printable: false, Spans.Of(operation.Syntax));
        }
        _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedConstruct.Id, Spans.Of(operation.Syntax), construct, wayOut));
        return new Opaque(TypeClassifier.Classify(operation.Type), EquatableArray<string>.Empty, EquatableArray<Expr>.Empty, construct, Printable: false, Spans.Of(operation.Syntax));
    }

    /// <summary>A statement's source for comments: for compound statements only their header.</summary>
    private static string SourceOf(SyntaxNode syntax)
    {
        SyntaxNode? headerEnd = syntax switch
        {
            IfStatementSyntax s => s.Condition,
            WhileStatementSyntax s => s.Condition,
            ForStatementSyntax s => s.Incrementors.Count > 0 ? s.Incrementors.Last() : (SyntaxNode?)s.Condition ?? s.Declaration,
            ForEachStatementSyntax s => s.Expression,
            DoStatementSyntax s => s.Condition,
            _ => null,
        };
        if (syntax is DoStatementSyntax doStatement)
        {
            return "do ... while (" + Spans.OneLine(doStatement.Condition.ToString()) + ")";
        }
        if (headerEnd is null)
        {
            return Spans.OneLine(syntax.ToString());
        }
        string text = syntax.SyntaxTree.GetText().ToString(Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(syntax.SpanStart, headerEnd.Span.End));
        return Spans.OneLine(text + ")");
    }

    /// <summary>Names an operation for a message: "A switch statement", "A stackalloc expression", "An unsafe block".</summary>
    private static string Describe(IOperation operation) => WithArticle(ConstructName(operation));

    private static string ConstructName(IOperation operation)
    {
        switch (operation.Syntax)
        {
            case SwitchStatementSyntax: return "switch statement";
            case SwitchExpressionSyntax: return "switch expression";
            case TryStatementSyntax: return "try statement";
            case UsingStatementSyntax: return "using statement";
            case LocalDeclarationStatementSyntax { UsingKeyword.RawKind: not 0 }: return "using declaration";
            case LockStatementSyntax: return "lock statement";
            case GotoStatementSyntax: return "goto statement";
            case LabeledStatementSyntax: return "labeled statement";
            case YieldStatementSyntax: return "yield statement";
            case CheckedStatementSyntax: return "checked block";
            case FixedStatementSyntax: return "fixed statement";
            case UnsafeStatementSyntax: return "unsafe block";
            case StackAllocArrayCreationExpressionSyntax or ImplicitStackAllocArrayCreationExpressionSyntax: return "stackalloc expression";
            case CollectionExpressionSyntax: return "collection expression";
            case IsPatternExpressionSyntax: return "pattern match ('is')";
            case TupleExpressionSyntax: return "tuple";
            case AwaitExpressionSyntax: return "await expression";
            case QueryExpressionSyntax: return "query expression";
            case ThrowExpressionSyntax: return "throw expression";
            case RangeExpressionSyntax: return "range expression";
            case ConditionalAccessExpressionSyntax: return "null-conditional access ('?.')";
            case BinaryExpressionSyntax b when b.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.CoalesceExpression): return "null-coalescing operator ('??')";
            case WithExpressionSyntax: return "with expression";
            case AnonymousObjectCreationExpressionSyntax: return "anonymous object";
            case RefExpressionSyntax: return "ref expression";
        }
        // Roslyn has no operation kind for some constructs ("None"): name the syntax instead.
        string kind = operation.Kind == OperationKind.None ? Words(operation.Syntax.Kind().ToString()) : Words(operation.Kind.ToString());
        return kind;
    }

    /// <summary>"A" or "An" by the sound of the first word ("A using statement", "An unsafe block").</summary>
    private static string WithArticle(string noun)
    {
        string first = noun.Split(' ')[0];
        bool vowelSound = "aeiou".IndexOf(char.ToLowerInvariant(noun[0])) >= 0
            && !first.StartsWith("us", System.StringComparison.Ordinal) && !first.StartsWith("uni", System.StringComparison.Ordinal);
        return (vowelSound ? "An " : "A ") + noun;
    }

    private static string Words(string pascal)
    {
        var builder = new System.Text.StringBuilder();
        foreach (char c in pascal)
        {
            if (char.IsUpper(c) && builder.Length > 0)
            {
                builder.Append(' ');
            }
            builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }
}
