using GpuTrain.Logging.Graphs;
using GpuTrain.Runtime.Tensors;

namespace GpuTrain.Examples.Ptb;

/// <summary>
/// The PTB LSTM as graph nodes for TensorBoard's Graphs tab, under the tutorial's scopes: the input
/// and target placeholders [batch, steps], the embedding lookup, one BasicLSTMCell node per layer
/// (fed by its kernel and bias and by the carried state), the softmax logits and the sequence loss.
/// Variables carry the checkpoint's names, so a node in the graph is a tensor in the checkpoint.
/// </summary>
public static class LanguageModelGraph
{
    /// <summary>The nodes of <paramref name="model"/>'s training graph.</summary>
    public static IReadOnlyList<GraphNode> Of(LstmLanguageModel model)
    {
        var c = model.Config;
        long batch = c.BatchSize, steps = c.NumSteps, hidden = c.HiddenSize;
        var nodes = new List<GraphNode>
        {
            new("Model/input_data", "Placeholder", [], [[batch, steps]]),
            new("Model/targets", "Placeholder", [], [[batch, steps]]),
            Variable(model.Embedding),
            new("Model/embedding_lookup", "GatherV2", [model.Embedding.Name, "Model/input_data"], [[batch, steps, hidden]]),
        };
        string previous = "Model/embedding_lookup";
        for (int l = 0; l < c.NumLayers; l++)
        {
            string scope = $"Model/RNN/multi_rnn_cell/cell_{l}";
            nodes.Add(Variable(model.Kernel(l)));
            nodes.Add(Variable(model.Bias(l)));
            nodes.Add(new GraphNode($"Model/state/cell_{l}/c", "Placeholder", [], [[batch, hidden]]));
            nodes.Add(new GraphNode($"Model/state/cell_{l}/h", "Placeholder", [], [[batch, hidden]]));
            string cell = $"{scope}/basic_lstm_cell";
            nodes.Add(new GraphNode(cell, "BasicLSTMCell",
                [previous, model.Kernel(l).Name, model.Bias(l).Name, $"Model/state/cell_{l}/c", $"Model/state/cell_{l}/h"],
                [[batch, steps, hidden]],
                new Dictionary<string, object> { ["num_units"] = hidden, ["forget_bias"] = c.ForgetBias, ["keep_prob"] = c.KeepProb }));
            previous = cell;
        }
        nodes.Add(Variable(model.SoftmaxWeights));
        nodes.Add(Variable(model.SoftmaxBias));
        nodes.Add(new GraphNode("Model/logits", "MatMul", [previous, model.SoftmaxWeights.Name, model.SoftmaxBias.Name],
            [[batch * steps, model.VocabSize]]));
        nodes.Add(new GraphNode("Model/sequence_loss", "SparseSoftmaxCrossEntropyWithLogits", ["Model/logits", "Model/targets"], [[]]));
        return nodes;
    }

    private static GraphNode Variable(ArenaSlice slice) => new(slice.Name, "VariableV2", [], [slice.Shape.ToLongArray()]);
}
