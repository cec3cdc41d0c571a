using GpuTrain.Runtime.Training;

namespace GpuTrain.Runtime.Tests.Training;

public sealed class RecentRateTests
{
    [Fact]
    public void TheRateForgetsASlowWarmUpOnceTheWindowHasPassedIt()
    {
        var rate = new RecentRate(window: 10);
        rate.Add(1, 20); // a first step of 20 s: kernel compilation
        Assert.Equal(0.05, rate.PerSecond, 9);
        for (int step = 2; step <= 101; step++) rate.Add(step, 20 + 0.5 * (step - 1)); // then 2 steps/s for 50 s
        Assert.Equal(2, rate.PerSecond, 9); // a cumulative rate would say 101 / 70 = 1.44
    }

    [Fact]
    public void ASlowdownShowsWithinTheWindow()
    {
        var rate = new RecentRate(window: 4);
        for (int step = 1; step <= 40; step++) rate.Add(step, 0.1 * step); // 10 steps/s
        for (int step = 41; step <= 50; step++) rate.Add(step, 4 + 1.0 * (step - 40)); // then 1 step/s for 10 s
        Assert.Equal(1, rate.PerSecond, 9);
    }
}
