using GpuTrain.Runtime.Initializers;
using GpuTrain.Runtime.Tensors;

namespace GpuTrain.Runtime.Layers;

/// <summary>A trainable tensor a layer declares: its full TF1 name, shape and initial values.</summary>
/// <param name="Name">The checkpoint name, e.g. <c>conv1/kernel</c>.</param>
/// <param name="Shape">TensorFlow's layout (Dense [in, out], Conv2D [h, w, in, out]).</param>
/// <param name="Initializer">Fills the initial values.</param>
public sealed record ParameterSpec(string Name, Shape Shape, Initializer Initializer);
