using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Autodiff.Generator.Diagnostics;
using Autodiff.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Autodiff.Generator.Parsing;

internal sealed partial class BodyLowerer
{
    private const string DifferentiableAttributeName = "Autodiff.DifferentiableAttribute";
    public const string NoGradAttributeName = "Autodiff.NoGradAttribute";

    public Expr LowerExpression(IOperation operation)
    {
        TypeRef type = TypeClassifier.Classify(operation.Type);
        if (operation.ConstantValue.HasValue && operation is not IAnonymousFunctionOperation)
        {
            return new Literal(type, Literals.Format(operation.ConstantValue.Value, operation.Type));
        }
        switch (operation)
        {
            case ILocalReferenceOperation local when _subModelVariables.TryGetValue(local.Local, out Expr? subModel):
                return subModel;
            case ILocalReferenceOperation local:
                return new Local(type, _names.NameOf(local.Local));
            case IParameterReferenceOperation parameter:
                if (!SymbolEqualityComparer.Default.Equals(parameter.Parameter.ContainingSymbol, _method))
                {
                    return Unsupported(operation, "A lambda parameter", "move the lambda out of the method");
                }
                return new Local(type, parameter.Parameter.Name);
            case IInstanceReferenceOperation:
                return Opaque(type, "this", operation, "'this'");
            case IFieldReferenceOperation field when IsModelParameter(field.Field, field.Instance):
                return new Local(type, ParameterSpec.FieldPrefix + field.Field.Name);
            case IPropertyReferenceOperation property when property.Arguments.IsEmpty && IsModelParameter(property.Property, property.Instance):
                return new Local(type, ParameterSpec.FieldPrefix + property.Property.Name);
            case IFieldReferenceOperation field:
                CheckNotParameter(field.Field, field.Field.Type, field.Instance, operation);
                return MemberAccess(type, field.Field, field.Instance, operation, "field '" + field.Field.Name + "'");
            case IPropertyReferenceOperation property:
                return LowerProperty(type, property);
            case IBinaryOperation binary:
                return LowerBinary(type, binary);
            case IUnaryOperation unary:
                return LowerUnary(type, unary);
            case IConversionOperation conversion:
                return LowerConversion(type, conversion);
            case IInvocationOperation invocation:
                return LowerInvocation(type, invocation);
            case IArrayElementReferenceOperation element:
                return LowerElement(type, element);
            case IConditionalOperation { WhenFalse: not null } conditional:
            {
                Expr condition = LowerExpression(conditional.Condition);
                _sideEffects.ConditionalDepth++;
                try
                {
                    return new Conditional(type, condition, LowerExpression(conditional.WhenTrue), LowerExpression(conditional.WhenFalse));
                }
                finally
                {
                    _sideEffects.ConditionalDepth--;
                }
            }
            case IArrayCreationOperation creation:
                return LowerArrayCreation(type, creation);
            case IObjectCreationOperation creation when creation.Initializer is null:
                return Template(type, "new " + type.Name + "(", ArgumentValues(creation.Arguments), ")", operation, "object creation");
            case IObjectCreationOperation creation when LowerInitializer(type, creation) is { } initialized:
                return initialized;
            case IIncrementOrDecrementOperation step when LowerIncrementExpression(step) is { } incremented:
                return incremented;
            case ISimpleAssignmentOperation { IsRef: false } assignment when LowerAssignmentExpression(assignment, assignment.Target) is { } assigned:
                return assigned;
            case ICompoundAssignmentOperation assignment when LowerAssignmentExpression(assignment, assignment.Target) is { } assigned:
                return assigned;
            case var _ when operation.Syntax is CollectionExpressionSyntax && ArrayElements(operation) is { } elements:
                return (Expr?)LowerArrayInitializer(type, operation, elements, into: null)
                    ?? Template(type, "new " + type.Name + " { ", elements.Select(LowerExpression).ToList(), " }", operation, "collection expression");
            case IInterpolatedStringOperation interpolated:
                return LowerInterpolatedString(type, interpolated);
            case ITypeOfOperation typeOf:
                return new Literal(type, "typeof(" + typeOf.TypeOperand.ToDisplayString(TypeClassifier.Format) + ")");
            case IDefaultValueOperation:
                return new Literal(type, "default(" + type.Name + ")");
            case IAnonymousFunctionOperation lambda:
                return LowerLambda(type, lambda);
            case IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda }:
                return LowerLambda(type, lambda);
            case ISimpleAssignmentOperation or ICompoundAssignmentOperation or IIncrementOrDecrementOperation:
                return Unsupported(operation, "An assignment inside an expression", "make the assignment a statement of its own");
            default:
                return Unsupported(operation, Describe(operation), "rewrite it with the supported operators and calls, or move it into a helper method with a [DerivativeOf] pullback");
        }
    }

    /// <summary>
    /// The sub-model an expression reaches through this: <c>Block</c>, <c>Blocks[i]</c> of an array,
    /// <c>Blocks[i]</c> of a list; null for anything else. Its name, for messages.
    /// </summary>
    private string? SubModelAccess(IOperation operation) => operation switch
    {
        IFieldReferenceOperation { Instance: IInstanceReferenceOperation } field when IsSubModel(field.Field, SubModelShape.One) => field.Field.Name,
        IPropertyReferenceOperation { Instance: IInstanceReferenceOperation, Arguments.IsEmpty: true } property when IsSubModel(property.Property, SubModelShape.One) => property.Property.Name,
        IArrayElementReferenceOperation { Indices.Length: 1 } element when SubModelCollection(element.ArrayReference, SubModelShape.Array) is { } name => name + "[]",
        IPropertyReferenceOperation { Arguments.Length: 1, Instance: { } list } indexer when SubModelCollection(list, SubModelShape.List) is { } name => name + "[]",
        ILocalReferenceOperation local when _subModelVariables.TryGetValue(local.Local, out Expr? element) => local.Local.Name,
        _ => null,
    };

    private string? SubModelCollection(IOperation operation, SubModelShape shape) => operation switch
    {
        IFieldReferenceOperation { Instance: IInstanceReferenceOperation } field when IsSubModel(field.Field, shape) => field.Field.Name,
        IPropertyReferenceOperation { Instance: IInstanceReferenceOperation, Arguments.IsEmpty: true } property when IsSubModel(property.Property, shape) => property.Property.Name,
        _ => null,
    };

    private bool IsSubModel(ISymbol member, SubModelShape shape) =>
        _subModels.TryGetValue(member.Name, out SubModelShape held) && held == shape
        && SymbolEqualityComparer.Default.Equals(member.ContainingType, _method.ContainingType);

    /// <summary>A differentiable field or property of the model, read through this.</summary>
    private bool IsModelParameter(ISymbol member, IOperation? instance) =>
        instance is IInstanceReferenceOperation && _modelParameters.Contains(member.Name)
        && SymbolEqualityComparer.Default.Equals(member.ContainingType, _method.ContainingType);

    /// <summary>
    /// A member of the model read through this that holds numbers but is not one of its parameters
    /// (a Tensor[], a List&lt;Tensor&gt;, a double[], a sub-model, a base class's tensor): its
    /// gradient would be lost in silence (ADIFF016) unless the user says it is a constant.
    /// </summary>
    private readonly HashSet<string> _reportedMembers = new();

    /// <summary>Set while lowering an assignment's target: writing a member is not reading it.</summary>
    private bool _loweringTarget;

    private void CheckNotParameter(ISymbol member, ITypeSymbol memberType, IOperation? instance, IOperation operation)
    {
        if (!_loweringTarget && instance is not null && SubModelAccess(instance) is { } subModel && !member.IsStatic
            && TypeClassifier.MayCarryGradient(memberType) && !member.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == NoGradAttributeName))
        {
            // Its gradient would belong in the sub-model's gradients, which only its own methods fill.
            Unsupported(operation, "Reading '" + member.Name + "', a parameter of the sub-model '" + subModel + "',",
                "call a [Differentiable] method of the sub-model that uses it, so that its gradient reaches the sub-model's gradients");
            return;
        }
        if (_loweringTarget || instance is not IInstanceReferenceOperation || _subModels.ContainsKey(member.Name) || member.IsStatic || _modelParameters.Contains(member.Name) && SymbolEqualityComparer.Default.Equals(member.ContainingType, _method.ContainingType)
            || member.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == NoGradAttributeName)
            || !TypeClassifier.MayCarryGradient(memberType))
        {
            return;
        }
        if (!_reportedMembers.Add(member.Name))
        {
            return; // once per member is enough
        }
        _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MemberNotParameter.Id, Spans.Of(operation.Syntax),
            member.Name, memberType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
    }

    private Expr LowerProperty(TypeRef type, IPropertyReferenceOperation property)
    {
        if (property.Arguments.IsEmpty)
        {
            CheckNotParameter(property.Property, property.Property.Type, property.Instance, property);
        }
        if (property.Property.Name == "Length" && property.Instance?.Type is IArrayTypeSymbol && property.Arguments.IsEmpty
            && LowerExpression(property.Instance) is Local array)
        {
            return new ArrayLength(type, array);
        }
        if (!property.Arguments.IsEmpty)
        {
            Expr receiver = property.Instance is null ? Opaque(type, property.Property.ContainingType.ToDisplayString(TypeClassifier.Format), property, "type") : LowerExpression(property.Instance);
            var holes = new List<Expr> { receiver };
            holes.AddRange(ArgumentValues(property.Arguments));
            var parts = new List<string> { string.Empty, "[" };
            for (int i = 1; i < property.Arguments.Length; i++)
            {
                parts.Add(", ");
            }
            parts.Add("]");
            return new Opaque(type, parts.ToEquatableArray(), holes.ToEquatableArray(), "indexer", Printable: true, Spans.Of(property.Syntax));
        }
        Expr access = MemberAccess(type, property.Property, property.Instance, property, "property '" + property.Property.Name + "'");
        return IsShapeQuery(property.Property) ? new StopGradient(type, access, string.Empty) : access;
    }

    private Expr MemberAccess(TypeRef type, ISymbol member, IOperation? instance, IOperation operation, string construct)
    {
        if (instance is null)
        {
            return Opaque(type, member.ContainingType.ToDisplayString(TypeClassifier.Format) + "." + member.Name, operation, construct);
        }
        return new Opaque(type, new EquatableArray<string>(ImmutableArray.Create(string.Empty, "." + member.Name)),
            new EquatableArray<Expr>(ImmutableArray.Create(LowerExpression(instance))), construct, Printable: true, Spans.Of(operation.Syntax));
    }

    private Expr LowerBinary(TypeRef type, IBinaryOperation binary)
    {
        if (binary.IsLifted)
        {
            return Unsupported(binary, "An operator on nullable values", "use non-nullable values");
        }
        Expr left = LowerExpression(binary.LeftOperand);
        bool shortCircuit = binary.OperatorKind is BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr;
        if (shortCircuit && LowerShortCircuit(binary, left) is { } evaluated)
        {
            return evaluated;
        }
        _sideEffects.ConditionalDepth += shortCircuit ? 1 : 0;
        Expr right;
        try
        {
            right = LowerExpression(binary.RightOperand);
        }
        finally
        {
            _sideEffects.ConditionalDepth -= shortCircuit ? 1 : 0;
        }
        if (binary.OperatorMethod is { } method)
        {
            return OperatorCall(method, binary.OperatorKind, left, right, binary.Syntax);
        }
        return new Binary(type, MapBinary(binary.OperatorKind, binary), left, right);
    }

    private BinaryOp MapBinary(BinaryOperatorKind kind, IOperation operation)
    {
        switch (kind)
        {
            case BinaryOperatorKind.Add: return BinaryOp.Add;
            case BinaryOperatorKind.Subtract: return BinaryOp.Subtract;
            case BinaryOperatorKind.Multiply: return BinaryOp.Multiply;
            case BinaryOperatorKind.Divide: return BinaryOp.Divide;
            case BinaryOperatorKind.Remainder: return BinaryOp.Remainder;
            case BinaryOperatorKind.Equals: return BinaryOp.Equal;
            case BinaryOperatorKind.NotEquals: return BinaryOp.NotEqual;
            case BinaryOperatorKind.LessThan: return BinaryOp.Less;
            case BinaryOperatorKind.LessThanOrEqual: return BinaryOp.LessOrEqual;
            case BinaryOperatorKind.GreaterThan: return BinaryOp.Greater;
            case BinaryOperatorKind.GreaterThanOrEqual: return BinaryOp.GreaterOrEqual;
            case BinaryOperatorKind.ConditionalAnd: return BinaryOp.And;
            case BinaryOperatorKind.ConditionalOr: return BinaryOp.Or;
            case BinaryOperatorKind.And: return BinaryOp.BitAnd;
            case BinaryOperatorKind.Or: return BinaryOp.BitOr;
            case BinaryOperatorKind.ExclusiveOr: return BinaryOp.BitXor;
            case BinaryOperatorKind.LeftShift: return BinaryOp.ShiftLeft;
            case BinaryOperatorKind.RightShift: return BinaryOp.ShiftRight;
            default:
                Unsupported(operation, "The operator " + kind, "rewrite it with +, -, *, /, %, comparisons and logical operators");
                return BinaryOp.Add;
        }
    }

    private Expr LowerUnary(TypeRef type, IUnaryOperation unary)
    {
        Expr operand = LowerExpression(unary.Operand);
        if (unary.OperatorMethod is { } method)
        {
            return OperatorCall(method, null, operand, null, unary.Syntax);
        }
        switch (unary.OperatorKind)
        {
            case UnaryOperatorKind.Minus: return new Unary(type, UnaryOp.Negate, operand);
            case UnaryOperatorKind.Plus: return operand;
            case UnaryOperatorKind.Not: return new Unary(type, UnaryOp.Not, operand);
            case UnaryOperatorKind.BitwiseNegation: return new Unary(type, UnaryOp.BitNot, operand);
            default: return Unsupported(unary, "The operator " + unary.OperatorKind, "rewrite it with the supported operators");
        }
    }

    /// <summary>A user-defined operator (e.g. on tensors) is a call like any other, printed as the operator.</summary>
    private Expr OperatorCall(IMethodSymbol method, BinaryOperatorKind? kind, Expr first, Expr? second, SyntaxNode syntax)
    {
        var arguments = new List<Argument> { new(first, RefMode.Value) };
        if (second is not null)
        {
            arguments.Add(new Argument(second, RefMode.Value));
        }
        return new Invocation(TypeClassifier.Classify(method.ReturnType), DescribeCallee(method), null, arguments.ToEquatableArray(), Spans.Of(syntax));
    }

    private Expr LowerConversion(TypeRef type, IConversionOperation conversion)
    {
        Expr operand = LowerExpression(conversion.Operand);
        CommonConversion common = conversion.Conversion;
        if (common.IsIdentity || operand.Type == type)
        {
            return operand;
        }
        if (common.IsUserDefined)
        {
            return Unsupported(conversion, "A user-defined conversion", "call a method instead");
        }
        if (common.IsNumeric || conversion.Operand.Type?.TypeKind == TypeKind.Enum || conversion.Type?.TypeKind == TypeKind.Enum || (conversion.Operand.Type?.IsValueType == true && type.Kind is ValueKind.Unmanaged))
        {
            return new Cast(type, operand, Spans.Of(conversion.Syntax));
        }
        // Boxing, reference and interface conversions: the compiler redoes them where the value is used.
        return new Opaque(type, new EquatableArray<string>(ImmutableArray.Create("((" + type.Name + ")", ")")),
            new EquatableArray<Expr>(ImmutableArray.Create(operand)),
            Transforms.GradientFlow.ConversionConstruct + "'" + conversion.Type?.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + "'", Printable: true, Spans.Of(conversion.Syntax));
    }

    private Expr LowerInvocation(TypeRef type, IInvocationOperation invocation)
    {
        IMethodSymbol method = invocation.TargetMethod;
        if (method.ContainingType?.ToDisplayString() == "Autodiff.Grad" && method.Name == "Stop" && invocation.Arguments.Length == 1)
        {
            return new StopGradient(type, LowerExpression(invocation.Arguments[0].Value), "global::Autodiff.Grad.Stop");
        }
        if (IsShapeQuery(method))
        {
            // x.Dim(0) reads the shape, never the values: no gradient to lose (as an array's Length).
            return new StopGradient(type, LowerInvocationCall(type, invocation), string.Empty);
        }
        return LowerInvocationCall(type, invocation);
    }

    /// <summary>Members of Tensor that read its shape only: their results carry no gradient.</summary>
    private static bool IsShapeQuery(ISymbol member) =>
        member.ContainingType?.ToDisplayString() == "Autodiff.Tensor" && member.Name is "Dim" or "HasShape" or "Rank" or "Length" or "Shape";

    private Expr LowerInvocationCall(TypeRef type, IInvocationOperation invocation)
    {
        IMethodSymbol method = invocation.TargetMethod;
        var arguments = new List<Argument>();
        foreach (IArgumentOperation argument in invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0))
        {
            RefMode kind = argument.Parameter?.RefKind switch
            {
                RefKind.Ref => RefMode.Ref,
                RefKind.Out => RefMode.Out,
                RefKind.In => RefMode.In,
                _ => RefMode.Value,
            };
            if (argument.Value is IDeclarationExpressionOperation declaration)
            {
                if (LowerOutDeclaration(declaration) is not { } declared)
                {
                    return Unsupported(argument, "An out variable declaration here", "declare the variable before the statement");
                }
                arguments.Add(new Argument(declared, kind));
                continue;
            }
            if (IsExpandedParams(argument))
            {
                // Tensor.Zeros(rows, 6): the compiler gathers the trailing arguments into an array or
                // span; the IR spells that collection out instead of an implicit operation.
                arguments.Add(new Argument(LowerParams(argument), kind));
                continue;
            }
            arguments.Add(new Argument(LowerExpression(argument.Value), kind));
        }
        Expr? receiver = method.IsStatic || invocation.Instance is null ? null : LowerExpression(invocation.Instance);
        Callee callee = DescribeCallee(method);
        if (!method.IsStatic && callee.Pullback is not null && invocation.Instance is not null && SubModelAccess(invocation.Instance) is not null)
        {
            // Block.Forward(x) or Blocks[i].Forward(x): its pullback adds into the sub-model's share of the gradients.
            callee = callee with
            {
                Pullback = method.Name + "Pullback",
                ModelMethod = true,
                SubModel = true,
                ReadsParameters = true,
            };
        }
        else if (!method.IsStatic && callee.Pullback is not null)
        {
            if (invocation.Instance is not IInstanceReferenceOperation || !SymbolEqualityComparer.Default.Equals(method.ContainingType, _method.ContainingType))
            {
                // Its gradients would belong to another object, which this method has no gradients for.
                return Unsupported(invocation, "A call to the [Differentiable] method '" + callee.Display + "' of another object",
                    "call it on this, or on a sub-model the model holds in a field (Block.Forward(x)) or in an array or list field "
                    + "(Blocks[i].Forward(x)), or make it static and pass the parameters as arguments");
            }
            callee = callee with
            {
                Pullback = method.Name + "Pullback",
                ModelMethod = true,
                ReadsParameters = _modelParameters.Count > 0 || _subModels.Count > 0,
            };
        }
        else if (!method.IsStatic && invocation.Instance is IInstanceReferenceOperation && (_modelParameters.Count > 0 || _subModels.Count > 0)
            && SymbolEqualityComparer.Default.Equals(method.ContainingType, _method.ContainingType))
        {
            // A helper of the model may read its parameters: without a derivative that is an error, not a silent zero.
            callee = callee with { ReadsParameters = true };
        }
        return new Invocation(type, callee, receiver, arguments.ToEquatableArray(), Spans.Of(invocation.Syntax));
    }

    /// <summary>A params array or params collection in its expanded form (the compiler built it).</summary>
    private static bool IsExpandedParams(IArgumentOperation argument) =>
        // ArgumentKind.ParamArray, or ParamCollection (4) from Roslyn 4.12 on, for params spans.
        (argument.ArgumentKind == ArgumentKind.ParamArray || (int)argument.ArgumentKind == 4) && argument.Value.IsImplicit;

    /// <summary>
    /// The gathered arguments as one explicit collection (<c>new T[] { a, b }</c>, or <c>[a, b]</c> for a
    /// params span, which allocates nothing), so that a pullback taking the same parameter accepts it too.
    /// </summary>
    private Expr LowerParams(IArgumentOperation argument)
    {
        if (ArrayElements(argument.Value) is { } values && LowerArrayInitializer(TypeClassifier.Classify(argument.Value.Type), argument.Value, values, into: null) is { } gathered)
        {
            return gathered; // Sum(x, y) of a params double[]: an array whose elements carry gradients
        }
        bool array = argument.Value is IArrayCreationOperation;
        IEnumerable<IOperation> elements = argument.Value is IArrayCreationOperation creation
            ? creation.Initializer?.ElementValues ?? Enumerable.Empty<IOperation>()
            : argument.Value.ChildOperations;
        var holes = elements.Select(LowerExpression).ToList();
        string open = array ? "new " + argument.Value.Type!.ToDisplayString(TypeClassifier.Format) + " { " : "[";
        string close = array ? " }" : "]";
        var parts = new List<string> { holes.Count == 0 ? open.TrimEnd() + close.TrimStart() : open };
        for (int i = 1; i < holes.Count; i++)
        {
            parts.Add(", ");
        }
        if (holes.Count > 0)
        {
            parts.Add(close);
        }
        return new Opaque(TypeClassifier.Classify(argument.Value.Type), parts.ToEquatableArray(), holes.ToEquatableArray(), "params argument list", Printable: true, Spans.Of(argument.Syntax));
    }

    private static Callee DescribeCallee(IMethodSymbol method)
    {
        string containing = method.ContainingType.ToDisplayString(TypeClassifier.Format);
        string typeArguments = method.IsGenericMethod
            ? "<" + string.Join(", ", method.TypeArguments.Select(t => t.ToDisplayString(TypeClassifier.Format))) + ">"
            : string.Empty;
        string printed = method.MethodKind == MethodKind.UserDefinedOperator
            ? OperatorToken(method.Name)
            : method.IsStatic ? containing + "." + method.Name + typeArguments : method.Name + typeArguments;
        bool differentiable = method.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == DifferentiableAttributeName);
        var parameterTypes = method.Parameters.Select(p => TypeClassifier.Classify(p.Type)).ToEquatableArray();
        var differentiableParameters = method.Parameters.Select(IsDifferentiableParameter).ToEquatableArray();
        return new Callee(
            method.ContainingType.Name + "." + method.Name,
            printed,
            TypeClassifier.RuleKey(method),
            differentiable ? containing + "." + method.Name + "Pullback" : null,
            parameterTypes,
            differentiableParameters);
    }

    public static bool IsDifferentiableParameter(IParameterSymbol parameter) =>
        parameter.RefKind == RefKind.None
        && TypeClassifier.Classify(parameter.Type).IsDifferentiable
        && !parameter.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == NoGradAttributeName);

    /// <summary>The C# token of an operator method (op_Addition is "+"); callers print it between the operands.</summary>
    private static string OperatorToken(string metadataName) => metadataName switch
    {
        "op_Addition" => "+",
        "op_Subtraction" => "-",
        "op_Multiply" => "*",
        "op_Division" => "/",
        "op_Modulus" => "%",
        "op_UnaryNegation" => "-",
        "op_UnaryPlus" => "+",
        _ => metadataName,
    };

    private Expr LowerElement(TypeRef type, IArrayElementReferenceOperation element)
    {
        Expr array = LowerExpression(element.ArrayReference);
        if (element.Indices.Length != 1)
        {
            return Template(type, string.Empty, new[] { array }.Concat(element.Indices.Select(LowerExpression)).ToList(), string.Empty, element, "multi-dimensional array element", bracketed: true);
        }
        Expr index = LowerExpression(element.Indices[0]);
        if (array is Local local)
        {
            return new Element(type, local, index);
        }
        return new Opaque(type, new EquatableArray<string>(ImmutableArray.Create(string.Empty, "[", "]")),
            new EquatableArray<Expr>(ImmutableArray.Create(array, index)), "element of an array that is not a local or parameter", Printable: true, Spans.Of(element.Syntax));
    }

    private Expr LowerArrayCreation(TypeRef type, IArrayCreationOperation creation)
    {
        if (creation.DimensionSizes.Length == 1 && creation.Initializer is null)
        {
            Expr size = LowerExpression(creation.DimensionSizes[0]);
            if (type.IsArray)
            {
                return new NewArray(type, size);
            }
            string element = ((IArrayTypeSymbol)creation.Type!).ElementType.ToDisplayString(TypeClassifier.Format);
            return Template(type, "new " + element + "[", new List<Expr> { size }, "]", creation, "array creation");
        }
        if (ArrayElements(creation) is { } elements && LowerArrayInitializer(type, creation, elements, into: null) is { } array)
        {
            return array;
        }
        if (creation.Initializer is { } initializer && creation.DimensionSizes.Length == 1)
        {
            var values = initializer.ElementValues.Select(LowerExpression).ToList();
            return Template(type, "new " + type.Name + " { ", values, " }", creation, "array initializer");
        }
        return Unsupported(creation, "A multi-dimensional array creation", "use a one-dimensional array");
    }

    /// <summary>new List&lt;int&gt; { 1, 2 } and new Pair { A = a }: printed as written (a value like any other object creation).</summary>
    private Expr? LowerInitializer(TypeRef type, IObjectCreationOperation creation)
    {
        var holes = new List<Expr>();
        var parts = new List<string>();
        var text = new System.Text.StringBuilder("new " + type.Name + "(");
        List<Expr> arguments = ArgumentValues(creation.Arguments);
        foreach (Expr argument in arguments)
        {
            if (holes.Count > 0)
            {
                text.Append(", ");
            }
            parts.Add(text.ToString());
            text.Clear();
            holes.Add(argument);
        }
        text.Append(") { ");
        bool first = true;
        foreach (IOperation item in creation.Initializer!.Initializers)
        {
            text.Append(first ? string.Empty : ", ");
            first = false;
            switch (item)
            {
                case IInvocationOperation { IsImplicit: true, Arguments.Length: 1 } add:
                    parts.Add(text.ToString());
                    text.Clear();
                    holes.Add(LowerExpression(add.Arguments[0].Value));
                    break;
                case ISimpleAssignmentOperation { Target: IMemberReferenceOperation { Instance: IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ImplicitReceiver } } member } assignment:
                    text.Append(member.Member.Name).Append(" = ");
                    parts.Add(text.ToString());
                    text.Clear();
                    holes.Add(LowerExpression(assignment.Value));
                    break;
                default:
                    return null;
            }
        }
        text.Append(" }");
        parts.Add(text.ToString());
        return new Opaque(type, parts.ToEquatableArray(), holes.ToEquatableArray(), "object creation", Printable: true, Spans.Of(creation.Syntax));
    }

    private Expr LowerInterpolatedString(TypeRef type, IInterpolatedStringOperation interpolated)
    {
        var parts = new List<string>();
        var holes = new List<Expr>();
        var text = new System.Text.StringBuilder("$\"");
        foreach (IInterpolatedStringContentOperation part in interpolated.Parts)
        {
            switch (part)
            {
                case IInterpolatedStringTextOperation { Text.ConstantValue.Value: string literal }:
                    string escaped = SymbolDisplay.FormatLiteral(literal, quote: false).Replace("{", "{{").Replace("}", "}}");
                    text.Append(escaped);
                    break;
                case IInterpolationOperation hole:
                    text.Append('{');
                    parts.Add(text.ToString());
                    text.Clear();
                    holes.Add(LowerExpression(hole.Expression));
                    if (hole.Alignment is not null)
                    {
                        text.Append(',').Append(hole.Alignment.ConstantValue.Value);
                    }
                    if (hole.FormatString is { ConstantValue.Value: string format })
                    {
                        text.Append(':').Append(format);
                    }
                    text.Append('}');
                    break;
                default:
                    return Unsupported(part, "This interpolated string", "use string.Format");
            }
        }
        text.Append('"');
        parts.Add(text.ToString());
        return new Opaque(type, parts.ToEquatableArray(), holes.ToEquatableArray(), "string interpolation", Printable: true, Spans.Of(interpolated.Syntax));
    }

    private Expr LowerLambda(TypeRef type, IAnonymousFunctionOperation lambda)
    {
        // Which of the method's variables the lambda reads: if one carries a gradient, that is a
        // specific error (ADIFF007); otherwise lambdas are simply outside the supported language.
        var captured = new List<Expr>();
        var seen = new HashSet<string>();
        foreach (IOperation descendant in lambda.Descendants())
        {
            Expr? variable = descendant switch
            {
                ILocalReferenceOperation local when SymbolEqualityComparer.Default.Equals(local.Local.ContainingSymbol, _method)
                    => new Local(TypeClassifier.Classify(local.Local.Type), _names.NameOf(local.Local)),
                IParameterReferenceOperation parameter when SymbolEqualityComparer.Default.Equals(parameter.Parameter.ContainingSymbol, _method)
                    => new Local(TypeClassifier.Classify(parameter.Parameter.Type), parameter.Parameter.Name),
                _ => null,
            };
            if (variable is Local named && seen.Add(named.Name))
            {
                captured.Add(named);
            }
        }
        return new Opaque(type, EquatableArray<string>.Empty, captured.ToEquatableArray(), "A lambda expression", Printable: false, Spans.Of(lambda.Syntax));
    }

    private List<Expr> ArgumentValues(ImmutableArray<IArgumentOperation> arguments)
    {
        var values = new List<Expr>();
        foreach (IArgumentOperation argument in arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0))
        {
            values.Add(IsExpandedParams(argument) ? LowerParams(argument) : LowerExpression(argument.Value));
        }
        return values;
    }

    private static Opaque Opaque(TypeRef type, string text, IOperation operation, string construct) =>
        new(type, new EquatableArray<string>(ImmutableArray.Create(text)), EquatableArray<Expr>.Empty, construct, Printable: true, Spans.Of(operation.Syntax));

    /// <summary>prefix hole0, hole1, ... suffix (or prefix hole0[hole1, ...] when bracketed).</summary>
    private static Opaque Template(TypeRef type, string prefix, List<Expr> holes, string suffix, IOperation operation, string construct, bool bracketed = false)
    {
        var parts = new List<string> { prefix };
        for (int i = 1; i < holes.Count; i++)
        {
            parts.Add(bracketed && i == 1 ? "[" : ", ");
        }
        if (holes.Count == 0)
        {
            parts[0] = prefix + suffix;
        }
        else
        {
            parts.Add(bracketed ? "]" : suffix);
        }
        return new Opaque(type, parts.ToEquatableArray(), holes.ToEquatableArray(), construct, Printable: true, Spans.Of(operation.Syntax));
    }
}
