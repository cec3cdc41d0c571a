using GpuTrain.Persistence.Protos;
using GpuTrain.Runtime.Devices;
using ILGPU;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Tensors;

/// <summary>
/// A device buffer with a shape and dtype. It owns its memory; views into the parameter arena are
/// <see cref="ArenaSlice"/>s instead.
/// </summary>
public sealed class Tensor<T> : IDisposable where T : unmanaged
{
    private readonly MemoryBuffer1D<T, Stride1D.Dense> _buffer;

    /// <summary>Allocates an uninitialised tensor of <paramref name="shape"/> on <paramref name="device"/>.</summary>
    /// <exception cref="NotSupportedException">T is not float, int or long.</exception>
    public Tensor(Device device, Shape shape)
    {
        Device = device;
        Shape = shape;
        DType = typeof(T) == typeof(float) ? DataType.DtFloat
            : typeof(T) == typeof(int) ? DataType.DtInt32
            : typeof(T) == typeof(long) ? DataType.DtInt64
            : throw new NotSupportedException($"element type {typeof(T).Name} is not a GpuTrain dtype (float, int, long)");
        _buffer = device.Accelerator.Allocate1D<T>(shape.Size);
    }

    /// <summary>The device holding the data.</summary>
    public Device Device { get; }

    /// <summary>The shape.</summary>
    public Shape Shape { get; }

    /// <summary>The element type, in TensorFlow's DataType as checkpoint variables carry it.</summary>
    public DataType DType { get; }

    /// <summary>Number of elements.</summary>
    public long Size => Shape.Size;

    /// <summary>The flat device view kernels take.</summary>
    public ArrayView<T> View => _buffer.View;

    /// <summary>Allocates a tensor and copies <paramref name="values"/> into it.</summary>
    public static Tensor<T> FromHost(Device device, Shape shape, ReadOnlySpan<T> values)
    {
        var t = new Tensor<T>(device, shape);
        t.Upload(values);
        return t;
    }

    /// <summary>Copies host values into the tensor; the length must equal the tensor's size.</summary>
    public void Upload(ReadOnlySpan<T> values)
    {
        if (values.Length != Size)
            throw new ArgumentException($"upload of {values.Length} values into a tensor of shape {Shape} ({Size} values)", nameof(values));
        _buffer.View.BaseView.CopyFromCPU(values);
    }

    /// <summary>Copies the tensor to a new host array (waits for queued work first).</summary>
    public T[] Download()
    {
        var host = new T[Size];
        _buffer.View.BaseView.CopyToCPU(host);
        return host;
    }

    /// <summary>Sets every element to zero.</summary>
    public void Clear() => _buffer.MemSetToZero();

    /// <inheritdoc />
    public void Dispose() => _buffer.Dispose();
}
