using GpuTrain.Runtime.Tensors;

namespace GpuTrain.Runtime.Initializers;

/// <summary>
/// Fills a tensor with initial values as TensorFlow's initializers do. Random ones draw from
/// <see cref="GpuTrain.Kernels.Philox"/>: element i gets a value that is a function of (seed, i), so
/// the same seed gives the same tensor on every machine. Values are generated on the host and
/// uploaded once, at model construction.
/// </summary>
public abstract class Initializer
{
    /// <summary>Fills <paramref name="values"/>, a tensor of <paramref name="shape"/>.</summary>
    /// <exception cref="ArgumentException">The span's length is not the shape's size.</exception>
    public void Fill(Span<float> values, Shape shape, ulong seed)
    {
        if (values.Length != shape.Size)
            throw new ArgumentException($"{values.Length} values cannot hold a tensor of shape {shape}", nameof(values));
        Generate(values, shape, seed);
    }

    /// <summary>Fills the tensor <paramref name="slice"/> of <paramref name="arena"/>.</summary>
    public void Fill(ParameterArena arena, ArenaSlice slice, ulong seed)
    {
        var host = new float[slice.Size];
        Generate(host, slice.Shape, seed);
        arena.Upload(slice, host);
    }

    /// <summary>Writes the values; <paramref name="values"/> has exactly the shape's size.</summary>
    protected abstract void Generate(Span<float> values, Shape shape, ulong seed);
}
