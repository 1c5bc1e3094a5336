using System;
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

/// <summary>
/// Runs the generator on sources, hands the first diagnostic with the given ID to a code fix,
/// applies the action the test picks (as the IDE does: its operations, then the changed solution)
/// and runs the generator again on the result.
/// </summary>
public sealed class CodeFix
{
    /// <summary>The titles of every action the fix offered for the diagnostic.</summary>
    public required ImmutableArray<string> Offered { get; init; }

    /// <summary>The text of each source after the fix, in order.</summary>
    public required ImmutableArray<string> After { get; init; }

    /// <summary>What the generator (and the generator assembly's analyzers) report after the fix.</summary>
    public required AutodiffDiagnostics.Result Rerun { get; init; }

    public string Text => After[0];

    /// <summary>Titles offered for the first <paramref name="id"/> diagnostic, without applying any.</summary>
    public static async Task<ImmutableArray<string>> OffersAsync(CodeFixProvider provider, string id, params string[] sources)
    {
        Project project = TestWorkspace.Create(sources);
        (Document document, Diagnostic diagnostic) = await FirstAsync(project, id);
        return (await ActionsAsync(provider, document, diagnostic)).Select(a => a.Title).ToImmutableArray();
    }

    /// <summary>Applies the action whose title contains <paramref name="titlePart"/> (or the only one when null).</summary>
    public static async Task<CodeFix> ApplyAsync(CodeFixProvider provider, string id, string? titlePart, params string[] sources)
    {
        Project project = TestWorkspace.Create(sources);
        (Document document, Diagnostic diagnostic) = await FirstAsync(project, id);
        Assert.Contains(id, provider.FixableDiagnosticIds);
        List<CodeAction> actions = await ActionsAsync(provider, document, diagnostic);
        CodeAction action = titlePart is null
            ? Assert.Single(actions)
            : Assert.Single(actions, a => a.Title.Contains(titlePart, StringComparison.Ordinal));
        Assert.False(string.IsNullOrEmpty(action.EquivalenceKey));
        ImmutableArray<CodeActionOperation> operations = await action.GetOperationsAsync(CancellationToken.None);
        Solution changed = Assert.Single(operations.OfType<ApplyChangesOperation>()).ChangedSolution;
        Project after = changed.GetProject(project.Id)!;
        var texts = new List<string>();
        foreach (DocumentId documentId in project.DocumentIds)
        {
            texts.Add((await after.GetDocument(documentId)!.GetTextAsync()).ToString());
        }
        Compilation compilation = (await after.GetCompilationAsync())!;
        return new CodeFix
        {
            Offered = actions.Select(a => a.Title).ToImmutableArray(),
            After = texts.ToImmutableArray(),
            Rerun = await AutodiffDiagnostics.RunAsync(compilation),
        };
    }

    /// <summary>Compiler and Autodiff errors after the fix, generated code included.</summary>
    public IEnumerable<Diagnostic> Errors() =>
        Rerun.Output.GetDiagnostics().Concat(Rerun.Diagnostics).Where(d => d.Severity == DiagnosticSeverity.Error);

    private static async Task<(Document, Diagnostic)> FirstAsync(Project project, string id)
    {
        Compilation compilation = (await project.GetCompilationAsync())!;
        AutodiffDiagnostics.Result result = await AutodiffDiagnostics.RunAsync(compilation);
        Diagnostic? diagnostic = result.Diagnostics.FirstOrDefault(d => d.Id == id);
        Assert.True(diagnostic is not null, "no " + id + " among: " + string.Join("\n", result.Diagnostics));
        return InDocument(project, diagnostic!);
    }

    /// <summary>
    /// The generator reports at a file path and span (it keeps no syntax trees in its pipeline), so
    /// its diagnostics name no document; the IDE maps them to the document of that path before it
    /// asks for fixes, and so does this.
    /// </summary>
    private static (Document, Diagnostic) InDocument(Project project, Diagnostic diagnostic)
    {
        string path = diagnostic.Location.GetLineSpan().Path;
        Document document = project.Documents.Single(d => d.FilePath == path);
        return (document, PlaceIn(document.GetSyntaxTreeAsync().Result!, diagnostic));
    }

    /// <summary>The same diagnostic at the same span, located in the document's syntax tree.</summary>
    public static Diagnostic PlaceIn(SyntaxTree tree, Diagnostic diagnostic) =>
        Diagnostic.Create(diagnostic.Id, diagnostic.Descriptor.Category, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture),
            diagnostic.Severity, diagnostic.DefaultSeverity, diagnostic.Descriptor.IsEnabledByDefault, diagnostic.WarningLevel,
            diagnostic.Descriptor.Title, diagnostic.Descriptor.Description, diagnostic.Descriptor.HelpLinkUri,
            Location.Create(tree, diagnostic.Location.SourceSpan));

    private static async Task<List<CodeAction>> ActionsAsync(CodeFixProvider provider, Document document, Diagnostic diagnostic)
    {
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await provider.RegisterCodeFixesAsync(context);
        return actions;
    }
}
