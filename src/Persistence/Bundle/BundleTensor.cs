using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using GpuTrain.Persistence.Protos;

namespace GpuTrain.Persistence.Bundle;

/// <summary>
/// One named tensor as a bundle stores it: dtype, shape and the bytes of the data file (little-endian
/// elements; for DT_STRING the encoded lengths, checksum and bytes).
/// </summary>
public sealed class BundleTensor
{
    private BundleTensor(string name, DataType dtype, long[] shape, byte[] data, uint crc)
    {
        Name = name;
        DType = dtype;
        Shape = shape;
        Data = data;
        Crc = crc;
    }

    /// <summary>The tensor's key in the bundle (e.g. <c>conv1/kernel</c>).</summary>
    public string Name { get; }

    /// <summary>The element type.</summary>
    public DataType DType { get; }

    /// <summary>The dimensions (empty for a scalar).</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>The bytes as stored in the data file.</summary>
    public byte[] Data { get; }

    /// <summary>The unmasked CRC32C the index entry records.</summary>
    public uint Crc { get; }

    /// <summary>Number of elements.</summary>
    public long ElementCount => TensorShapes.ElementCount(Shape, Name);

    /// <summary>A fixed-size tensor from its raw little-endian bytes.</summary>
    /// <exception cref="ArgumentException">A string dtype, or the byte count does not match the shape.</exception>
    public static BundleTensor FromBytes(string name, DataType dtype, IReadOnlyList<long> shape, byte[] data)
    {
        int elementSize = DTypeInfo.ElementSize(dtype);
        if (elementSize == 0) throw new ArgumentException($"tensor '{name}': use FromStrings for {DTypeInfo.Name(dtype)}", nameof(dtype));
        long count = TensorShapes.ElementCount(shape, name);
        if (data.LongLength != count * elementSize)
            throw new ArgumentException($"tensor '{name}': {data.LongLength} bytes for {DTypeInfo.Name(dtype)} {TensorShapes.Format(shape)} (need {count * elementSize})", nameof(data));
        return new BundleTensor(name, dtype, shape.ToArray(), data, Hashing.Crc32C.Compute(data));
    }

    /// <summary>A fixed-size tensor from typed values (reinterpreted as little-endian bytes).</summary>
    public static BundleTensor FromValues<T>(string name, DataType dtype, IReadOnlyList<long> shape, ReadOnlySpan<T> values)
        where T : unmanaged =>
        FromBytes(name, dtype, shape, MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>A DT_STRING tensor.</summary>
    /// <exception cref="ArgumentException">The number of strings does not match the shape.</exception>
    public static BundleTensor FromStrings(string name, IReadOnlyList<long> shape, IReadOnlyList<byte[]> strings)
    {
        if (strings.Count != TensorShapes.ElementCount(shape, name))
            throw new ArgumentException($"tensor '{name}': {strings.Count} strings for shape {TensorShapes.Format(shape)}", nameof(strings));
        var (data, crc) = StringTensorCodec.Encode(strings);
        return new BundleTensor(name, DataType.DtString, shape.ToArray(), data, crc);
    }

    /// <summary>A tensor read back from a data file whose CRC was already verified.</summary>
    internal static BundleTensor Verified(string name, DataType dtype, long[] shape, byte[] data, uint crc) =>
        new(name, dtype, shape, data, crc);

    /// <summary>The elements reinterpreted as <typeparamref name="T"/> (which must match the dtype's size).</summary>
    /// <exception cref="InvalidOperationException">A string tensor, or T has the wrong size.</exception>
    public T[] ToArray<T>() where T : unmanaged
    {
        int size = DTypeInfo.ElementSize(DType);
        if (size != Unsafe.SizeOf<T>())
            throw new InvalidOperationException($"tensor '{Name}' is {DTypeInfo.Name(DType)}; cannot read it as {typeof(T).Name}");
        return MemoryMarshal.Cast<byte, T>(Data).ToArray();
    }

    /// <summary>The elements of a DT_STRING tensor.</summary>
    public byte[][] ToStrings()
    {
        if (DType != DataType.DtString) throw new InvalidOperationException($"tensor '{Name}' is {DTypeInfo.Name(DType)}, not DT_STRING");
        return StringTensorCodec.Decode(Data, ElementCount, Name).Strings;
    }

    /// <summary>The key bytes: the name in UTF-8.</summary>
    internal byte[] Key => Encoding.UTF8.GetBytes(Name);
}
