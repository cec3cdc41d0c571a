namespace GpuTrain.Runtime.Tensors;

/// <summary>Element types of device tensors (names follow TensorFlow's DT_* enum).</summary>
public enum DType
{
    /// <summary>32-bit IEEE float (DT_FLOAT).</summary>
    Float32,
    /// <summary>32-bit signed integer (DT_INT32).</summary>
    Int32,
    /// <summary>64-bit signed integer (DT_INT64).</summary>
    Int64,
}

/// <summary>Maps CLR element types to <see cref="DType"/>.</summary>
public static class DTypes
{
    /// <summary>The <see cref="DType"/> of <typeparamref name="T"/>.</summary>
    /// <exception cref="NotSupportedException">T is not float, int or long.</exception>
    public static DType Of<T>() where T : unmanaged =>
        typeof(T) == typeof(float) ? DType.Float32
        : typeof(T) == typeof(int) ? DType.Int32
        : typeof(T) == typeof(long) ? DType.Int64
        : throw new NotSupportedException($"element type {typeof(T).Name} is not a GpuTrain dtype (float, int, long)");

    /// <summary>Bytes per element.</summary>
    public static int SizeOf(this DType dtype) => dtype switch
    {
        DType.Float32 or DType.Int32 => 4,
        DType.Int64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };
}
