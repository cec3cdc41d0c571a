using System.Runtime.Intrinsics;
using GpuTrain.Runtime.Host;

namespace GpuTrain.Runtime.Tests.Devices;

/// <summary>The host paths' SIMD exp of non-positive arguments (<see cref="HostExp"/>) against float64.</summary>
public sealed class HostExpTests
{
    [Fact]
    public void BothWidthsAreWithinTwoUlpsOfFloat64AndZeroBelowTheNormalFloats()
    {
        var random = new Random(3);
        var x = Enumerable.Range(0, 4096).Select(i => i < 2048 ? -random.NextSingle() * 88 : -random.NextSingle() * 2).ToArray();
        x[0] = 0f;
        x[1] = -1e-9f;
        x[2] = -87.3f;
        x[3] = -87.5f;
        x[4] = -1e4f;
        x[5] = float.NegativeInfinity;
        // Both widths (a host path takes the widest the processor runs), against float64 element by element.
        var wide = new float[x.Length];
        var narrow = new float[x.Length];
        for (int i = 0; i < x.Length; i += Vector512<float>.Count) HostExp.NonPositive(Vector512.Create(x, i)).CopyTo(wide, i);
        for (int i = 0; i < x.Length; i += Vector256<float>.Count) HostExp.NonPositive(Vector256.Create(x, i)).CopyTo(narrow, i);
        for (int i = 0; i < x.Length; i++)
        {
            double expected = Math.Exp(x[i]);
            foreach (float e in new[] { wide[i], narrow[i] })
                if (expected < 1.17549435e-38) Assert.Equal(0f, e); // below the normal floats
                else
                    Assert.True(Math.Abs(e - expected) <= 2 * (MathF.BitIncrement((float)expected) - (float)expected),
                        $"exp({x[i]:R}) is {e:R}, float64 says {expected:R}");
        }
        Assert.Equal(1f, HostExp.NonPositive(Vector256<float>.Zero)[0]);
        Assert.Equal(1f, HostExp.NonPositive(Vector512<float>.Zero)[0]);
    }
}
