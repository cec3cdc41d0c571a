using GpuTrain.Persistence.Protos;

namespace GpuTrain.Persistence.Bundle;

/// <summary>One validated index entry: a tensor's name, dtype, shape and where its bytes lie.</summary>
/// <param name="Name">The tensor's key.</param>
/// <param name="DType">The element type.</param>
/// <param name="Shape">The dimensions (empty for a scalar).</param>
/// <param name="Proto">The entry as stored (shard, offset, size, masked CRC, slices).</param>
public sealed record BundleEntry(string Name, DataType DType, IReadOnlyList<long> Shape, BundleEntryProto Proto)
{
    /// <summary>Number of elements.</summary>
    public long ElementCount => TensorShapes.ElementCount(Shape, Name);

    /// <summary>Bytes in the data file.</summary>
    public long ByteSize => Proto.Size;

    /// <summary>True for the full-tensor entry of a partitioned variable, whose data lies in slice entries.</summary>
    public bool IsPartitioned => Proto.Slices.Count > 0;
}
