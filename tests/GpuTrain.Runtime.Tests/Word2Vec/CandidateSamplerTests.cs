using GpuTrain.Kernels;
using GpuTrain.Runtime.Devices;
using GpuTrain.Runtime.Tensors;
using ILGPU;
using ILGPU.Runtime;
using GpuTrain.TestSupport;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Tests.Word2Vec;

/// <summary>The device sampler against the analytic log-uniform distribution and TF's expected-count formula, in double.</summary>
public sealed class CandidateSamplerTests
{
    private static readonly Action<Index1D, ArrayView<int>, ArrayView<float>, ArrayView<int>, int, int, ulong, ulong> Kernel =
        CandidateSampling.SampleLogUniform;

    private static double P(int k, int range) => (Math.Log(k + 2.0) - Math.Log(k + 1.0)) / Math.Log(range + 1.0);

    private static (int[] Sampled, float[] LogCount, int Tries) Sample(Device device, int count, int range, bool unique, ulong stream)
    {
        using var sampled = new Tensor<int>(device, new Shape(count));
        using var logCount = new Tensor<float>(device, new Shape(count));
        using var tries = new Tensor<int>(device, new Shape(1));
        device.Kernel(Kernel, acc => acc.LoadAutoGroupedStreamKernel(Kernel))(
            1, sampled.View, logCount.View, tries.View, range, unique ? 1 : 0, 42UL, stream);
        return (sampled.Download(), logCount.Download(), tries.Download()[0]);
    }

    [DeviceFact]
    [Trait("Category", TestDevice.Category)]
    public void DrawsFollowTheLogUniformDistribution()
    {
        const int range = 20, n = 200_000;
        using var device = TestDevice.Open();
        var (draws, _, tries) = Sample(device, n, range, unique: false, stream: 1);
        Assert.Equal(n, tries);
        var observed = new long[range];
        foreach (int d in draws) observed[d]++;
        double chi2 = Enumerable.Range(0, range).Sum(k => Math.Pow(observed[k] - n * P(k, range), 2) / (n * P(k, range)));
        // 19 degrees of freedom: 43.8 is the 0.1% critical value.
        Assert.True(chi2 < 43.8, $"chi-square {chi2:F1}; observed {string.Join(",", observed)}");
        Assert.InRange(observed[0] / (double)n, P(0, range) - 0.005, P(0, range) + 0.005);
    }

    [DeviceFact]
    [Trait("Category", TestDevice.Category)]
    public void UniqueSamplingGivesDistinctClassesAndTfsExpectedCounts()
    {
        const int range = 50, count = 16;
        using var device = TestDevice.Open();
        for (ulong step = 0; step < 5; step++)
        {
            var (sampled, logCount, tries) = Sample(device, count, range, unique: true, stream: step);
            Assert.Equal(count, sampled.Distinct().Count());
            Assert.All(sampled, s => Assert.InRange(s, 0, range - 1));
            Assert.True(tries >= count);
            for (int k = 0; k < count; k++)
            {
                double p = P(sampled[k], range);
                double expected = tries == count ? p * count : 1 - Math.Pow(1 - p, tries);
                Assert.Equal(Math.Log(expected), logCount[k], 4);
            }
        }
    }

    [Theory]
    [InlineData(0, 64, 64)]
    [InlineData(49_999, 64, 64)]
    [InlineData(49_999, 64, 150)]
    [InlineData(3, 64, 200)]
    [InlineData(0, 64, 300)]
    public void ExpectedCountMatchesTheFormulaInDouble(int k, int numSampled, int tries)
    {
        const int range = 50_000;
        double p = P(k, range);
        Assert.Equal(p, CandidateSampling.LogUniformProbability(k, range), p * 1e-5);
        double expected = tries == numSampled ? p * numSampled : 1 - Math.Pow(1 - p, tries);
        float actual = CandidateSampling.ExpectedCount(CandidateSampling.LogUniformProbability(k, range), numSampled, tries, 1);
        Assert.Equal(expected, actual, expected * 2e-5);
        Assert.Equal(p * numSampled, CandidateSampling.ExpectedCount((float)p, numSampled, tries, 0), p * numSampled * 1e-6);
    }

    [Fact]
    public void ProbabilitiesSumToOne() =>
        Assert.Equal(1.0, Enumerable.Range(0, 1000).Sum(k => (double)CandidateSampling.LogUniformProbability(k, 1000)), 4);
}
