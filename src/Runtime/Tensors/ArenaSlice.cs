using ILGPU;

namespace GpuTrain.Runtime.Tensors;

/// <summary>A named tensor inside an arena: an offset and a shape over the arena's one buffer.</summary>
/// <param name="Name">The checkpoint name (TF1 Saver conventions, e.g. <c>conv1/kernel</c>).</param>
/// <param name="Offset">First element in the arena.</param>
/// <param name="Shape">The tensor's shape (TensorFlow's layout).</param>
public sealed record ArenaSlice(string Name, long Offset, Shape Shape)
{
    /// <summary>Number of elements.</summary>
    public long Size => Shape.Size;

    /// <summary>This slice of <paramref name="arena"/>'s flat view.</summary>
    public ArrayView<float> Of(ArrayView<float> arena) => arena.SubView(Offset, Size);
}
