using GpuTrain.Runtime.Ops;
using GpuTrain.TestSupport;
using static GpuTrain.Kernels.Tests.TestData;

namespace GpuTrain.Kernels.Tests;

/// <summary>Activations and their TF-style gradients against host math (relative tolerance 1e-5).</summary>
[Collection(DeviceCollection.Name)]
[Trait("Category", TestDevice.Category)]
public sealed class ActivationsTests(KernelTestDevice device)
{
    private const float Tol = 1e-5f;

    [DeviceTheory]
    [MemberData(nameof(Lengths), MemberType = typeof(TestData))]
    public void ForwardAndGradientsMatchHost(int n)
    {
        var d = device.Device;
        float[] x = Values(n, 10, scale: 8f), dy = Values(n, 11);
        using var dx = Upload(d, x);
        using var ddy = Upload(d, dy);
        using var y = Upload(d, new float[n]);
        using var g = Upload(d, new float[n]);

        ActivationOps.Relu(d, dx.View, y.View);
        Assert.Equal(HostReference.Map(x, v => MathF.Max(v, 0)), Download(y));
        ActivationOps.ReluGrad(d, dx.View, ddy.View, g.View);
        Assert.Equal(HostReference.Zip(x, dy, (v, gy) => v > 0 ? gy : 0), Download(g));

        ActivationOps.Sigmoid(d, dx.View, y.View);
        var s = Download(y);
        AssertClose(HostReference.Map(x, HostReference.Sigmoid), s, Tol);
        ActivationOps.SigmoidGrad(d, y.View, ddy.View, g.View);
        AssertClose(HostReference.Zip(s, dy, (v, gy) => gy * v * (1 - v)), Download(g), Tol);

        ActivationOps.Tanh(d, dx.View, y.View);
        var t = Download(y);
        AssertClose(HostReference.Map(x, v => (float)Math.Tanh(v)), t, Tol);
        ActivationOps.TanhGrad(d, y.View, ddy.View, g.View);
        AssertClose(HostReference.Zip(t, dy, (v, gy) => gy * (1 - v * v)), Download(g), Tol);
    }

    [DeviceFact]
    public void SigmoidSaturatesWithoutNaN()
    {
        var d = device.Device;
        using var x = Upload(d, new[] { -1e4f, -100f, 0f, 100f, 1e4f });
        using var y = Upload(d, new float[5]);
        ActivationOps.Sigmoid(d, x.View, y.View);
        Assert.Equal(new[] { 0f, 0f, 0.5f, 1f, 1f }, Download(y), new ToleranceComparer(1e-30f));
    }

    private sealed class ToleranceComparer(float tol) : IEqualityComparer<float>
    {
        public bool Equals(float a, float b) => MathF.Abs(a - b) <= tol;
        public int GetHashCode(float v) => 0;
    }
}
