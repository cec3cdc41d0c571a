using GpuTrain.Runtime.Devices;
using ILGPU;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Tensors;

/// <summary>
/// All trainable parameters in one contiguous float buffer, each named tensor a slice of it
/// (DESIGN.md "One parameter arena"). Gradients and optimizer slots are further arenas with the
/// same layout, so the optimizer is one kernel over flat buffers and a checkpoint snapshot is a few
/// large copies instead of one per tensor.
/// </summary>
public sealed class ParameterArena : IDisposable
{
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _buffer;
    private readonly Dictionary<string, ArenaSlice> _byName;

    /// <summary>Allocates a zeroed arena with the given layout.</summary>
    public ParameterArena(Device device, ArenaLayout layout)
    {
        Device = device;
        Layout = layout;
        _buffer = device.Accelerator.Allocate1D<float>(Math.Max(1, layout.TotalSize));
        _buffer.MemSetToZero();
        _byName = layout.Slices.ToDictionary(s => s.Name, StringComparer.Ordinal);
    }

    /// <summary>The device holding the arena.</summary>
    public Device Device { get; }

    /// <summary>The named slices and total size.</summary>
    public ArenaLayout Layout { get; }

    /// <summary>The whole arena as one flat view.</summary>
    public ArrayView<float> View => _buffer.View.SubView(0, Layout.TotalSize);

    /// <summary>The named tensor <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No tensor has that name.</exception>
    public ArenaSlice this[string name] => _byName.TryGetValue(name, out var s)
        ? s : throw new KeyNotFoundException($"the arena has no tensor named '{name}'");

    /// <summary>The device view of the named tensor.</summary>
    public ArrayView<float> ViewOf(ArenaSlice slice) => slice.Of(View);

    /// <summary>Copies host values into one named tensor.</summary>
    public void Upload(ArenaSlice slice, ReadOnlySpan<float> values)
    {
        if (values.Length != slice.Size)
            throw new ArgumentException($"tensor '{slice.Name}' has shape {slice.Shape} ({slice.Size} values); got {values.Length}", nameof(values));
        ViewOf(slice).CopyFromCPU(values);
    }

    /// <summary>Copies one named tensor to the host.</summary>
    public float[] Download(ArenaSlice slice)
    {
        var host = new float[slice.Size];
        ViewOf(slice).CopyToCPU(host);
        return host;
    }

    /// <summary>Copies the whole arena to the host.</summary>
    public float[] DownloadAll()
    {
        var host = new float[Layout.TotalSize];
        View.CopyToCPU(host);
        return host;
    }

    /// <summary>Sets every element to zero (e.g. gradients before a backward pass).</summary>
    public void Clear() => _buffer.MemSetToZero();

    /// <inheritdoc />
    public void Dispose() => _buffer.Dispose();
}
