using GpuTrain.Runtime.Ops;
using GpuTrain.TestSupport;
using static GpuTrain.Kernels.Tests.TestData;

namespace GpuTrain.Kernels.Tests;

/// <summary>Philox against the Random123 known answers, and the random fills against host Philox and statistics.</summary>
[Collection(DeviceCollection.Name)]
[Trait("Category", TestDevice.Category)]
public sealed class RandomTests(KernelTestDevice device)
{
    /// <summary>Random123's kat_vectors for philox4x32_10: counter, key, expected output.</summary>
    public static TheoryData<uint[], uint[], uint[]> KnownAnswers => new()
    {
        { [0, 0, 0, 0], [0, 0], [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8] },
        { [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd] },
        { [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1] },
    };

    [DeviceTheory]
    [MemberData(nameof(KnownAnswers))]
    public void PhiloxMatchesRandom123(uint[] counter, uint[] key, uint[] expected)
    {
        Assert.Equal(expected, HostReference.Philox4x32(counter, key));
        ulong bits = Philox.Bits64(seed: key[0] | (ulong)key[1] << 32, stream: counter[2] | (ulong)counter[3] << 32,
            index: counter[0] | (ulong)counter[1] << 32);
        Assert.Equal(expected[0] | (ulong)expected[1] << 32, bits);
    }

    [DeviceTheory]
    [MemberData(nameof(Lengths), MemberType = typeof(TestData))]
    public void FillsEqualHostPhiloxExactlyOnCpuAndToAFewUlpElsewhere(int n)
    {
        var d = device.Device;
        using var y = Upload(d, new float[n]);
        RandomOps.Uniform(d, y.View, seed: 42, stream: 7, low: -2f, high: 3f);
        TestDevice.AssertRandomDrawsEqual([.. Enumerable.Range(0, n).Select(i => -2f + 5f * Philox.Uniform(42, 7, (ulong)i))], Download(y));
        RandomOps.Normal(d, y.View, seed: 42, stream: 8, mean: 1f, std: 0.5f);
        TestDevice.AssertRandomDrawsEqual([.. Enumerable.Range(0, n).Select(i => 1f + 0.5f * Philox.Normal(42, 8, (ulong)i))], Download(y));
    }

    [DeviceFact]
    public void SameSeedAndStreamRepeatOtherStreamsDiffer()
    {
        var d = device.Device;
        using var y = Upload(d, new float[1000]);
        RandomOps.Uniform(d, y.View, 1, 2);
        var first = Download(y);
        RandomOps.Uniform(d, y.View, 1, 2);
        Assert.Equal(first, Download(y));
        RandomOps.Uniform(d, y.View, 1, 3);
        Assert.True(first.Zip(Download(y)).Count(p => p.First == p.Second) < 5);
        RandomOps.Uniform(d, y.View, 2, 2);
        Assert.True(first.Zip(Download(y)).Count(p => p.First == p.Second) < 5);
    }

    /// <summary>
    /// 100,003 draws: uniform mean 1/2 and variance 1/12, normal mean 0 and std 1, each within about
    /// 5 standard errors; all uniforms in [0, 1).
    /// </summary>
    [DeviceFact]
    public void MomentsAreThoseOfTheDistributions()
    {
        const int n = 100_003;
        var d = device.Device;
        using var y = Upload(d, new float[n]);

        RandomOps.Uniform(d, y.View, seed: 123, stream: 0);
        var u = Download(y);
        Assert.All(u, v => Assert.InRange(v, 0f, 0.99999995f));
        double mean = u.Average(v => (double)v), variance = u.Average(v => (v - mean) * (v - mean));
        Assert.Equal(0.5, mean, 0.005);
        Assert.Equal(1.0 / 12, variance, 0.002);

        RandomOps.Normal(d, y.View, seed: 123, stream: 1);
        var z = Download(y);
        mean = z.Average(v => (double)v);
        double std = Math.Sqrt(z.Average(v => (v - mean) * (v - mean)));
        Assert.Equal(0.0, mean, 0.016);
        Assert.Equal(1.0, std, 0.012);
        Assert.True(z.Count(v => Math.Abs(v) > 3) is > 150 and < 400, "tail mass beyond 3 sigma should be ~0.27%");
    }
}
