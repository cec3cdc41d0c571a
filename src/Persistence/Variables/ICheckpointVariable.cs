using GpuTrain.Persistence.Protos;

namespace GpuTrain.Persistence.Variables;

/// <summary>
/// A named tensor the Saver can save and restore, wherever it lives (a device arena slice, a host
/// scalar). Persistence sees only this: it knows nothing of layers.
/// </summary>
public interface ICheckpointVariable
{
    /// <summary>The variable's own name (the checkpoint key unless a name map says otherwise).</summary>
    string Name { get; }

    /// <summary>The element type; must be a fixed-size dtype.</summary>
    DataType DType { get; }

    /// <summary>The dimensions (empty for a scalar).</summary>
    IReadOnlyList<long> Shape { get; }

    /// <summary>Copies the current value, as little-endian element bytes, into <paramref name="destination"/>.</summary>
    void ReadInto(Span<byte> destination);

    /// <summary>Assigns the value from little-endian element bytes.</summary>
    void WriteFrom(ReadOnlySpan<byte> source);
}
