using GpuTrain.Runtime.Initializers;
using GpuTrain.Runtime.Layers;
using GpuTrain.Runtime.Models;
using GpuTrain.Runtime.Tensors;
using GpuTrain.TestSupport;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Tests.Models;

/// <summary>
/// Several graphs over one parameter arena: tensors declared by stand-alone blocks, initialized as
/// declared, and layers planned for different batch shapes that read the same weights and accumulate
/// into the same gradients; a block that does not match the held tensors is refused by name.
/// </summary>
[Trait("Category", TestDevice.Category)]
public sealed class SharedParametersTests(TestDeviceFixture fixture) : IClassFixture<TestDeviceFixture>
{
    private readonly Device _device = fixture.Device;

    private static Dense Block() => new(2, new RandomUniform(-1f, 1f), new Constant(0.5f), name: "out");

    [DeviceFact]
    public void GraphsOfDifferentShapesShareTheWeightsAndTheGradients()
    {
        using var weights = new SharedParameters(_device, SharedParameters.Declare(Block(), 3), seed: 9, initializerStream: 1);
        Assert.Equal(["out/kernel", "out/bias"], weights.Tensors.Select(t => t.Name));
        Assert.Equal(new Shape(3, 2), weights.Parameters["out/kernel"].Shape);
        Assert.All(weights.Parameters.Download(weights.Parameters["out/bias"]), b => Assert.Equal(0.5f, b));
        float[] kernel = weights.Parameters.Download(weights.Parameters["out/kernel"]);
        Assert.All(kernel, v => Assert.InRange(v, -1f, 1f));
        Assert.Equal(6, kernel.Distinct().Count());

        var wide = weights.Plan(Block(), [3], rows: 4);
        var single = weights.Plan(Block(), [3], rows: 1);
        var pass = new PassContext(Training: true, Seed: 0, Step: 0);
        float[] x = [1, 2, 3];
        using var x4 = _device.Accelerator.Allocate1D(x.Concat(x).Concat(x).Concat(x).ToArray());
        using var x1 = _device.Accelerator.Allocate1D(x);
        using var y4 = _device.Accelerator.Allocate1D<float>(8);
        using var y1 = _device.Accelerator.Allocate1D<float>(2);
        wide.Forward(pass, x4.View, y4.View);
        single.Forward(pass, x1.View, y1.View);
        float[] expected = [.. Enumerable.Range(0, 2).Select(j => 0.5f + x[0] * kernel[j] + x[1] * kernel[2 + j] + x[2] * kernel[4 + j])];
        Assert.Equal(expected, y1.GetAsArray1D(), (a, b) => Math.Abs(a - b) <= 1e-5f);
        Assert.Equal(expected.Concat(expected).Concat(expected).Concat(expected), y4.GetAsArray1D());

        // Both graphs accumulate into the one gradient arena: 4 rows + 1 row of dY = 1 give a bias gradient of 5.
        using var ones4 = _device.Accelerator.Allocate1D(Enumerable.Repeat(1f, 8).ToArray());
        using var ones1 = _device.Accelerator.Allocate1D(Enumerable.Repeat(1f, 2).ToArray());
        weights.Gradients.Clear();
        wide.Backward(pass, x4.View, y4.View, ones4.View, default);
        single.Backward(pass, x1.View, y1.View, ones1.View, default);
        Assert.Equal([5f, 5f], weights.Gradients.Download(weights.Gradients["out/bias"]));
        float[] eagerKernel = weights.Gradients.Download(weights.Gradients["out/kernel"]);
        Assert.Equal([5f, 5f, 10f, 10f, 15f, 15f], eagerKernel);

        // The trainer's deferred clear over stale gradients: the first graph overwrites, the second adds.
        weights.Gradients.View.CopyFromCPU(Enumerable.Repeat(float.NaN, (int)weights.Gradients.Layout.TotalSize).ToArray());
        weights.Gradients.ClearDeferred();
        wide.Backward(pass, x4.View, y4.View, ones4.View, default);
        single.Backward(pass, x1.View, y1.View, ones1.View, default);
        Assert.Equal([5f, 5f], weights.Gradients.Download(weights.Gradients["out/bias"]));
        Assert.Equal(eagerKernel, weights.Gradients.Download(weights.Gradients["out/kernel"]));
    }

    [DeviceFact]
    public void ALayerTheParametersDoNotHoldIsRefusedByName()
    {
        using var weights = new SharedParameters(_device, SharedParameters.Declare(Block(), 3), seed: 9, initializerStream: 1);
        var wrongInput = Assert.Throws<ArgumentException>(() => weights.Plan(Block(), [4], rows: 2));
        Assert.Contains("'out/kernel' [4, 2]", wrongInput.Message);
        Assert.Contains("they hold [3, 2]", wrongInput.Message);
        var other = Assert.Throws<ArgumentException>(() => weights.Plan(new Dense(2, name: "other"), [3], rows: 2));
        Assert.Contains("'other/kernel'", other.Message);
        Assert.Equal("rows", Assert.Throws<ArgumentException>(() => weights.Plan(Block(), [3], rows: 0)).ParamName);
        var duplicate = Assert.Throws<ArgumentException>(() =>
            new SharedParameters(_device, SharedParameters.Declare(Block(), 3).Concat(SharedParameters.Declare(Block(), 3)), seed: 1, initializerStream: 1));
        Assert.Contains("'out/kernel'", duplicate.Message);
    }

    [DeviceFact]
    public void ADropoutSiteKeyedByNumberKeepsItsKeepProbabilityExactly()
    {
        using var weights = new SharedParameters(_device, SharedParameters.Declare(Block(), 3), seed: 9, initializerStream: 1);
        var a = weights.Plan(Dropout.Keeping(0.35f, "a", maskKey: 1UL << 48), [1000], rows: 2);
        var b = weights.Plan(Dropout.Keeping(0.35f, "b", maskKey: 1UL << 48), [1000], rows: 2);
        var c = weights.Plan(Dropout.Keeping(0.35f, "c", maskKey: 2UL << 48), [1000], rows: 2);
        Assert.Equal(0.35f, a.KeepProb);
        var pass = new PassContext(Training: true, Seed: 3, Step: 7);
        using var x = _device.Accelerator.Allocate1D(Enumerable.Repeat(1f, 2000).ToArray());
        float[] Mask(Dropout d)
        {
            using var y = _device.Accelerator.Allocate1D<float>(2000);
            d.Forward(pass, x.View, y.View);
            return y.GetAsArray1D();
        }
        Assert.Equal(Mask(a), Mask(b)); // the key, not the name, keys the masks
        Assert.NotEqual(Mask(a), Mask(c));
        Assert.InRange(Mask(a).Count(v => v != 0f), 600, 800);
        Assert.Equal("keepProb", Assert.Throws<ArgumentException>(() => Dropout.Keeping(0f)).ParamName);
    }
}
