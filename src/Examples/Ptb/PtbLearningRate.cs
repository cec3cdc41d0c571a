using GpuTrain.Runtime.Optimizers;

namespace GpuTrain.Examples.Ptb;

/// <summary>
/// The tutorial's learning rate as a step schedule: epoch e = step / stepsPerEpoch runs at
/// <see cref="PtbConfig.LearningRateAt"/>(e), constant for MaxEpoch epochs, then decayed by
/// lr_decay once per epoch.
/// </summary>
public sealed class PtbLearningRate : LearningRateSchedule
{
    private readonly PtbConfig _config;
    private readonly long _stepsPerEpoch;

    /// <summary>The schedule of <paramref name="config"/> for epochs of <paramref name="stepsPerEpoch"/> batches.</summary>
    public PtbLearningRate(PtbConfig config, long stepsPerEpoch)
    {
        if (stepsPerEpoch < 1) throw new ArgumentException($"an epoch needs at least one step; got {stepsPerEpoch}", nameof(stepsPerEpoch));
        _config = config;
        _stepsPerEpoch = stepsPerEpoch;
    }

    /// <inheritdoc />
    public override float At(long step) => _config.LearningRateAt((int)Math.Min(step / _stepsPerEpoch, int.MaxValue));
}
