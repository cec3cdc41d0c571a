using System.Buffers.Binary;
using GpuTrain.Persistence.Bundle;
using GpuTrain.Persistence.Protos;

namespace GpuTrain.Persistence.Inspection;

/// <summary>A tensor's elements as doubles, for display and summary statistics.</summary>
internal static class TensorValues
{
    /// <summary>Every element of a numeric or bool tensor, widened to double.</summary>
    /// <exception cref="ArgumentException">A dtype with no single numeric value per element (string, complex, quantized).</exception>
    public static double[] ToDoubles(BundleTensor tensor)
    {
        ReadOnlySpan<byte> d = tensor.Data;
        int size = DTypeInfo.ElementSize(tensor.DType);
        var values = new double[tensor.ElementCount];
        for (int i = 0; i < values.Length; i++)
        {
            var e = d.Slice(i * size, size);
            values[i] = tensor.DType switch
            {
                DataType.DtFloat => BinaryPrimitives.ReadSingleLittleEndian(e),
                DataType.DtDouble => BinaryPrimitives.ReadDoubleLittleEndian(e),
                DataType.DtHalf => (double)BinaryPrimitives.ReadHalfLittleEndian(e),
                DataType.DtBfloat16 => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(e) << 16),
                DataType.DtInt8 => (sbyte)e[0],
                DataType.DtUint8 or DataType.DtBool => e[0],
                DataType.DtInt16 => BinaryPrimitives.ReadInt16LittleEndian(e),
                DataType.DtUint16 => BinaryPrimitives.ReadUInt16LittleEndian(e),
                DataType.DtInt32 => BinaryPrimitives.ReadInt32LittleEndian(e),
                DataType.DtUint32 => BinaryPrimitives.ReadUInt32LittleEndian(e),
                DataType.DtInt64 => BinaryPrimitives.ReadInt64LittleEndian(e),
                DataType.DtUint64 => BinaryPrimitives.ReadUInt64LittleEndian(e),
                _ => throw new ArgumentException($"tensor '{tensor.Name}' is {DTypeInfo.Name(tensor.DType)}, which has no numeric display", nameof(tensor)),
            };
        }
        return values;
    }
}
