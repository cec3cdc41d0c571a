using GpuTrain.Logging.Reading;

namespace GpuTrain.Logging.Tests;

public sealed class TensorBoardSmoothingTests
{
    [Fact]
    public void MatchesTheDebiasedMovingAverageOfTensorBoard()
    {
        // weight 0.5: EMA 0.5, 1.75, 2.875 over 1, 3, 4, divided by 1 - 0.5^n (0.5, 0.75, 0.875).
        double[] smoothed = TensorBoardSmoothing.Smooth([1, 3, 4], 0.5);
        Assert.Equal([1.0, 1.75 / 0.75, 2.875 / 0.875], smoothed);
    }

    [Fact]
    public void NonFiniteValuesPassThroughWithoutEnteringTheAverage()
    {
        double[] smoothed = TensorBoardSmoothing.Smooth([2, double.NaN, 2], 0.9);
        Assert.Equal(2, smoothed[0], 12);
        Assert.True(double.IsNaN(smoothed[1]));
        Assert.Equal(2, smoothed[2], 12);
    }

    [Fact]
    public void ZeroWeightIsTheRawCurveAndAWeightOfOneIsRefused()
    {
        Assert.Equal([5.0, -1.0, 3.0], TensorBoardSmoothing.Smooth([5, -1, 3], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => TensorBoardSmoothing.Smooth([1, 2], 1));
    }
}
