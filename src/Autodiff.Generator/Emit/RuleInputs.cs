using System.Collections.Generic;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Emit;

/// <summary>
/// A call's inputs as its derivative rules see them, in the order of their parameters: the
/// receiver first for an instance method (not for a model's own method, whose receiver is the
/// model), then the arguments; and which of them take a gradient or a tangent. Pullbacks and
/// pushforwards alike are declared in this order (see <c>RuleMatcher.Inputs</c>).
/// </summary>
internal static class RuleInputs
{
    public static List<(Expr Value, bool Differentiable)> Of(Invocation call)
    {
        var inputs = new List<(Expr, bool)>();
        if (call.Receiver is not null && !call.Callee.ModelMethod)
        {
            inputs.Add((call.Receiver, call.Receiver.Type.IsDifferentiable));
        }
        for (int i = 0; i < call.Arguments.Count; i++)
        {
            inputs.Add((call.Arguments[i].Value, call.Callee.Differentiates(i)));
        }
        return inputs;
    }
}
