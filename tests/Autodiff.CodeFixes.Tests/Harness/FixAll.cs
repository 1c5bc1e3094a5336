using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Xunit;

namespace Autodiff.CodeFixes.Tests.Harness;

/// <summary>"Fix all in document" for a provider, fed with the generator's diagnostics placed in the document.</summary>
public static class FixAll
{
    public static async Task<string> InDocumentAsync(CodeFixProvider provider, string equivalenceKey, string id, string source)
    {
        Project project = TestWorkspace.Create(source);
        Document document = project.Documents.Single();
        AutodiffDiagnostics.Result result = await AutodiffDiagnostics.RunAsync((await project.GetCompilationAsync())!);
        SyntaxTree tree = (await document.GetSyntaxTreeAsync())!;
        ImmutableArray<Diagnostic> diagnostics = result.Diagnostics.Where(d => d.Id == id)
            .Select(d => CodeFix.PlaceIn(tree, d)).ToImmutableArray();
        Assert.True(diagnostics.Length > 1, "fix-all needs several " + id);
        FixAllProvider fixAll = provider.GetFixAllProvider()!;
        var context = new FixAllContext(document, provider, FixAllScope.Document, equivalenceKey, new[] { id },
            new Diagnostics(diagnostics), CancellationToken.None);
        CodeAction action = (await fixAll.GetFixAsync(context))!;
        ImmutableArray<CodeActionOperation> operations = await action.GetOperationsAsync(CancellationToken.None);
        Solution changed = Assert.Single(operations.OfType<ApplyChangesOperation>()).ChangedSolution;
        return (await changed.GetDocument(document.Id)!.GetTextAsync()).ToString();
    }

    private sealed class Diagnostics(ImmutableArray<Diagnostic> all) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(all);

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(ImmutableArray<Diagnostic>.Empty);

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(all);
    }
}
