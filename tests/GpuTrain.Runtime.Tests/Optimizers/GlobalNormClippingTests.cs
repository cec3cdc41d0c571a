using GpuTrain.Runtime.Optimizers;
using ILGPU.Runtime;
using GpuTrain.TestSupport;

namespace GpuTrain.Runtime.Tests.Optimizers;

[Trait("Category", TestDevice.Category)]
public sealed class GlobalNormClippingTests
{
    [DeviceFact]
    public void ScalesByClipOverNormWhenAbove()
    {
        using var f = new OptimizerFixture();
        float[] g = f.UploadGradients(1);
        double norm = Math.Sqrt(g.Sum(x => (double)x * x));
        float clip = (float)(norm / 3);
        using var clipping = new GlobalNormClipping(f.Device, clip);
        float reported = clipping.Apply(f.Gradients);
        Assert.Equal(norm, reported, norm * 1e-6);
        float scale = clip / MathF.Max(reported, clip);
        OptimizerFixture.AssertClose(g.Select(x => x * scale).ToArray(), f.Values(f.Gradients));
        Assert.Equal(clip, clipping.GlobalNorm(f.Gradients.View), clip * 1e-5);
    }

    [DeviceFact]
    public void LeavesGradientsUnchangedWhenBelow()
    {
        using var f = new OptimizerFixture();
        float[] g = f.UploadGradients(2);
        double norm = Math.Sqrt(g.Sum(x => (double)x * x));
        using var clipping = new GlobalNormClipping(f.Device, (float)(norm * 2));
        Assert.Equal(norm, clipping.Apply(f.Gradients), norm * 1e-6);
        Assert.Equal(g, f.Values(f.Gradients));
    }

    [DeviceFact]
    public void NormOfALongVectorIsDeterministicAndAccurate()
    {
        using var f = new OptimizerFixture();
        var values = Enumerable.Range(0, 100_003).Select(i => MathF.Sin(i) * 0.01f).ToArray();
        using var buffer = f.Device.Accelerator.Allocate1D(values);
        using var clipping = new GlobalNormClipping(f.Device, 1f);
        double expected = Math.Sqrt(values.Sum(x => (double)x * x));
        float first = clipping.GlobalNorm(buffer.View);
        Assert.Equal(expected, first, expected * 1e-6);
        Assert.Equal(first, clipping.GlobalNorm(buffer.View));
    }
}
