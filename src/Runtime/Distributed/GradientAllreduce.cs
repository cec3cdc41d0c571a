using GpuTrain.Runtime.Host;
using GpuTrain.Runtime.Tensors;
using GpuTrain.Runtime.Training;
using ILGPU;
using ILGPU.Runtime;

namespace GpuTrain.Runtime.Distributed;

/// <summary>
/// The data-parallel gradient stage (index 0 of <see cref="Trainer{TBatch}.GradientStages"/>): one
/// in-place sum-allreduce of the whole dense gradient arena per step, scaled by 1/N, so that every
/// rank holds the mean over the ranks of their batch-mean gradients, which is the gradient of the
/// global batch, and every rank applies the same update. On the CPU accelerator the arena is host
/// memory and is reduced where it lies; on a GPU it travels through one page-locked host buffer
/// (neither MPI here is CUDA-aware). The communicator's deadline ends the job when the other ranks do
/// not answer.
/// </summary>
public sealed unsafe class GradientAllreduce : IGradientStage, IDisposable
{
    private readonly Communicator _world;
    private PageLockedArray1D<float>? _staging;
    private long _steps, _bytes, _ticks;

    /// <summary>Reduces over <paramref name="world"/>.</summary>
    public GradientAllreduce(Communicator world) => _world = world;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The model has no dense gradient arena (its gradients are row-sparse).</exception>
    public void Process(ITrainable model, long step)
    {
        var gradients = model.Gradients
            ?? throw new ArgumentException("data-parallel training needs a dense gradient arena; this model's gradients are row-sparse", nameof(model));
        long count = gradients.Layout.TotalSize;
        if (count == 0 || !_world.IsDistributed) return;
        float scale = 1f / _world.Size;
        var device = gradients.Device;
        device.Synchronize();
        ArrayView1D<float, Stride1D.Dense> view = gradients.View;
        if (device.RunsKernelsOnHost && view.GetAcceleratorType() == AcceleratorType.CPU)
        {
            Reduce(new Span<float>(HostMemory.Pointer(gradients.View, "the gradient allreduce"), checked((int)count)), scale, step);
            return;
        }
        _staging ??= device.Accelerator.AllocatePageLocked1D<float>(count);
        view.CopyToPageLockedAsync(device.Accelerator.DefaultStream, _staging);
        device.Synchronize();
        Reduce(_staging.Span, scale, step);
        view.CopyFromPageLockedAsync(device.Accelerator.DefaultStream, _staging);
        device.Synchronize();
    }

    /// <summary>The steps reduced so far, the mean time per step in the allreduce, and the arena's bytes.</summary>
    public GradientExchangeTime Time => new(_steps, _steps == 0 ? 0 : TimeSpan.FromTicks(_ticks).TotalMilliseconds / _steps, _bytes);

    /// <summary>Frees the staging buffer.</summary>
    public void Dispose() => _staging?.Dispose();

    private void Reduce(Span<float> data, float scale, long step)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        using (Communicator.For($"the gradient allreduce of step {step}"))
            _world.AllreduceSum(data);
        _ticks += System.Diagnostics.Stopwatch.GetElapsedTime(start).Ticks;
        _steps++;
        _bytes = (long)data.Length * sizeof(float);
        // 1/N is a power of two for 2, 4, 8 ranks: the scaling is then exact.
        foreach (ref float g in data) g *= scale;
    }
}
