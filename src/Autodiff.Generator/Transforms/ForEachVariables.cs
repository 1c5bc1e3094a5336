using System.Collections.Generic;
using Autodiff.Generator.Model;

namespace Autodiff.Generator.Transforms;

/// <summary>
/// Gives each foreach a hidden iteration variable and assigns the user's variable from it as the
/// body's first statement. The user's variable is then an ordinary local that the sweeps can hoist
/// and save like any other, while the foreach declares a name of its own.
/// </summary>
internal static class ForEachVariables
{
    public static Block Separate(Block block, NameAllocator names)
    {
        var output = new List<Stmt>();
        foreach (Stmt statement in block.Statements)
        {
            output.Add(statement switch
            {
                ForEach s => Separate(s, names),
                If s => s with { Then = Separate(s.Then, names), Else = Separate(s.Else, names) },
                Loop s => s with { Initializer = Separate(s.Initializer, names), Body = Separate(s.Body, names), Step = Separate(s.Step, names) },
                _ => statement,
            });
        }
        return Blocks.Of(output);
    }

    private static ForEach Separate(ForEach loop, NameAllocator names)
    {
        var item = new Local(loop.Variable.Type, names.Claim(loop.Variable.Name + "Item"));
        var body = new List<Stmt> { new Declare(loop.Span, loop.Source, loop.Variable, item) };
        body.AddRange(Separate(loop.Body, names).Statements);
        return loop with { Variable = item, Body = Blocks.Of(body) };
    }
}
