using GpuTrain.Runtime.Ops;
using GpuTrain.Runtime.Tensors;
using ILGPU;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Optimizers;

/// <summary>
/// TF1's AdamOptimizer: slots <c>&lt;var&gt;/Adam</c> (m) and <c>&lt;var&gt;/Adam_1</c> (v), and the
/// non-slot scalars <c>beta1_power</c> and <c>beta2_power</c> (beta^t, starting at beta), kept on
/// the device so a restored checkpoint carries the bias correction with it.
/// </summary>
public sealed class Adam : Optimizer
{
    private ParameterArena? _m, _v, _powers;

    /// <summary>Adam with TF's defaults (beta1 0.9, beta2 0.999, epsilon 1e-8).</summary>
    /// <exception cref="ArgumentException">A beta is outside [0, 1) or epsilon is not positive.</exception>
    public Adam(LearningRateSchedule learningRate, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f)
        : base(learningRate)
    {
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentException($"beta1 {beta1} must be in [0, 1)", nameof(beta1));
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentException($"beta2 {beta2} must be in [0, 1)", nameof(beta2));
        if (!(epsilon > 0)) throw new ArgumentException($"epsilon {epsilon} must be positive", nameof(epsilon));
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
    }

    /// <summary>Decay of the first moment.</summary>
    public float Beta1 { get; }

    /// <summary>Decay of the second moment.</summary>
    public float Beta2 { get; }

    /// <summary>Added to sqrt(v) for stability.</summary>
    public float Epsilon { get; }

    /// <inheritdoc />
    protected override void CreateState(Device device, ArenaLayout layout)
    {
        _m = AddSlot(device, layout, "Adam", 0f);
        _v = AddSlot(device, layout, "Adam_1", 0f);
        _powers = AddNonSlot(device, ("beta1_power", Beta1), ("beta2_power", Beta2));
    }

    /// <inheritdoc />
    protected override void Update(Device device, ArrayView<float> parameters, ArrayView<float> gradients, float learningRate)
        => OptimizerOps.Adam(device, parameters, gradients, _m!.View, _v!.View,
            _powers!.ViewOf(_powers["beta1_power"]), _powers.ViewOf(_powers["beta2_power"]), learningRate, Beta1, Beta2, Epsilon);
}
