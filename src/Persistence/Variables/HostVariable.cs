using System.Runtime.InteropServices;
using GpuTrain.Persistence.Bundle;
using GpuTrain.Persistence.Protos;

namespace GpuTrain.Persistence.Variables;

/// <summary>A variable held in a host array, e.g. <c>global_step</c> (DT_INT64 scalar) or host-side counters.</summary>
/// <typeparam name="T">An element type whose size matches the dtype.</typeparam>
public sealed class HostVariable<T> : ICheckpointVariable where T : unmanaged
{
    /// <summary>A variable named <paramref name="name"/> of <paramref name="dtype"/> and <paramref name="shape"/>, zero-initialised.</summary>
    /// <exception cref="ArgumentException">T's size does not match the dtype.</exception>
    public HostVariable(string name, DataType dtype, IReadOnlyList<long> shape)
    {
        if (DTypeInfo.ElementSize(dtype) != System.Runtime.CompilerServices.Unsafe.SizeOf<T>())
            throw new ArgumentException($"variable '{name}': {typeof(T).Name} does not hold {DTypeInfo.Name(dtype)}", nameof(dtype));
        Name = name;
        DType = dtype;
        Shape = shape.ToArray();
        Values = new T[TensorShapes.ElementCount(shape, name)];
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public DataType DType { get; }

    /// <inheritdoc />
    public IReadOnlyList<long> Shape { get; }

    /// <summary>The elements, row-major.</summary>
    public T[] Values { get; }

    /// <summary>The single element of a scalar (or the first element).</summary>
    public T Value
    {
        get => Values[0];
        set => Values[0] = value;
    }

    /// <inheritdoc />
    public void ReadInto(Span<byte> destination) => MemoryMarshal.AsBytes(Values.AsSpan()).CopyTo(destination);

    /// <inheritdoc />
    public void WriteFrom(ReadOnlySpan<byte> source) => source.CopyTo(MemoryMarshal.AsBytes(Values.AsSpan()));
}
