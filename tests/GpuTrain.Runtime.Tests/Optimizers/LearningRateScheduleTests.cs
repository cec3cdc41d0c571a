using GpuTrain.Runtime.Optimizers;

namespace GpuTrain.Runtime.Tests.Optimizers;

public sealed class LearningRateScheduleTests
{
    [Theory]
    [InlineData(0, 0.1, 0.1)]
    [InlineData(50, 0.0979795897, 0.1)]       // 0.1 * 0.96^0.5
    [InlineData(100, 0.096, 0.096)]
    [InlineData(150, 0.0940604061, 0.096)]    // 0.1 * 0.96^1.5
    [InlineData(250, 0.0902979899, 0.09216)]    // 0.1 * 0.96^2.5, staircase 0.1 * 0.96^2
    public void ExponentialDecayMatchesTensorFlow(long step, double smooth, double staircase)
    {
        Assert.Equal(smooth, new ExponentialDecay(0.1f, 100, 0.96f).At(step), 1e-7);
        Assert.Equal(staircase, new ExponentialDecay(0.1f, 100, 0.96f, staircase: true).At(step), 1e-7);
    }

    [Fact]
    public void AFloatIsAConstantSchedule()
    {
        LearningRateSchedule schedule = 0.25f;
        Assert.Equal(0.25f, schedule.At(0));
        Assert.Equal(0.25f, schedule.At(1_000_000));
        Assert.Throws<ArgumentException>(() => new ExponentialDecay(0.1f, 0, 0.9f));
        Assert.Throws<ArgumentException>(() => new ConstantLearningRate(float.NaN));
    }
}
