using GpuTrain.Runtime.Ops;
using GpuTrain.Runtime.Tensors;
using ILGPU;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Optimizers;

/// <summary>TF's AdagradOptimizer: one accumulator slot per variable (<c>&lt;var&gt;/Adagrad</c>).</summary>
public sealed class Adagrad : Optimizer
{
    private ParameterArena? _accumulators;

    /// <summary>Adagrad whose accumulators start at <paramref name="initialAccumulatorValue"/> (TF's default 0.1).</summary>
    /// <exception cref="ArgumentException">The initial value is not positive.</exception>
    public Adagrad(LearningRateSchedule learningRate, float initialAccumulatorValue = 0.1f) : base(learningRate)
    {
        if (!(initialAccumulatorValue > 0) || !float.IsFinite(initialAccumulatorValue))
            throw new ArgumentException($"initial accumulator value {initialAccumulatorValue} must be positive", nameof(initialAccumulatorValue));
        InitialAccumulatorValue = initialAccumulatorValue;
    }

    /// <summary>What every accumulator starts at.</summary>
    public float InitialAccumulatorValue { get; }

    /// <inheritdoc />
    protected override void CreateState(Device device, ArenaLayout layout) =>
        _accumulators = AddSlot(device, layout, "Adagrad", InitialAccumulatorValue);

    /// <inheritdoc />
    protected override void Update(Device device, ArrayView<float> parameters, ArrayView<float> gradients, float learningRate)
        => OptimizerOps.Adagrad(device, parameters, gradients, _accumulators!.View, learningRate);
}
