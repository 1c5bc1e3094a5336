using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using Autodiff.Generator.Diagnostics;
using Autodiff.Generator.Model;
using Autodiff.Generator.Transforms;

namespace Autodiff.Generator.Emit;

/// <summary>
/// The two halves of emission: each method on its own (middle end and entry points, assuming the
/// pullbacks it calls exist), then each type's file from the methods that survive
/// <see cref="CallGraph.PropagateFailures"/>: header, namespace, the partial type nesting, members.
/// </summary>
internal static class FileEmitter
{
    public static MethodOutput EmitMethod(MethodSpec method, EquatableArray<DerivativeRule> rules, CrossMethodFacts facts, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var header = new FileHeader(method.FileKey, method.Namespace, method.Types);
        // The front end's own diagnostics (method.Diagnostics) are DifferentiableAnalyzer's to report,
        // live in the editor; the generator reports only what the middle end and the emitter find.
        var diagnostics = new List<DiagnosticInfo>();
        string? members = null;
        string? gradientsType = null;
        var calls = new List<PullbackCall>();
        string? tangent = null;
        string? jacobian = null;
        string? reverseJacobian = null;
        string? hessianVector = null;
        var hessianCalls = new List<PullbackCall>();
        var tangentCalls = new List<PullbackCall>();
        if (method.Body is not null)
        {
            try
            {
                var emitter = new MethodEmitter(method, new RuleSet(rules), new HashSet<string>(facts.WrittenArrays), new HashSet<string>(facts.SplitCallees));
                members = emitter.Emit(diagnostics, calls);
                tangent = emitter.Tangent; // null when the method has errors: Emit stops before forward mode
                tangentCalls.AddRange(emitter.TangentCalls);
                jacobian = emitter.Jacobian;
                reverseJacobian = emitter.ReverseJacobian;
                hessianVector = emitter.HessianVector;
                hessianCalls.AddRange(emitter.HessianCalls);
                if (members is not null && method.HasModelGradients())
                {
                    // A model's methods all share its parameters: each carries the one Gradients class, the file keeps one.
                    var gradients = new SourceWriter();
                    GradientsTypeWriter.Write(gradients, method);
                    TrainingSwitchWriter.Write(gradients, method);
                    gradientsType = gradients.ToString();
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                members = null;
                // A failure part way leaves nothing of the method behind.
                tangent = jacobian = reverseJacobian = hessianVector = null;
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError.Id, method.Span, method.Name,
                    exception.GetType().Name + ": " + exception.Message));
            }
        }
        return new MethodOutput(header, method.Key, method.Name, method.Span, members, gradientsType,
            diagnostics.ToEquatableArray(), calls.Distinct().ToEquatableArray(), tangent, tangentCalls.Distinct().ToEquatableArray(),
            jacobian, reverseJacobian, hessianVector, hessianCalls.Distinct().ToEquatableArray(), method.Hessian);
    }

    public static ImmutableArray<GeneratedFile> Assemble(ImmutableArray<MethodOutput> outputs)
    {
        (HashSet<string> failed, Dictionary<string, List<DiagnosticInfo>> callErrors) = CallGraph.PropagateFailures(outputs);
        HashSet<string> withTangent = CallGraph.WithTangents(outputs, failed);
        HashSet<string> withHessian = CallGraph.WithHessians(outputs, withTangent);
        var files = ImmutableArray.CreateBuilder<GeneratedFile>();
        foreach (IGrouping<string, MethodOutput> type in outputs.GroupBy(o => o.File.FileKey, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var methods = type.OrderBy(m => m.Span.Path, StringComparer.Ordinal).ThenBy(m => m.Span.Start).ToList();
            var diagnostics = new List<DiagnosticInfo>();
            var members = new List<string>();
            foreach (MethodOutput method in methods)
            {
                diagnostics.AddRange(method.Diagnostics);
                if (callErrors.TryGetValue(method.Key, out List<DiagnosticInfo>? errors))
                {
                    diagnostics.AddRange(errors);
                }
                if (!failed.Contains(method.Key) && method.HessianAsked && method.HessianVector is not null && !withHessian.Contains(method.Key)
                    && method.HessianCalls.FirstOrDefault(c => !withHessian.Contains(c.CalleeKey)) is { } missing)
                {
                    // It asked, and its own tangent program was made, but a callee has none to call.
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoHessianVector.Id, method.Span, method.Name,
                        "a call of " + missing.CalleeDisplay + ", which has no Hessian-vector product of its own (mark it [Differentiable(Hessian = true)])"));
                }
                if (!failed.Contains(method.Key))
                {
                    members.Add(Members(method, withTangent.Contains(method.Key), withHessian.Contains(method.Key)));
                }
            }
            string? gradientsType = methods.FirstOrDefault(m => !failed.Contains(m.Key) && m.GradientsType is not null)?.GradientsType;
            if (gradientsType is not null)
            {
                members.Insert(0, gradientsType);
            }
            string hintName = HintName(type.Key);
            string? source = members.Count == 0 ? null : Render(methods[0].File, members);
            files.Add(new GeneratedFile(hintName, source, diagnostics.ToEquatableArray()));
        }
        return files.ToImmutable();
    }

    /// <summary>A method's members: its entry points, and its tangent and Jacobian members as forward mode allows.</summary>
    private static string Members(MethodOutput method, bool withTangent, bool withHessian)
    {
        var parts = new List<string> { method.Members!.TrimEnd('\n') };
        if (withTangent)
        {
            parts.Add(method.Tangent!.TrimEnd('\n'));
        }
        if ((withTangent ? method.Jacobian : method.ReverseJacobian) is { } jacobian)
        {
            parts.Add(jacobian.TrimEnd('\n'));
        }
        if (withHessian)
        {
            parts.Add(method.HessianVector!.TrimEnd('\n'));
        }
        return string.Join("\n\n", parts) + "\n";
    }

    private static string Render(FileHeader file, List<string> members)
    {
        var writer = new SourceWriter();
        writer.Line("// <auto-generated/>");
        writer.Line("// Generated by Autodiff from the [Differentiable] methods of " + file.FileKey + ".");
        writer.Line("// Each method F gets FGradient (value and gradient) and FPullback (reverse mode with a seed);");
        writer.Line("// FTangent (forward mode: value and directional derivative) where forward mode applies;");
        writer.Line("// a method returning an array gets FPullback, FTangent and FJacobian instead of FGradient.");
        // Annotations on (the signatures say which accumulators may be null); warnings off, because
        // the forward pass repeats the user's expressions without their null-forgiving '!' (the
        // operation tree does not keep it), and a user's build must not fail on our code.
        writer.Line("#nullable enable annotations");
        writer.Line("#nullable disable warnings");
        writer.Line();
        bool hasNamespace = file.Namespace.Length > 0;
        if (hasNamespace)
        {
            writer.Open("namespace " + file.Namespace);
        }
        foreach (ContainingType type in file.Types)
        {
            writer.Open("partial " + type.Keyword + " " + type.Name);
        }
        for (int i = 0; i < members.Count; i++)
        {
            if (i > 0)
            {
                writer.Line();
            }
            foreach (string line in members[i].TrimEnd('\n').Split('\n'))
            {
                writer.Line(line);
            }
        }
        foreach (ContainingType _ in file.Types)
        {
            writer.Close();
        }
        if (hasNamespace)
        {
            writer.Close();
        }
        return writer.ToString();
    }

    private static string HintName(string fileKey)
    {
        var name = new StringBuilder();
        foreach (char c in fileKey)
        {
            name.Append(char.IsLetterOrDigit(c) || c == '.' ? c : '_');
        }
        return name.Append(GeneratedFile.HintSuffix).ToString();
    }
}
