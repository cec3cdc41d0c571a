using GpuTrain.Examples.Ptb;

namespace GpuTrain.Runtime.Tests.Language;

/// <summary>The tutorial's schedule: lr · decay^max(epoch + 1 - max_epoch, 0), epoch = step / steps per epoch.</summary>
public sealed class PtbLearningRateTests
{
    [Theory]
    [InlineData(0, 1f)]
    [InlineData(399, 1f)]        // epoch 3, the last of max_epoch = 4 at the full rate
    [InlineData(400, 0.5f)]      // epoch 4
    [InlineData(899, 0.03125f)]  // epoch 8: 0.5^5
    public void SmallConfigDecaysAfterMaxEpoch(long step, float expected) =>
        Assert.Equal(expected, new PtbLearningRate(PtbConfig.Small, stepsPerEpoch: 100).At(step));

    [Fact]
    public void MediumConfigDecaysByPointEightFromEpochSix()
    {
        var schedule = new PtbLearningRate(PtbConfig.Medium, stepsPerEpoch: 10);
        Assert.Equal(1f, schedule.At(59));
        Assert.Equal(0.8f, schedule.At(60));
        Assert.Equal(0.64f, schedule.At(70), 6);
    }
}
