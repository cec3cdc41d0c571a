using GpuTrain.Runtime.Ops;
using GpuTrain.Runtime.Tensors;
using GpuTrain.Runtime.Training;
using ILGPU;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Optimizers;

/// <summary>
/// tf.clip_by_global_norm over a whole gradient arena: the global norm is the L2 norm of every
/// gradient together; when it exceeds the clip norm every gradient is scaled by
/// clip / max(norm, clip). A non-finite norm yields NaN gradients, as in TensorFlow. As a
/// <see cref="IGradientStage"/> of a trainer it clips the model's dense gradients every step.
/// </summary>
public sealed class GlobalNormClipping : IGradientStage, IDisposable
{
    // The squared norm comes from ReduceOps (fixed summation order: the same value on every run and
    // device); the scratch holds its partial sums followed by the one-element result.
    private readonly Device _device;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _scratch;
    private readonly float[] _hostSum = new float[1];

    /// <summary>Clips to <paramref name="clipNorm"/> on <paramref name="device"/>.</summary>
    /// <exception cref="ArgumentException">The clip norm is not positive and finite.</exception>
    public GlobalNormClipping(Device device, float clipNorm)
    {
        if (!(clipNorm > 0) || !float.IsFinite(clipNorm))
            throw new ArgumentException($"clip norm {clipNorm} must be positive and finite", nameof(clipNorm));
        _device = device;
        ClipNorm = clipNorm;
        _scratch = device.Accelerator.Allocate1D<float>(ReduceOps.ScratchLength + 1);
    }

    /// <summary>The largest global norm left unscaled.</summary>
    public float ClipNorm { get; }

    /// <summary>The global norm of the last step's gradients, before clipping (NaN before the first).</summary>
    public float LastNorm { get; private set; } = float.NaN;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The model has no dense gradients.</exception>
    public void Process(ITrainable model, long step) =>
        LastNorm = Apply(model.Gradients ?? throw new ArgumentException("global-norm clipping needs dense gradients", nameof(model)));

    /// <summary>Scales <paramref name="gradients"/> in place if needed; returns the global norm before clipping.</summary>
    public float Apply(ParameterArena gradients)
    {
        float norm = GlobalNorm(gradients.View);
        // Below the clip norm TF multiplies by clip * (1 / clip), which is 1 up to rounding; skipping
        // the launch keeps those gradients bit-exact.
        if (!(norm <= ClipNorm)) OptimizerOps.Scale(_device, gradients.View, ClipNorm / MathF.Max(norm, ClipNorm));
        return norm;
    }

    /// <summary>The L2 norm of <paramref name="values"/>, deterministic (fixed summation order).</summary>
    public float GlobalNorm(ArrayView<float> values)
    {
        var scratch = _scratch.View.BaseView;
        var result = scratch.SubView(ReduceOps.ScratchLength, 1);
        ReduceOps.SumOfSquares(_device, values, scratch.SubView(0, ReduceOps.ScratchLength), result);
        result.CopyToCPU(_hostSum);
        return MathF.Sqrt(_hostSum[0]);
    }

    /// <inheritdoc />
    public void Dispose() => _scratch.Dispose();
}
