using Autodiff.Generator.Model;
using Autodiff.Generator.Parsing;

namespace Autodiff.Generator.Emit;

/// <summary>
/// Writes a model's <c>SetTraining(bool)</c>, the generated counterpart of <c>module.train()</c> and
/// <c>module.eval()</c>: it sets the model's own <c>bool Training</c> and reaches every sub-model.
/// </summary>
internal static class TrainingSwitchWriter
{
    /// <summary>Sets the model's Training member, if it has one, and every sub-model's; nothing when the model writes its own.</summary>
    public static void Write(SourceWriter writer, MethodSpec model)
    {
        if (model.DeclaresSetTraining)
        {
            return;
        }
        writer.Line();
        writer.Line("/// <summary>");
        writer.Line("/// Switches the model" + (model.SubModels.Count > 0 ? " and every sub-model" : "") + " between training (<see langword=\"true\"/>) and evaluation behaviour,");
        writer.Line("/// as module.train() and module.eval() do" + (model.TrainingMember is { } member ? ": sets <c>" + member + "</c>" + (model.SubModels.Count > 0 ? " here and in each sub-model that declares one" : "") + "."
            : model.SubModels.Count > 0 ? ": sets <c>Training</c> in each sub-model that declares one." : " (this model declares no <c>bool Training</c> to set)."));
        writer.Line("/// </summary>");
        writer.Line(GeneratorInfo.GeneratedCodeAttribute);
        writer.Open("public void " + SubModels.SetTrainingName + "(bool training)");
        if (model.TrainingMember is { } training)
        {
            writer.Line("this." + training + " = training;");
        }
        foreach (SubModelSpec subModel in model.SubModels)
        {
            if (subModel.Shape == SubModelShape.One)
            {
                writer.Line("this." + subModel.Name + "?." + SubModels.SetTrainingName + "(training);");
                continue;
            }
            string local = "autodiff" + subModel.Name;
            string count = subModel.Shape == SubModelShape.Array ? ".Length" : ".Count";
            writer.Line("var " + local + " = this." + subModel.Name + ";");
            writer.Open("for (int i = 0; " + local + " is not null && i < " + local + count + "; i++)");
            writer.Line(local + "[i]?." + SubModels.SetTrainingName + "(training);");
            writer.Close();
        }
        writer.Close();
    }
}
