using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Autodiff.Fuzz.Tests;

/// <summary>
/// Checks a hand-written file the way the fuzzer checks its programs: every [Differentiable] method
/// of the first class in namespace Fuzz (double, float and array parameters; double or float fields
/// of a model class), so that a minimised reproduction can be confirmed.
/// </summary>
public static class Repro
{
    public static FuzzReport Check(string source, int arrayLength, int seed = 1)
    {
        var root = CSharpSyntaxTree.ParseText(source).GetCompilationUnitRoot();
        ClassDeclarationSyntax type = root.DescendantNodes().OfType<ClassDeclarationSyntax>().First();
        bool isStatic = type.Modifiers.Any(m => m.IsKind(SyntaxKind.StaticKeyword));
        bool isFloat = false;
        var methods = new List<MethodUnderTest>();
        foreach (MethodDeclarationSyntax method in type.Members.OfType<MethodDeclarationSyntax>()
                     .Where(m => m.AttributeLists.SelectMany(a => a.Attributes).Any(a => a.Name.ToString() == "Differentiable")))
        {
            isFloat |= method.ReturnType.ToString() == "float";
            var parameters = method.ParameterList.Parameters.Select(p =>
            {
                bool noGrad = p.AttributeLists.SelectMany(a => a.Attributes).Any(a => a.Name.ToString() == "NoGrad");
                string t = p.Type!.ToString();
                InputKind kind = t.EndsWith("[]", StringComparison.Ordinal) ? InputKind.Array : t == "int" ? InputKind.Int : noGrad ? InputKind.NoGradScalar : InputKind.Scalar;
                return new InputSpec(p.Identifier.ValueText, kind, IntValue: 2);
            }).ToList();
            methods.Add(new MethodUnderTest(method.Identifier.ValueText, parameters, !method.Modifiers.Any(m => m.IsKind(SyntaxKind.StaticKeyword))));
        }
        var fields = type.Members.OfType<FieldDeclarationSyntax>()
            .Where(f => f.Declaration.Type.ToString() is "double" or "float" && !f.Modifiers.Any(m => m.IsKind(SyntaxKind.ConstKeyword) || m.IsKind(SyntaxKind.StaticKeyword)))
            .SelectMany(f => f.Declaration.Variables.Select(v => new InputSpec(v.Identifier.ValueText,
                f.AttributeLists.SelectMany(a => a.Attributes).Any(a => a.Name.ToString() == "NoGrad") ? InputKind.NoGradScalar : InputKind.Scalar)))
            .ToList();
        var program = new FuzzProgram
        {
            Seed = seed,
            ClassName = type.Identifier.ValueText,
            Kind = isStatic ? ProgramKind.Static : ProgramKind.Model,
            // A float repro is checked against itself in float: tolerances are float ones.
            IsFloat = false,
            N = arrayLength,
            Source = source,
            Methods = methods,
            Fields = fields,
            Features = new[] { "repro" },
        };
        _ = isFloat;
        var report = new FuzzReport();
        FuzzRunner.RunPrograms(new List<FuzzProgram> { program }, FuzzConfig.Everything with { Points = 2 }, report, null);
        return report;
    }
}
