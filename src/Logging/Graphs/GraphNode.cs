namespace GpuTrain.Logging.Graphs;

/// <summary>
/// One node of a model graph as the Runtime describes it: a name (slashes make TensorBoard group nodes
/// into scopes), an op label, the names of its inputs, the shapes of its outputs (-1 for an unknown
/// dimension such as the batch) and optional attributes.
/// </summary>
/// <param name="Name">Unique node name, e.g. "conv1/Conv2D".</param>
/// <param name="Op">Operation label shown in TensorBoard, e.g. "Conv2D".</param>
/// <param name="Inputs">Names of the nodes feeding this one.</param>
/// <param name="OutputShapes">Shape of each output; written as the "_output_shapes" attribute TensorBoard draws on edges.</param>
/// <param name="Attributes">Extra attributes: string, bool, int, long, float, double, or long[] / int[] values.</param>
public sealed record GraphNode(
    string Name,
    string Op,
    IReadOnlyList<string> Inputs,
    IReadOnlyList<IReadOnlyList<long>> OutputShapes,
    IReadOnlyDictionary<string, object>? Attributes = null);
