using GpuTrain.Examples.Mnist;
using GpuTrain.Runtime.Layers;
using GpuTrain.Runtime.Models;
using GpuTrain.Runtime.Tensors;
using ILGPU.Runtime;
using GpuTrain.TestSupport;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Tests.Layers;

[Trait("Category", TestDevice.Category)]
public sealed class LayerForwardTests(TestDeviceFixture fixture) : IClassFixture<TestDeviceFixture>
{
    private readonly Device _device = fixture.Device;

    private static float[] Run(Sequential model, float[] input, bool training = false, long step = 0)
    {
        model.Plan(input.Length / (int)model.InputShape.Size);
        model.Input.CopyFromCPU(input);
        model.Forward(new PassContext(training, Seed: 9, step));
        var y = new float[model.Batch * model.OutputShape.Size];
        model.Output.CopyToCPU(y);
        return y;
    }

    private static readonly float[] OneToNine = [1, 2, 3, 4, 5, 6, 7, 8, 9];

    [DeviceFact]
    public void SameConvolutionPadsBottomRightLikeTensorFlow()
    {
        // tf.nn.conv2d(1..9 as [1,3,3,1], ones [2,2,1,1], strides 1, "SAME"): the odd padding row and column go after.
        using var model = new Sequential(_device, [3, 3, 1], new Conv2D(1, 2, Padding.Same));
        model.Parameters.Upload(model.Parameters["conv1/kernel"], [1, 1, 1, 1]);
        model.Parameters.Upload(model.Parameters["conv1/bias"], [0.5f]);
        Assert.Equal(new Shape(3, 3, 1), model.OutputShape);
        Assert.Equal(new float[] { 12, 16, 9, 24, 28, 15, 15, 17, 9 }.Select(v => v + 0.5f), Run(model, OneToNine));
    }

    [DeviceTheory]
    [InlineData(3, 1, Padding.Same, 5, 4)]
    [InlineData(3, 2, Padding.Same, 3, 2)]
    [InlineData(2, 2, Padding.Valid, 2, 2)]
    public void ConvolutionMatchesDirectHostConvolution(int k, int stride, Padding padding, int outH, int outW)
    {
        const int h = 5, w = 4, cin = 2, cout = 3, batch = 2;
        using var model = new Sequential(_device, [h, w, cin], new Conv2D(cout, k, padding, stride));
        Assert.Equal(new Shape(outH, outW, cout), model.OutputShape);
        var rng = new Random(4);
        float[] x = Enumerable.Range(0, batch * h * w * cin).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        float[] kernel = model.Parameters.Download(model.Parameters["conv1/kernel"]);
        float[] bias = [0.1f, -0.2f, 0.3f];
        model.Parameters.Upload(model.Parameters["conv1/bias"], bias);
        float[] y = Run(model, x);

        // TensorFlow's SAME rule: pad_total = max((out - 1) * stride + k - in, 0), the smaller half first.
        int padTop = padding == Padding.Same ? Math.Max((outH - 1) * stride + k - h, 0) / 2 : 0;
        int padLeft = padding == Padding.Same ? Math.Max((outW - 1) * stride + k - w, 0) / 2 : 0;
        for (int n = 0; n < batch; n++)
        for (int oy = 0; oy < outH; oy++)
        for (int ox = 0; ox < outW; ox++)
        for (int co = 0; co < cout; co++)
        {
            double sum = bias[co];
            for (int ky = 0; ky < k; ky++)
            for (int kx = 0; kx < k; kx++)
            for (int ci = 0; ci < cin; ci++)
            {
                int iy = oy * stride + ky - padTop, ix = ox * stride + kx - padLeft;
                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                sum += (double)x[((n * h + iy) * w + ix) * cin + ci] * kernel[((ky * k + kx) * cin + ci) * cout + co];
            }
            Assert.Equal(sum, y[((n * outH + oy) * outW + ox) * cout + co], 1e-5);
        }
    }

    [DeviceFact]
    public void ValidWindowLargerThanTheInputIsRejectedWithTheLayerName()
    {
        var e = Assert.Throws<ArgumentException>(() => new Sequential(_device, [5, 4, 2], new Conv2D(3, 5, Padding.Valid)));
        Assert.Contains("conv1", e.Message);
    }

    [Theory]
    [InlineData(0, 5, 1, "filters")]
    [InlineData(32, 0, 1, "kernelSize")]
    [InlineData(32, 5, -2, "stride")]
    public void Conv2DRejectsANonPositiveSizeNamingTheParameterAndValue(int filters, int kernelSize, int stride, string parameter)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2D(filters, kernelSize, stride: stride));
        Assert.Equal(parameter, e.ParamName);
        Assert.Equal(Math.Min(Math.Min(filters, kernelSize), stride), (int)e.ActualValue!);
    }

    [Theory]
    [InlineData(0, null, "size")]
    [InlineData(2, 0, "stride")]
    public void MaxPool2DRejectsANonPositiveSizeNamingTheParameter(int size, int? stride, string parameter)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new MaxPool2D(size, stride));
        Assert.Equal(parameter, e.ParamName);
        Assert.Equal(0, (int)e.ActualValue!);
    }

    [DeviceFact]
    public void SameMaxPoolIgnoresPaddingLikeTensorFlow()
    {
        using var model = new Sequential(_device, [3, 3, 1], new MaxPool2D(2));
        Assert.Equal(new Shape(2, 2, 1), model.OutputShape);
        Assert.Equal([5f, 6, 8, 9], Run(model, OneToNine));
        Assert.Equal([-1f, -3, -7, -9], Run(model, OneToNine.Select(v => -v).ToArray()));
    }

    [DeviceFact]
    public void DenseComputesXTimesKernelPlusBias()
    {
        using var model = new Sequential(_device, [3], new Dense(2));
        model.Parameters.Upload(model.Parameters["dense1/kernel"], [1, 2, 3, 4, 5, 6]); // [in 3, out 2]
        model.Parameters.Upload(model.Parameters["dense1/bias"], [0.5f, -1]);
        Assert.Equal([1 + 6 + 15 + 0.5f, 2 + 8 + 18 - 1f, -1 + 0.5f, -2 - 1f], Run(model, [1, 2, 3, -1, 0, 0]));
    }

    [DeviceFact]
    public void DropoutKeepsAboutKeepProbScalesSurvivorsAndIsReproducible()
    {
        using var model = new Sequential(_device, [1000], new Dropout(0.5f));
        float[] x = Enumerable.Repeat(1.5f, 2000).ToArray();
        float[] a = Run(model, x, training: true, step: 3);
        Assert.All(a, v => Assert.True(v == 0f || v == 3f));
        Assert.InRange(a.Count(v => v != 0f), 900, 1100);
        Assert.Equal(a, Run(model, x, training: true, step: 3));
        Assert.NotEqual(a, Run(model, x, training: true, step: 4));
        Assert.Equal(x, Run(model, x, training: false));
    }

    [DeviceFact]
    public void LayersAreNamedPerKindWithTensorFlowParameterNames()
    {
        using var model = DeepMnistCnn.Create(_device);
        Assert.Equal(["conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten1", "dense1", "relu3", "dropout1", "dense2"],
            model.Layers.Select(l => l.Name));
        Assert.Equal(
            ["conv1/kernel", "conv1/bias", "conv2/kernel", "conv2/bias", "dense1/kernel", "dense1/bias", "dense2/kernel", "dense2/bias"],
            model.Parameters.Layout.Slices.Select(s => s.Name));
        Assert.Equal(new Shape(5, 5, 32, 64), model.Parameters["conv2/kernel"].Shape);
        Assert.Equal(new Shape(7 * 7 * 64, 1024), model.Parameters["dense1/kernel"].Shape);
        Assert.Equal(new Shape(10), model.OutputShape);
        float[] bias = model.Parameters.Download(model.Parameters["dense1/bias"]);
        Assert.All(bias, b => Assert.Equal(0.1f, b));
        float[] kernel = model.Parameters.Download(model.Parameters["conv1/kernel"]);
        Assert.All(kernel, v => Assert.InRange(v, -0.2f, 0.2f)); // truncated at two standard deviations
    }
}
