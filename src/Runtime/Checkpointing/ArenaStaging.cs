using System.Diagnostics;
using GpuTrain.Runtime.Tensors;
using ILGPU;
using ILGPU.Runtime;

namespace GpuTrain.Runtime.Checkpointing;

/// <summary>
/// Page-locked host mirrors of whole arenas (parameters, optimizer slots), allocated once and reused
/// by every save: <see cref="Capture"/> copies each arena with one device-to-host copy on a stream of
/// its own and waits for it, which is all the training thread pays for a checkpoint; the background
/// writer then reads the mirrors while training goes on. On CUDA the pages are really locked, so the
/// copies run at full bus speed; ILGPU's CPU accelerator runs them as plain memory copies.
/// </summary>
public sealed class ArenaStaging : IDisposable
{
    private readonly List<(ParameterArena Arena, PageLockedArray1D<float> Host)> _mirrors = [];
    private readonly AcceleratorStream _stream;

    /// <summary>Mirrors for every distinct arena of <paramref name="arenas"/>, all on one device.</summary>
    public ArenaStaging(IEnumerable<ParameterArena> arenas)
    {
        var distinct = arenas.Distinct().ToList();
        if (distinct.Count == 0) throw new ArgumentException("nothing to stage", nameof(arenas));
        var accelerator = distinct[0].Device.Accelerator;
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
    /// Copies every arena into its mirror after the work queued on the device has finished, and
    /// returns the milliseconds spent (the checkpoint's stall on the training thread).
    /// </summary>
    public double Capture()
    {
        long start = Stopwatch.GetTimestamp();
        _mirrors[0].Arena.Device.Synchronize();
        foreach (var (arena, host) in _mirrors)
        {
            if (arena.Layout.TotalSize == 0) continue;
            ArrayView1D<float, Stride1D.Dense> view = arena.View;
            view.CopyToPageLockedAsync(_stream, host);
        }
        _stream.Synchronize();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    /// <summary>The captured values of <paramref name="slice"/> of <paramref name="arena"/>.</summary>
    public ReadOnlySpan<float> Captured(ParameterArena arena, ArenaSlice slice)
    {
        foreach (var (a, host) in _mirrors)
            if (ReferenceEquals(a, arena)) return host.Span.Slice(checked((int)slice.Offset), checked((int)slice.Size));
        throw new ArgumentException($"tensor '{slice.Name}': its arena is not staged", nameof(arena));
    }

    /// <summary>Frees the mirrors and the copy stream.</summary>
    public void Dispose()
    {
        foreach (var (_, host) in _mirrors) host.Dispose();
        _mirrors.Clear();
        _stream.Dispose();
    }
}
