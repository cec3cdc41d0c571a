using System.Diagnostics;
using GpuTrain.Runtime.Host;
using GpuTrain.Runtime.Tensors;
using ILGPU;
using ILGPU.Runtime;

namespace GpuTrain.Runtime.Checkpointing;

/// <summary>
/// Page-locked host mirrors of whole arenas (parameters, optimizer slots), allocated once and reused
/// by every save. <see cref="BeginCapture"/> waits for the work queued on the device and starts one
/// copy per arena, then returns: on CUDA the copies run on a stream of their own (the pages are
/// really locked, so at full bus speed), on ILGPU's CPU accelerator as a plain memory copy on a
/// worker thread. Training goes on meanwhile: the next step's forward and backward passes only read
/// the arenas, and <see cref="WaitCaptured"/>, called before the optimizer writes them (the trainer's
/// <see cref="Training.ITrainer.BeforeUpdate"/>) and before the background writer reads a mirror,
/// is the only place anyone waits for the copy.
/// </summary>
internal sealed class ArenaStaging : IDisposable
{
    private readonly List<(ParameterArena Arena, PageLockedArray1D<float> Host)> _mirrors = [];
    private readonly AcceleratorStream _stream;
    private readonly bool _hostMemory;
    private readonly Lock _gate = new();
    private Task? _hostCopy;
    private bool _streamCopy;

    /// <summary>Mirrors for every distinct arena of <paramref name="arenas"/>, all on one device.</summary>
    public ArenaStaging(IEnumerable<ParameterArena> arenas)
    {
        var distinct = arenas.Distinct().ToList();
        if (distinct.Count == 0) throw new ArgumentException("nothing to stage", nameof(arenas));
        var accelerator = distinct[0].Device.Accelerator;
        _hostMemory = accelerator.AcceleratorType == AcceleratorType.CPU;
        _stream = accelerator.CreateStream();
        foreach (var arena in distinct)
        {
            var host = accelerator.AllocatePageLocked1D<float>(Math.Max(1, arena.Layout.TotalSize));
            // Touch every page now: a fresh page costs ~10 us on first touch, which would otherwise land on the first save's stall.
            host.Span.Clear();
            _mirrors.Add((arena, host));
        }
    }

    /// <summary>
    /// Starts copying every arena into its mirror once the work queued on the device has finished,
    /// and returns the milliseconds that took on the calling thread (the wait for the device and
    /// starting the copies). The arenas must not be written until <see cref="WaitCaptured"/> returns.
    /// </summary>
    public double BeginCapture()
    {
        long start = Stopwatch.GetTimestamp();
        WaitCaptured();
        _mirrors[0].Arena.Device.Synchronize();
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
        foreach (var (arena, host) in _mirrors)
        {
            long floats = arena.Layout.TotalSize;
            if (floats == 0) continue;
            float* source = HostMemory.Pointer(arena.View, "checkpoint staging");
            fixed (float* target = host.Span)
                Buffer.MemoryCopy(source, target, floats * sizeof(float), floats * sizeof(float));
        }
    }

    /// <summary>The captured values of <paramref name="slice"/> of <paramref name="arena"/>, once the capture in flight (if any) is done.</summary>
    public ReadOnlySpan<float> Captured(ParameterArena arena, ArenaSlice slice)
    {
        WaitCaptured();
        foreach (var (a, host) in _mirrors)
            if (ReferenceEquals(a, arena)) return host.Span.Slice(checked((int)slice.Offset), checked((int)slice.Size));
        throw new ArgumentException($"tensor '{slice.Name}': its arena is not staged", nameof(arena));
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
