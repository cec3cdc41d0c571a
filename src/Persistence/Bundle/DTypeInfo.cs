using GpuTrain.Persistence.Protos;

namespace GpuTrain.Persistence.Bundle;

/// <summary>What a bundle needs to know of each <see cref="DataType"/>: whether it is stored and its element size.</summary>
internal static class DTypeInfo
{
    /// <summary>Bytes per element of a fixed-size dtype; 0 for DT_STRING, whose elements vary.</summary>
    /// <exception cref="NotSupportedException">The dtype cannot be stored in a GpuTrain bundle (variant, resource, refs...).</exception>
    public static int ElementSize(DataType dtype) => dtype switch
    {
        DataType.DtFloat or DataType.DtInt32 or DataType.DtQint32 or DataType.DtUint32 => 4,
        DataType.DtDouble or DataType.DtInt64 or DataType.DtComplex64 or DataType.DtUint64 => 8,
        DataType.DtComplex128 => 16,
        DataType.DtHalf or DataType.DtBfloat16 or DataType.DtInt16 or DataType.DtUint16
            or DataType.DtQint16 or DataType.DtQuint16 => 2,
        DataType.DtInt8 or DataType.DtUint8 or DataType.DtBool or DataType.DtQint8 or DataType.DtQuint8
            or DataType.DtFloat8E5M2 or DataType.DtFloat8E4M3Fn or DataType.DtFloat8E4M3Fnuz
            or DataType.DtFloat8E4M3B11Fnuz or DataType.DtFloat8E5M2Fnuz => 1,
        DataType.DtString => 0,
        _ => throw new NotSupportedException($"dtype {Name(dtype)} cannot be stored in a tensor bundle by GpuTrain"),
    };

    /// <summary>True when <see cref="ElementSize"/> knows the dtype.</summary>
    public static bool IsStorable(DataType dtype) =>
        dtype is not (DataType.DtInvalid or DataType.DtResource or DataType.DtVariant) && Enum.IsDefined(dtype);

    /// <summary>TensorFlow's spelling, e.g. <c>DT_FLOAT</c>, or the number when unknown.</summary>
    public static string Name(DataType dtype) =>
        TypesReflection.Descriptor.EnumTypes[0].FindValueByNumber((int)dtype)?.Name ?? $"dtype #{(int)dtype}";
}
