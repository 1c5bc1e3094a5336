using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Autodiff.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Autodiff.Generator.Parsing;

/// <summary>
/// Expressions with side effects, as library code writes them (<c>buffer[count++] = v</c>,
/// <c>while (i++ &lt; n)</c>, <c>a = b = x</c>, <c>int.TryParse(s, out int n)</c>,
/// <c>double[] w = { x, y }</c>), become statements of their own before the statement that holds
/// them, so that the IR's expressions stay free of effects. This is only done where it keeps C#'s
/// order of evaluation: never under <c>?:</c>, <c>&amp;&amp;</c>, <c>||</c> or <c>??</c>, and an
/// incremented or assigned variable must not be read elsewhere in the same statement.
/// </summary>
internal sealed partial class BodyLowerer
{
    /// <summary>The statement being lowered and the statements its side effects became, in order.</summary>
    private sealed class SideEffects
    {
        public SideEffects(IOperation root, SourceSpan span, string source)
        {
            Root = root;
            Span = span;
            Source = source;
        }

        public IOperation Root { get; }
        public SourceSpan Span { get; }
        public string Source { get; }
        public List<Stmt> Statements { get; } = new();

        /// <summary>Inside a branch of ?:, the right side of &amp;&amp; or ||: evaluated only sometimes.</summary>
        public int ConditionalDepth { get; set; }
    }

    private SideEffects _sideEffects = new(null!, SourceSpan.None, string.Empty);

    /// <summary>A loop condition, with the statements its side effects became (run before each test).</summary>
    private (Expr? Condition, List<Stmt> Effects) LowerCondition(IOperation? condition)
    {
        if (condition is null)
        {
            return (null, new List<Stmt>());
        }
        SideEffects outer = _sideEffects;
        _sideEffects = new SideEffects(condition, Spans.Of(condition.Syntax), Spans.OneLine(condition.Syntax.ToString()));
        try
        {
            Expr lowered = LowerExpression(condition);
            return (lowered, _sideEffects.Statements);
        }
        finally
        {
            _sideEffects = outer;
        }
    }

    /// <summary>while (c) body with effects in c: while (true) { effects; if (!c) break; body } (for a do loop, the test goes last).</summary>
    private static Block TestInBody(SourceSpan span, string source, Expr condition, List<Stmt> effects, Block body, bool testFirst)
    {
        var test = new List<Stmt>(effects)
        {
            new If(span, source, new Unary(TypeRef.Bool, UnaryOp.Not, condition), Blocks(new Break(span, source)), Block.Empty),
        };
        var statements = testFirst ? test.Concat(body.Statements) : body.Statements.Concat(test);
        return new Block(statements.ToEquatableArray());
    }

    private static Block Blocks(params Stmt[] statements) => new(statements.ToEquatableArray());

    private static bool ContainsContinue(IOperation? body) =>
        body is not null && body.Descendants().Any(d => d is IBranchOperation { BranchKind: BranchKind.Continue });

    /// <summary>Whether a side effect on this variable can move before the statement without changing what the statement computes.</summary>
    private bool CanHoist(ISymbol variable, IOperation effect)
    {
        if (_sideEffects.Root is null || _sideEffects.ConditionalDepth > 0)
        {
            return false;
        }
        int reads = _sideEffects.Root.DescendantsAndSelf()
            .Count(r => SymbolEqualityComparer.Default.Equals(VariableOf(r), variable) && !effect.DescendantsAndSelf().Contains(r));
        return reads == 0;
    }

    /// <summary>The local or parameter (of this method) an operation refers to, or null.</summary>
    private ISymbol? VariableOf(IOperation? operation) => operation switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter when SymbolEqualityComparer.Default.Equals(parameter.Parameter.ContainingSymbol, _method) => parameter.Parameter,
        _ => null,
    };

    private Local VariableAsLocal(ISymbol variable) => variable switch
    {
        ILocalSymbol local => new Local(TypeClassifier.Classify(local.Type), _names.NameOf(local)),
        IParameterSymbol parameter => new Local(TypeClassifier.Classify(parameter.Type), parameter.Name),
        _ => throw new System.ArgumentException("not a variable", nameof(variable)),
    };

    /// <summary>i++ or ++i on an integer variable inside an expression: the increment goes first, the expression reads the right value.</summary>
    private Expr? LowerIncrementExpression(IIncrementOrDecrementOperation step)
    {
        if (VariableOf(step.Target) is not { } symbol || step.OperatorMethod is not null
            || TypeClassifier.Classify(step.Target.Type) is not { Kind: ValueKind.Unmanaged } type || !CanHoist(symbol, step))
        {
            return null;
        }
        Local local = VariableAsLocal(symbol);
        AssignKind kind = step.Kind == OperationKind.Increment ? AssignKind.Add : AssignKind.Subtract;
        var increment = new Assign(_sideEffects.Span, _sideEffects.Source, local, kind, new Literal(type, "1"));
        if (step.IsPostfix)
        {
            var before = new Local(type, _names.Fresh(symbol.Name + "Before"));
            _sideEffects.Statements.Add(new Declare(_sideEffects.Span, _sideEffects.Source, before, local));
            _sideEffects.Statements.Add(increment);
            return before;
        }
        _sideEffects.Statements.Add(increment);
        return local;
    }

    /// <summary>a = (b = x) or a = (b += x): the inner assignment goes first, the expression reads b.</summary>
    private Expr? LowerAssignmentExpression(IOperation assignment, IOperation target)
    {
        if (VariableOf(target) is not { } symbol || !CanHoist(symbol, assignment))
        {
            return null;
        }
        var statements = ImmutableArray.CreateBuilder<Stmt>();
        LowerExpressionStatement(assignment, _sideEffects.Span, _sideEffects.Source, statements);
        _sideEffects.Statements.AddRange(statements);
        return VariableAsLocal(symbol);
    }

    /// <summary>
    /// a || b and a &amp;&amp; b where b has side effects (if (done || ++guard &gt; 100) break;):
    /// bool c = a; if (!c) { b's effects; c = b; } — b's effects happen exactly when C# would run them.
    /// </summary>
    private Expr? LowerShortCircuit(IBinaryOperation binary, Expr left)
    {
        if (_sideEffects.Root is null || _sideEffects.ConditionalDepth > 0 || !HasSideEffects(binary.RightOperand))
        {
            return null;
        }
        var condition = new Local(TypeRef.Bool, _names.Fresh("condition"));
        _sideEffects.Statements.Add(new Declare(_sideEffects.Span, _sideEffects.Source, condition, left));
        SideEffects outer = _sideEffects;
        _sideEffects = new SideEffects(outer.Root, outer.Span, outer.Source);
        List<Stmt> effects;
        Expr right;
        try
        {
            right = LowerExpression(binary.RightOperand);
            effects = _sideEffects.Statements;
        }
        finally
        {
            _sideEffects = outer;
        }
        effects.Add(new Assign(outer.Span, outer.Source, condition, AssignKind.Set, right));
        bool isOr = binary.OperatorKind == BinaryOperatorKind.ConditionalOr;
        Expr test = isOr ? new Unary(TypeRef.Bool, UnaryOp.Not, condition) : condition;
        _sideEffects.Statements.Add(new If(outer.Span, outer.Source, test, new Block(effects.ToEquatableArray()), Block.Empty));
        return condition;
    }

    private static bool HasSideEffects(IOperation operation) =>
        operation.DescendantsAndSelf().Any(d => d is IIncrementOrDecrementOperation or IAssignmentOperation or IDeclarationExpressionOperation);

    /// <summary>F(out int n): n is declared first and passed as an out argument.</summary>
    private Expr? LowerOutDeclaration(IDeclarationExpressionOperation declaration)
    {
        if (declaration.Expression is not ILocalReferenceOperation { Local: var symbol } || _sideEffects.Root is null || _sideEffects.ConditionalDepth > 0)
        {
            return null;
        }
        var local = new Local(TypeClassifier.Classify(symbol.Type), _names.NameOf(symbol));
        _sideEffects.Statements.Add(new Declare(_sideEffects.Span, _sideEffects.Source, local, null));
        return local;
    }

    /// <summary>
    /// new[] { x, y } (or { x, y }, or [x, y]) of doubles or floats: a new array whose elements are
    /// assigned one by one, so that each element can carry a gradient. Declared straight into the
    /// variable when it initialises one, else into a temporary before the statement.
    /// </summary>
    private Local? LowerArrayInitializer(TypeRef type, IOperation creation, IReadOnlyList<IOperation> elements, Local? into)
    {
        if (!type.IsArray || _sideEffects.Root is null || _sideEffects.ConditionalDepth > 0
            || elements.Any(e => e.DescendantsAndSelf().Any(d => d is IInvocationOperation call && !IsPureMath(call) || d is IAssignmentOperation or IIncrementOrDecrementOperation)))
        {
            return null;
        }
        Local array = into ?? new Local(type, _names.Fresh("items"));
        var size = new Literal(TypeRef.Int, elements.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var statements = new List<Stmt> { new Declare(_sideEffects.Span, _sideEffects.Source, array, new NewArray(type, size)) };
        for (int i = 0; i < elements.Count; i++)
        {
            Expr value = LowerExpression(elements[i]);
            if (value.Type != type.Element)
            {
                value = new Cast(type.Element, value, Spans.Of(elements[i].Syntax));
            }
            var element = new Element(type.Element, array, new Literal(TypeRef.Int, i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            statements.Add(new Assign(_sideEffects.Span, _sideEffects.Source, element, AssignKind.Set, value));
        }
        _sideEffects.Statements.AddRange(statements);
        return array;
    }

    /// <summary>The elements of an array creation with an initializer, or of a collection expression of array type.</summary>
    private static IReadOnlyList<IOperation>? ArrayElements(IOperation operation) => operation switch
    {
        IArrayCreationOperation { Initializer: { } initializer, DimensionSizes.Length: 1 } => initializer.ElementValues,
        IConversionOperation => null, // the conversion of a collection expression to its type has the same syntax: look at its operand
        _ when operation.Syntax is CollectionExpressionSyntax && operation.Type is IArrayTypeSymbol { Rank: 1 } => operation.ChildOperations.ToList(),
        _ => null,
    };

    /// <summary>Calls of Math and MathF have no effects: moving them before the statement changes nothing.</summary>
    private static bool IsPureMath(IInvocationOperation call) =>
        call.TargetMethod.ContainingType?.ToDisplayString() is "System.Math" or "System.MathF";
}
