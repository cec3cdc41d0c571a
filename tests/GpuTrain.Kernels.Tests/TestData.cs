using ILGPU;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Kernels.Tests;

/// <summary>Inputs and device round trips shared by the kernel tests.</summary>
internal static class TestData
{
    /// <summary>Lengths including ones that divide no group size (1, 7, 33, 4097).</summary>
    public static TheoryData<int> Lengths => new() { 1, 7, 33, 1000, 4097 };

    /// <summary>Reproducible values in [-scale, scale).</summary>
    public static float[] Values(int n, int seed, float scale = 3f)
    {
        var rng = new System.Random(seed);
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)(rng.NextDouble() * 2 - 1) * scale;
        return v;
    }

    public static MemoryBuffer1D<T, Stride1D.Dense> Upload<T>(Device device, T[] data) where T : unmanaged =>
        device.Accelerator.Allocate1D(data);

    public static T[] Download<T>(MemoryBuffer1D<T, Stride1D.Dense> buffer) where T : unmanaged =>
        buffer.GetAsArray1D();

    /// <summary>Asserts |expected - actual| &lt;= tol * (1 + |expected|) element by element.</summary>
    public static void AssertClose(float[] expected, float[] actual, float tol)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            float err = MathF.Abs(expected[i] - actual[i]);
            Assert.True(err <= tol * (1 + MathF.Abs(expected[i])),
                $"element {i}: expected {expected[i]}, got {actual[i]} (tolerance {tol})");
        }
    }
}
