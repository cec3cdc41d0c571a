using GpuTrain.Runtime.Ops;
using GpuTrain.Runtime.Tensors;
using ILGPU;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Optimizers;

/// <summary>
/// TF's MomentumOptimizer: one accumulator slot per variable (<c>&lt;var&gt;/Momentum</c>, starting
/// at zero), optionally with Nesterov's look-ahead.
/// </summary>
public sealed class Momentum : Optimizer
{
    private ParameterArena? _accumulators;

    /// <summary>Momentum with the given coefficient.</summary>
    /// <exception cref="ArgumentException">The momentum is not finite.</exception>
    public Momentum(LearningRateSchedule learningRate, float momentum, bool useNesterov = false) : base(learningRate)
    {
        if (!float.IsFinite(momentum)) throw new ArgumentException($"momentum {momentum} must be finite", nameof(momentum));
        MomentumCoefficient = momentum;
        UseNesterov = useNesterov;
    }

    /// <summary>The momentum coefficient.</summary>
    public float MomentumCoefficient { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool UseNesterov { get; }

    /// <inheritdoc />
    protected override void CreateState(Device device, ArenaLayout layout) =>
        _accumulators = AddSlot(device, layout, "Momentum", 0f);

    /// <inheritdoc />
    protected override void Update(Device device, ArrayView<float> parameters, ArrayView<float> gradients, float learningRate)
        => OptimizerOps.Momentum(device, parameters, gradients, _accumulators!.View, learningRate, MomentumCoefficient, UseNesterov);
}
