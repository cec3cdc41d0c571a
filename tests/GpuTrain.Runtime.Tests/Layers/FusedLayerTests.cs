using GpuTrain.Runtime.Layers;
using GpuTrain.Runtime.Models;
using GpuTrain.TestSupport;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Tests.Layers;

/// <summary>
/// A model runs a ReLU after a convolution in place, applied by the convolution and differentiated by
/// the max pool after it, and a Flatten as a view: the results must be those of the same layers run
/// one model each (every layer in its own buffers, nothing fused), bit for bit.
/// </summary>
[Trait("Category", TestDevice.Category)]
public sealed class FusedLayerTests(TestDeviceFixture fixture) : IClassFixture<TestDeviceFixture>
{
    private readonly Device _device = fixture.Device;

    [DeviceTheory]
    // Windows that tile the input (the CNN's 2x2 pools), and overlapping ones (3x3, stride 1); 10
    // channels take both the SIMD lanes and the scalar tail of the host paths.
    [InlineData(2, 2, Padding.Same)]
    [InlineData(3, 1, Padding.Valid)]
    public void FusedLayersMatchTheLayersRunApart(int pool, int poolStride, Padding padding)
    {
        int[] shape = [9, 8, 3];
        Layer[] Layers() => [new Conv2D(10, 3, Padding.Same), new ReLU(), new MaxPool2D(pool, poolStride, padding), new Flatten(), new Dense(5)];
        const int batch = 4;
        var random = new Random(23);
        // Inputs and biases of both signs, so that the ReLU zeroes a good share of the convolution's outputs.
        float[] input = Enumerable.Range(0, batch * 9 * 8 * 3).Select(_ => random.NextSingle() * 2 - 1).ToArray();

        using var fused = new Sequential(_device, shape, seed: 4, Layers());
        fused.Plan(batch);
        Assert.True(fused.Layers[1].InPlace);
        Assert.True(fused.Layers[3].InPlace);
        var apart = Layers().Select((layer, i) => new Sequential(_device, i == 0 ? shape : [.. fused.Layers[i - 1].OutputShape.Dims], seed: 4, layer)).ToArray();
        try
        {
            // Each model of one layer draws its parameters as the whole model's first layer; give the dense layer the fused model's.
            fused.Parameters.View.SubView(fused.Parameters["dense1/kernel"].Offset, apart[4].Parameters.View.Length).CopyTo(apart[4].Parameters.View);
            foreach (var model in apart) model.Plan(batch);
            float[] outputGrad = Enumerable.Range(0, batch * 5).Select(_ => random.NextSingle() - 0.5f).ToArray();
            var pass = new PassContext(Training: true, Seed: 1, Step: 0);

            fused.Input.CopyFromCPU(input);
            fused.Forward(pass);
            fused.OutputGrad.CopyFromCPU(outputGrad);
            fused.Gradients.Clear();
            fused.Backward(pass, inputGradient: true);

            apart[0].Input.CopyFromCPU(input);
            for (int i = 0; i < apart.Length; i++)
            {
                if (i > 0) apart[i - 1].Output.CopyTo(apart[i].Input);
                apart[i].Forward(pass);
            }
            apart[^1].OutputGrad.CopyFromCPU(outputGrad);
            for (int i = apart.Length - 1; i >= 0; i--)
            {
                if (i < apart.Length - 1) apart[i + 1].InputGrad.CopyTo(apart[i].OutputGrad);
                apart[i].Gradients.Clear();
                apart[i].Backward(pass, inputGradient: true);
            }

            Assert.Equal(Download(apart[^1].Output), Download(fused.Output));
            Assert.Equal(Download(apart[0].InputGrad), Download(fused.InputGrad));
            Assert.Equal(apart[0].Gradients.DownloadAll().Concat(apart[4].Gradients.DownloadAll()), fused.Gradients.DownloadAll());
            // Without an input gradient the convolution (kept columns) takes the pool's gradient straight into its own.
            fused.Gradients.Clear();
            fused.Backward(pass);
            Assert.Equal(apart[0].Gradients.DownloadAll().Concat(apart[4].Gradients.DownloadAll()), fused.Gradients.DownloadAll());
            float[] relu = Download(apart[1].Output);
            Assert.Contains(relu, v => v == 0f);
            Assert.Contains(relu, v => v > 0f);
        }
        finally
        {
            foreach (var model in apart) model.Dispose();
        }
    }

    private static float[] Download(ILGPU.ArrayView<float> view)
    {
        var values = new float[view.Length];
        view.CopyToCPU(values);
        return values;
    }
}
