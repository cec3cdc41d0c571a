using GpuTrain.Runtime.Devices;
using GpuTrain.Runtime.Ops;
using ILGPU;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Tensors;

/// <summary>
/// All trainable parameters in one contiguous float buffer, each named tensor a slice of it
/// (DESIGN.md "One parameter arena"). Gradients and optimizer slots are further arenas with the
/// same layout, so the optimizer is one kernel over flat buffers and a checkpoint snapshot is a few
/// large copies instead of one per tensor.
/// <para>
/// A gradient arena is cleared before every step, yet most of it (a dense layer's kernel) is then
/// overwritten whole by one GEMM. <see cref="ClearDeferred"/> therefore only marks the tensors as
/// zero: a writer that will overwrite a whole tensor asks <see cref="Accumulator"/> and is told to
/// write it with beta 0 (no clear, and the GEMM does not read the old values); any other access
/// (<see cref="ViewOf"/>, <see cref="View"/>, a download) zeroes a still-marked tensor first, so
/// every reader sees exactly what an eager clear would have left.
/// </para>
/// </summary>
public sealed class ParameterArena : IDisposable
{
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _buffer;
    private readonly Dictionary<string, ArenaSlice> _byName;
    private readonly Dictionary<string, int> _indexOf;
    // Per slice (layout order): zero by a deferred clear but not yet written.
    private readonly bool[] _zeroPending;
    private bool _anyZeroPending;

    /// <summary>Allocates a zeroed arena with the given layout.</summary>
    public ParameterArena(Device device, ArenaLayout layout)
    {
        Device = device;
        Layout = layout;
        _buffer = device.Accelerator.Allocate1D<float>(Math.Max(1, layout.TotalSize));
        // Before the first write: the clear below then faults the large pages in.
        if (device.Kind == Devices.DeviceKind.Cpu) Host.HostHugePages.Advise(_buffer.View);
        _buffer.MemSetToZero();
        _byName = layout.Slices.ToDictionary(s => s.Name, StringComparer.Ordinal);
        _indexOf = layout.Slices.Select((s, i) => (s.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        _zeroPending = new bool[layout.Slices.Count];
    }

    /// <summary>The device holding the arena.</summary>
    public Device Device { get; }

    /// <summary>The named slices and total size.</summary>
    public ArenaLayout Layout { get; }

    /// <summary>The whole arena as one flat view.</summary>
    public ArrayView<float> View
    {
        get
        {
            ZeroAllPending();
            return FlatView;
        }
    }

    private ArrayView<float> FlatView => _buffer.View.SubView(0, Layout.TotalSize);

    /// <summary>The named tensor <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No tensor has that name.</exception>
    public ArenaSlice this[string name] => _byName.TryGetValue(name, out var s)
        ? s : throw new KeyNotFoundException($"the arena has no tensor named '{name}'");

    /// <summary>The device view of the named tensor.</summary>
    public ArrayView<float> ViewOf(ArenaSlice slice)
    {
        if (_anyZeroPending)
        {
            // A slice of another layout may overlap several of this one's: zero them all.
            if (IndexOf(slice) is int index) ZeroIfPending(index);
            else ZeroAllPending();
        }
        return slice.Of(FlatView);
    }

    /// <summary>
    /// The view of <paramref name="slice"/> for a writer that adds its contribution to it, and the
    /// beta it must write with: 0 when a deferred clear left the tensor zero and nothing has written
    /// it since (the writer must then overwrite every element), else 1 (accumulate).
    /// </summary>
    internal ArrayView<float> Accumulator(ArenaSlice slice, out float beta)
    {
        int index = IndexOf(slice) ?? throw new ArgumentException($"tensor '{slice.Name}' at {slice.Offset} is not a tensor of this arena", nameof(slice));
        beta = 1f;
        if (_zeroPending[index])
        {
            beta = 0f;
            _zeroPending[index] = false;
            // The alignment padding behind the tensor is zeroed as an eager clear would (a NaN scale
            // of the whole arena once reaches it); the writer covers the tensor itself.
            var region = Region(index);
            if (region.Length > slice.Size) ElementwiseOps.Zero(Device, region.SubView(slice.Size));
        }
        return slice.Of(FlatView);
    }

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
    public void Clear()
    {
        Array.Clear(_zeroPending);
        _anyZeroPending = false;
        _buffer.MemSetToZero();
    }

    /// <summary>
    /// Sets every element to zero as <see cref="Clear"/> does, but lazily: each tensor is zeroed when
    /// it is next read, or not at all when its first writer overwrites it (see <see cref="Accumulator"/>).
    /// The trainer's clear before each step.
    /// </summary>
    public void ClearDeferred()
    {
        Array.Fill(_zeroPending, true);
        _anyZeroPending = _zeroPending.Length > 0;
    }

    /// <summary>The layout index of <paramref name="slice"/>, or null when it is not one of this layout's tensors.</summary>
    private int? IndexOf(ArenaSlice slice) =>
        _byName.TryGetValue(slice.Name, out var own) && own.Offset == slice.Offset && own.Size == slice.Size
            ? _indexOf[slice.Name] : null;

    private void ZeroAllPending()
    {
        if (!_anyZeroPending) return;
        for (int i = 0; i < _zeroPending.Length; i++) ZeroIfPending(i);
        _anyZeroPending = false;
    }

    private void ZeroIfPending(int index)
    {
        if (!_zeroPending[index]) return;
        _zeroPending[index] = false;
        ElementwiseOps.Zero(Device, Region(index));
    }

    /// <summary>Tensor <paramref name="index"/> with the alignment padding up to the next tensor (or the arena's end).</summary>
    private ArrayView<float> Region(int index)
    {
        var slices = Layout.Slices;
        long end = index + 1 < slices.Count ? slices[index + 1].Offset : Layout.TotalSize;
        return FlatView.SubView(slices[index].Offset, end - slices[index].Offset);
    }

    /// <inheritdoc />
    public void Dispose() => _buffer.Dispose();
}
