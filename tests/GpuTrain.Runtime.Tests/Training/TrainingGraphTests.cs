using GpuTrain.Examples.Ptb;
using GpuTrain.Examples.Word2Vec;
using GpuTrain.Logging.Graphs;
using GpuTrain.Runtime.Losses;
using GpuTrain.Runtime.Tensors;
using GpuTrain.Runtime.Tests.Language;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Tests.Training;

/// <summary>
/// The TensorBoard graphs of the PTB LSTM and of word2vec build into a valid GraphDef (every input
/// names a node), and their variables are exactly the checkpoint's tensors, with their shapes.
/// </summary>
public sealed class TrainingGraphTests
{
    private static void AssertVariablesAreTheParameters(IReadOnlyList<GraphNode> nodes, ParameterArena parameters)
    {
        GraphDefBuilder.Build(nodes);
        var variables = nodes.Where(n => n.Op == "VariableV2").ToList();
        Assert.Equal(parameters.Layout.Slices.Select(s => s.Name).Order(), variables.Select(v => v.Name).Order());
        foreach (var slice in parameters.Layout.Slices)
            Assert.Equal(slice.Shape.ToLongArray(), variables.Single(v => v.Name == slice.Name).OutputShapes[0]);
    }

    [Fact]
    public void TheLanguageModelGraphNamesTheCheckpointTensors()
    {
        using var device = Device.Open("cpu");
        using var model = new LstmLanguageModel(device, LstmGradientTests.Tiny(), vocabSize: 7, seed: 1); // two layers
        var nodes = LanguageModelGraph.Of(model);
        AssertVariablesAreTheParameters(nodes, model.Parameters);
        Assert.Equal(2, nodes.Count(n => n.Op == "BasicLSTMCell"));
        Assert.Equal(["Model/logits", "Model/targets"], nodes.Single(n => n.Name == "Model/sequence_loss").Inputs);
    }

    [Fact]
    public void TheSkipGramGraphNamesTheCheckpointTensors()
    {
        using var device = Device.Open("cpu");
        using var model = new SkipGramNce(device, 30, 8, 6, new NceOptions { NumSampled = 5 }, seed: 4);
        var nodes = SkipGramGraph.Of(model);
        AssertVariablesAreTheParameters(nodes, model.Parameters);
        Assert.Equal([5L], nodes.Single(n => n.Op == "LogUniformCandidateSampler").OutputShapes[0]);
    }
}
