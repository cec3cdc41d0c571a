using GpuTrain.Logging.Graphs;
using GpuTrain.Runtime.Tensors;

namespace GpuTrain.Examples.Word2Vec;

/// <summary>
/// The word2vec_basic graph for TensorBoard's Graphs tab: the input and label placeholders, the
/// embedding lookup, NCE over the weights and biases with the log-uniform candidate sampler, and the
/// batch mean. Variables carry the checkpoint's names (<c>embeddings</c>, <c>nce_weights</c>,
/// <c>nce_biases</c>), the ones the projector config points at.
/// </summary>
public static class SkipGramGraph
{
    /// <summary>The nodes of <paramref name="model"/>'s training graph.</summary>
    public static IReadOnlyList<GraphNode> Of(SkipGramNce model)
    {
        long batch = model.BatchSize, dim = model.EmbeddingSize;
        var options = model.Options;
        return
        [
            new("train_inputs", "Placeholder", [], [[batch]]),
            new("train_labels", "Placeholder", [], [[batch, 1]]),
            Variable(model.Embeddings),
            new("embedding_lookup", "GatherV2", [model.Embeddings.Name, "train_inputs"], [[batch, dim]]),
            Variable(model.Weights),
            Variable(model.Biases),
            new("nce_loss/log_uniform_candidate_sampler", "LogUniformCandidateSampler", ["train_labels"], [[options.NumSampled]],
                new Dictionary<string, object> { ["num_sampled"] = options.NumSampled, ["unique"] = options.Unique, ["range_max"] = model.VocabularySize }),
            new("nce_loss", "NceLoss",
                ["embedding_lookup", model.Weights.Name, model.Biases.Name, "train_labels", "nce_loss/log_uniform_candidate_sampler"], [[batch]],
                new Dictionary<string, object>
                {
                    ["subtract_log_q"] = options.SubtractLogExpectedCount, ["remove_accidental_hits"] = options.RemoveAccidentalHits,
                }),
            new("loss", "Mean", ["nce_loss"], [[]]),
        ];
    }

    private static GraphNode Variable(ArenaSlice slice) => new(slice.Name, "VariableV2", [], [slice.Shape.ToLongArray()]);
}
