using GpuTrain.Logging.Graphs;
using GpuTrain.Runtime.Models;

namespace GpuTrain.Runtime.Training;

/// <summary>
/// Describes a <see cref="Sequential"/> model as graph nodes for TensorBoard's Graphs tab: an input
/// placeholder, one node per layer in its own name scope (with its parameters as variables feeding
/// it), shapes on every edge with -1 for the batch.
/// </summary>
public static class ModelGraph
{
    /// <summary>The nodes of <paramref name="model"/>.</summary>
    public static IReadOnlyList<GraphNode> Of(Sequential model)
    {
        var nodes = new List<GraphNode>
        {
            new("input", "Placeholder", [], [BatchShape(model.InputShape.Dims)]),
        };
        string previous = "input";
        foreach (var layer in model.Layers)
        {
            var inputs = new List<string> { previous };
            foreach (var p in layer.Parameters)
            {
                string variable = $"{layer.Name}/{p.Name}";
                nodes.Add(new GraphNode(variable, "VariableV2", [], [p.Shape.ToLongArray()]));
                inputs.Add(variable);
            }
            string op = layer.GetType().Name;
            string name = $"{layer.Name}/{op}";
            nodes.Add(new GraphNode(name, op, inputs, [BatchShape(layer.OutputShape.Dims)]));
            previous = name;
        }
        return nodes;
    }

    private static long[] BatchShape(IReadOnlyList<int> dims) => [-1, .. dims.Select(d => (long)d)];
}
