using System.Collections.Generic;
using System.Linq;
using Autodiff.Generator.Diagnostics;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Transforms;

/// <summary>
/// The diagnostics that depend on activity and concern the method's own constructs: active values
/// passed by reference, converted to integers, captured by lambdas, arrays with two names, writes to
/// model parameters. Whether a gradient is lost on its way to the result is <see cref="GradientFlow"/>'s.
/// </summary>
internal static class ActivityDiagnostics
{
    public static void Check(Block body, Activity activity, RuleSet rules, List<DiagnosticInfo> diagnostics)
    {
        var checker = new Checker(activity, rules, diagnostics);
        checker.CheckArrays(body);
        foreach (Stmt statement in Walk.Statements(body))
        {
            checker.CheckStatement(statement);
        }
    }

    private sealed class Checker
    {
        private readonly Activity _activity;
        private readonly RuleSet _rules;
        private readonly List<DiagnosticInfo> _diagnostics;

        public Checker(Activity activity, RuleSet rules, List<DiagnosticInfo> diagnostics)
        {
            _activity = activity;
            _rules = rules;
            _diagnostics = diagnostics;
        }

        public void CheckStatement(Stmt statement)
        {
            foreach (Expr expression in Walk.OwnExpressions(statement))
            {
                foreach (Expr e in Walk.Expressions(expression))
                {
                    CheckAnywhere(e);
                }
            }
            switch (statement)
            {
                case Assign { Target: Local { Name: var field } } s when field.StartsWith(ParameterSpec.FieldPrefix, System.StringComparison.Ordinal):
                    // A model parameter is an input of the method: writing it would change what is being differentiated.
                    string member = field.Substring(ParameterSpec.FieldPrefix.Length);
                    if (_activity.IsActiveValue(s.Value))
                    {
                        Report(DiagnosticDescriptors.ActiveWrittenOutside, s.Span, Display(s.Value), "the model parameter '" + member + "'");
                    }
                    else
                    {
                        Report(DiagnosticDescriptors.UnsupportedConstruct, s.Span, "Assigning the model parameter '" + member + "'",
                            "parameters are inputs of the method; update them outside it (an optimiser does), or mark the member [NoGrad]");
                    }
                    break;
            }
        }

        /// <summary>Checks that hold wherever the expression is: references, integer conversions, lambdas, arrays handed to unknown code.</summary>
        private void CheckAnywhere(Expr expression)
        {
            switch (expression)
            {
                case Invocation call:
                    foreach (Argument argument in call.Arguments)
                    {
                        if (argument.Kind is RefMode.Ref or RefMode.Out && _activity.IsActiveValue(argument.Value))
                        {
                            Report(DiagnosticDescriptors.ActiveByReference, call.Span, Display(argument.Value), argument.Kind == RefMode.Ref ? "ref" : "out", call.Callee.Display);
                        }
                    }
                    Argument? array = call.Arguments.FirstOrDefault(a => a.Value.Type.IsArray && _activity.IsActiveValue(a.Value));
                    if (array is not null && _rules.Resolve(call.Callee) is null)
                    {
                        Report(DiagnosticDescriptors.NoDerivative, call.Span, call.Callee.Display, Display(array.Value));
                    }
                    break;
                case Cast conversion when GradientFlow.IsIntegerCut(conversion) && _activity.IsActiveValue(conversion.Operand):
                    Report(DiagnosticDescriptors.ActiveToInteger, conversion.Span, Display(conversion.Operand), conversion.Type.Name);
                    break;
                case Opaque { Printable: false } lambda:
                    Expr? captured = lambda.Holes.FirstOrDefault(_activity.IsActiveValue);
                    if (captured is not null)
                    {
                        Report(DiagnosticDescriptors.ActiveCapturedByLambda, lambda.Span, Display(captured));
                    }
                    else
                    {
                        Report(DiagnosticDescriptors.UnsupportedConstruct, lambda.Span, lambda.Construct,
                            "compute the value in a helper method, or in a loop");
                    }
                    break;
            }
        }

        /// <summary>
        /// An array that carries a gradient has one name and one allocation, made outside loops (in a
        /// branch is fine: an early return before it puts it in one).
        /// </summary>
        public void CheckArrays(Block body)
        {
            var inLoops = new HashSet<Stmt>(Walk.Statements(body).Where(s => s is Loop or ForEach)
                .SelectMany(Walk.Children).SelectMany(Walk.Statements));
            HashSet<string> writtenThrough = WrittenThrough(body);
            foreach (Stmt statement in Walk.Statements(body))
            {
                switch (statement)
                {
                    case Declare { Variable.Type.IsArray: true } s when s.Initializer is not null and not NewArray && !IsFreshArrayCall(s.Initializer)
                        && (_activity.IsActive(s.Variable.Name) || SharesAGradient(s.Variable.Name, s.Initializer, writtenThrough)):
                        Report(DiagnosticDescriptors.ActiveArrayAlias, s.Span, s.Variable.Name, "initialised from another array" + TwoNames);
                        break;
                    case Declare { Variable.Type.IsArray: true } s when _activity.IsActive(s.Variable.Name) && inLoops.Contains(s):
                        Report(DiagnosticDescriptors.ActiveArrayAlias, s.Span, s.Variable.Name, "allocated inside a loop: each iteration's array would need a gradient of its own; allocate it once, before the loop, and refill it there");
                        break;
                    case Assign { Target: Local { Type.IsArray: true } target } s when _activity.IsActive(target.Name) || SharesAGradient(target.Name, s.Value, writtenThrough):
                        Report(DiagnosticDescriptors.ActiveArrayAlias, s.Span, target.Name, "reassigned" + TwoNames);
                        break;
                }
            }
        }

        /// <summary>
        /// Whether a second name for an array would split a gradient between the names: a value that
        /// depends on an input is written through one of them, and the other, or the same, is read on
        /// the way to the result. Activity looks at names one at a time, so neither name alone need be
        /// active: <c>double[] p = a; p[0] = x * x; return a[0];</c> writes through p, which the result
        /// never reads, and reads a, which nothing varied is written to.
        /// </summary>
        /// <param name="writtenThrough">The arrays the method writes elements of or hands to a call (<see cref="WrittenThrough"/>).</param>
        private bool SharesAGradient(string name, Expr value, HashSet<string> writtenThrough)
        {
            var others = Walk.Expressions(value).OfType<Local>().Where(l => l.Type.IsArray).Select(l => l.Name).ToList();
            bool varied = _activity.IsVaried(new Local(value.Type, name)) || _activity.IsVaried(value);
            bool useful = _activity.IsUseful(name) || others.Any(_activity.IsUseful);
            // A second name used only for its length, or only read, is harmless unless it is itself active (checked apart).
            return varied && useful && writtenThrough.Contains(name);
        }

        /// <summary>The arrays the method writes elements of, or hands to a call (which may write them).</summary>
        private static HashSet<string> WrittenThrough(Block body)
        {
            var names = new HashSet<string>();
            foreach (Stmt statement in Walk.Statements(body))
            {
                if (statement is Assign { Target: Element element })
                {
                    names.Add(element.Array.Name);
                }
                foreach (Invocation call in Walk.OwnExpressions(statement).SelectMany(Walk.Expressions).OfType<Invocation>())
                {
                    names.UnionWith(call.Arguments.Select(a => a.Value).OfType<Local>().Where(l => l.Type.IsArray).Select(l => l.Name));
                }
            }
            return names;
        }

        /// <summary>
        /// A call with a derivative that returns an array returns a new one (a [Differentiable]
        /// method's result is one it allocates, ADIFF020): the variable is that array's only name.
        /// </summary>
        private bool IsFreshArrayCall(Expr? value) =>
            value is Invocation { Type.IsArray: true } call && _rules.Resolve(call.Callee) is not null;

        /// <summary>What ADIFF014 says of an array with a second name.</summary>
        private const string TwoNames = ": the gradient cannot follow two names for one array; copy the elements into a new array instead";

        private void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, SourceSpan span, params string[] arguments) =>
            _diagnostics.Add(DiagnosticInfo.Create(descriptor.Id, span, arguments));

        private static string Display(Expr expression) => ExpressionPrinter.Print(expression).Replace("global::", string.Empty);

        }
}
