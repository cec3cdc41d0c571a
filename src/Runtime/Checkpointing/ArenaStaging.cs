using System.Diagnostics;
using System.Runtime.InteropServices;
using GpuTrain.Runtime.Host;
using GpuTrain.Runtime.Tensors;
using ILGPU;
using ILGPU.Runtime;

namespace GpuTrain.Runtime.Checkpointing;

/// <summary>
/// The captured values of the arena slices a checkpoint saves, allocated once and reused by every
/// save. <see cref="BeginCapture"/> waits for the work queued on the device and starts the copy,
/// then returns. On CUDA each whole arena is copied into a page-locked mirror on a stream of its own
/// (at full bus speed), and each slice's bytes are taken from the mirror when the writer asks. On
/// ILGPU's CPU accelerator the arenas are host memory, so a worker thread copies each slice straight
/// into the byte array the writer checksums and writes (<see cref="CapturedBytes"/>): one copy of
/// the state a save, where a mirror and then the saver's own buffer took two, and their processor
/// time came out of the two cores training uses. Training goes on meanwhile: the next step's forward
/// and backward passes only read the arenas, and <see cref="WaitCaptured"/>, called before the
/// optimizer writes them (the trainer's <see cref="Training.ITrainer.BeforeUpdate"/>) and before
/// the background writer reads a capture, is the only place anyone waits for the copy. A capture is
/// never overwritten while a save reads it: the next capture starts only after the previous save
/// has finished (<see cref="BackgroundCheckpoint.SaveInBackground"/>).
/// </summary>
internal sealed class ArenaStaging : IDisposable
{
    private readonly List<(ParameterArena Arena, PageLockedArray1D<float> Host)> _mirrors = [];
    private readonly Dictionary<(ParameterArena Arena, long Offset, long Size), byte[]> _captures = [];
    private readonly AcceleratorStream _stream;
    private readonly bool _hostMemory;
    private readonly Lock _gate = new();
    private Task? _hostCopy;
    private bool _streamCopy;

    /// <summary>Captures for every distinct slice of <paramref name="slices"/>, all on one device.</summary>
    public ArenaStaging(IEnumerable<(ParameterArena Arena, ArenaSlice Slice)> slices)
    {
        var distinct = slices.DistinctBy(s => (s.Arena, s.Slice.Offset, s.Slice.Size)).ToList();
        if (distinct.Count == 0) throw new ArgumentException("nothing to stage", nameof(slices));
        var accelerator = distinct[0].Arena.Device.Accelerator;
        _hostMemory = accelerator.AcceleratorType == AcceleratorType.CPU;
        _stream = accelerator.CreateStream();
        foreach (var (arena, slice) in distinct)
        {
            // Cleared now to touch every page: a fresh page costs ~10 us on first touch, which would otherwise land on the first save.
            var bytes = new byte[checked(slice.Size * sizeof(float))];
            Array.Clear(bytes);
            _captures.Add((arena, slice.Offset, slice.Size), bytes);
        }
        if (_hostMemory) return;
        foreach (var arena in distinct.Select(s => s.Arena).Distinct())
        {
            var host = accelerator.AllocatePageLocked1D<float>(Math.Max(1, arena.Layout.TotalSize));
            host.Span.Clear();
            _mirrors.Add((arena, host));
        }
    }

    /// <summary>
    /// Starts copying every staged slice once the work queued on the device has finished, and
    /// returns the milliseconds that took on the calling thread (the wait for the device and
    /// starting the copies). The arenas must not be written until <see cref="WaitCaptured"/> returns.
    /// </summary>
    public double BeginCapture()
    {
        long start = Stopwatch.GetTimestamp();
        WaitCaptured();
        _captures.Keys.First().Arena.Device.Synchronize();
        lock (_gate)
        {
            if (_hostMemory) _hostCopy = Task.Run(CopyOnHost);
            else
            {
                foreach (var (arena, host) in _mirrors)
                {
                    if (arena.Layout.TotalSize == 0) continue;
                    ArrayView1D<float, Stride1D.Dense> view = arena.View;
                    view.CopyToPageLockedAsync(_stream, host);
                }
                _streamCopy = true;
            }
        }
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
    /// <summary>Waits until the copies <see cref="BeginCapture"/> started are done; returns the milliseconds waited (0 when none was running).</summary>
    public double WaitCaptured()
    {
        long start = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            if (_hostCopy is { } copy)
            {
                _hostCopy = null;
                copy.GetAwaiter().GetResult();
            }
            if (_streamCopy)
            {
                _streamCopy = false;
                _stream.Synchronize();
            }
        }
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private unsafe void CopyOnHost()
    {
        foreach (var ((arena, offset, size), bytes) in _captures)
        {
            if (size == 0) continue;
            float* source = HostMemory.Pointer(arena.View, "checkpoint staging") + offset;
            fixed (byte* target = bytes)
                Buffer.MemoryCopy(source, target, bytes.LongLength, bytes.LongLength);
        }
    }

    /// <summary>
    /// The captured bytes (little-endian floats) of <paramref name="slice"/> of <paramref name="arena"/>,
    /// once the capture in flight (if any) is done; the array is this staging's own, valid until the
    /// next <see cref="BeginCapture"/>.
    /// </summary>
    public byte[] CapturedBytes(ParameterArena arena, ArenaSlice slice)
    {
        WaitCaptured();
        if (!_captures.TryGetValue((arena, slice.Offset, slice.Size), out var bytes))
            throw new ArgumentException($"tensor '{slice.Name}': its slice is not staged", nameof(slice));
        if (_hostMemory) return bytes;
        foreach (var (a, host) in _mirrors)
            if (ReferenceEquals(a, arena))
                MemoryMarshal.AsBytes(host.Span.Slice(checked((int)slice.Offset), checked((int)slice.Size))).CopyTo(bytes);
        return bytes;
    }

    /// <summary>Waits for a capture in flight, then frees the mirrors and the copy stream.</summary>
    public void Dispose()
    {
        WaitCaptured();
        foreach (var (_, host) in _mirrors) host.Dispose();
        _mirrors.Clear();
        _stream.Dispose();
    }
}
