using GpuTrain.Runtime.Devices;
using GpuTrain.Runtime.Initializers;
using GpuTrain.Runtime.Layers;
using GpuTrain.Runtime.Models;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Tests.Devices;

/// <summary>
/// The host SIMD paths (im2col/col2im, max pooling, bias, ReLU, a dense layer) against ILGPU's emulator running
/// the kernels, over geometries that exercise every edge: SAME and VALID padding, strides that
/// skip pixels, overlapping pooling windows, and channel counts that are not a multiple of the
/// SIMD width, and a convolution large enough for the host path to cut it into blocks of im2col rows
/// run in parallel, and patches wider than the GEMM's K slice, whose im2col blocks the host path packs
/// straight from the image. Forward outputs, input gradients and parameter gradients must agree bit for bit.
/// </summary>
public sealed class HostPathTests
{
    public static TheoryData<int, int, int, int, int, int, int, int> Geometries => new()
    {
        // height, width, channels, filters, kernel, stride, pool, pool stride
        { 9, 7, 1, 3, 5, 1, 2, 2 },
        { 8, 8, 5, 4, 3, 2, 3, 1 },
        { 13, 16, 11, 9, 4, 3, 3, 2 },
        { 6, 6, 16, 17, 1, 1, 2, 1 },
        // Several blocks of 256 im2col rows, split over the workers (the host convolution's blocking).
        { 20, 21, 8, 40, 5, 1, 2, 2 },
        // Patches wider than one Kc slice of 256: slices that cut a window position mid-channel (12
        // channels) and the Deep MNIST conv2's 32 channels and 64 filters, packed from the image.
        { 10, 9, 12, 20, 5, 1, 2, 2 },
        { 7, 7, 32, 64, 5, 1, 2, 2 },
        // The Deep MNIST conv1: a narrow patch whose kept column matrix spans 10 Kc slices of pixels,
        // summed per slice on the cores and then added in order.
        { 28, 28, 1, 32, 5, 1, 2, 2 },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void HostPathsMatchTheEmulatedKernels(int height, int width, int channels, int filters, int kernel, int stride, int pool, int poolStride)
    {
        foreach (var padding in new[] { Padding.Same, Padding.Valid })
        {
            var host = ForwardBackward(CpuKernelExecution.HostThreads, padding, height, width, channels, filters, kernel, stride, pool, poolStride);
            var emulated = ForwardBackward(CpuKernelExecution.Emulator, padding, height, width, channels, filters, kernel, stride, pool, poolStride);
            Assert.Equal(emulated.Output, host.Output);
            Assert.Equal(emulated.InputGrad, host.InputGrad);
            Assert.Equal(emulated.Gradients, host.Gradients);
            Assert.Equal(emulated.Gradients, host.GradientsWithoutInputGrad);
            Assert.Contains(host.InputGrad, g => g != 0f);
        }
    }

    [Fact]
    public void DenseHostPathsMatchTheEmulatedKernels()
    {
        // 300 inputs span two K slices of the GEMM; 2500 units give the bias gradient several bands of
        // columns on the cores. The host run starts from the trainer's deferred clear over stale
        // gradients (its GEMM overwrites the kernel gradient), the emulated one from an eager clear.
        var host = DenseForwardBackward(CpuKernelExecution.HostThreads);
        var emulated = DenseForwardBackward(CpuKernelExecution.Emulator);
        Assert.Equal(emulated.Output, host.Output);
        Assert.Equal(emulated.InputGrad, host.InputGrad);
        Assert.Equal(emulated.Gradients, host.Gradients);
        Assert.Contains(host.Gradients, g => g != 0f);
    }

    private static (float[] Output, float[] InputGrad, float[] Gradients) DenseForwardBackward(CpuKernelExecution execution)
    {
        using var device = Device.Open("cpu", execution);
        using var model = new Sequential(device, [300], seed: 7, new Dense(2500, biasInitializer: new RandomUniform(-1f, 1f)));
        model.Plan(40);
        var random = new Random(17);
        model.Input.CopyFromCPU(Enumerable.Range(0, (int)model.Input.Length).Select(_ => random.NextSingle() * 2 - 1).ToArray());
        model.OutputGrad.CopyFromCPU(Enumerable.Range(0, (int)model.OutputGrad.Length).Select(_ => random.NextSingle() - 0.5f).ToArray());
        model.Gradients.View.CopyFromCPU(Enumerable.Repeat(float.NaN, (int)model.Gradients.Layout.TotalSize).ToArray());
        if (execution == CpuKernelExecution.HostThreads) model.Gradients.ClearDeferred();
        else model.Gradients.Clear();
        var pass = new PassContext(Training: true, Seed: 1, Step: 0);
        model.Forward(pass);
        model.Backward(pass, inputGradient: true);
        return (Download(model.Output), Download(model.InputGrad), model.Gradients.DownloadAll());
    }

    // GradientsWithoutInputGrad: a second backward pass with no input gradient wanted, where the host
    // convolution takes the pool's gradient straight into its parameter gradients.
    private static (float[] Output, float[] InputGrad, float[] Gradients, float[] GradientsWithoutInputGrad) ForwardBackward(CpuKernelExecution execution,
        Padding padding, int height, int width, int channels, int filters, int kernel, int stride, int pool, int poolStride)
    {
        using var device = Device.Open("cpu", execution);
        using var model = new Sequential(device, [height, width, channels], seed: 5,
            new Conv2D(filters, kernel, padding, stride), new ReLU(), new MaxPool2D(pool, poolStride, padding));
        const int batch = 3;
        model.Plan(batch);
        var random = new Random(height * 131 + channels);
        model.Input.CopyFromCPU(Enumerable.Range(0, (int)model.Input.Length).Select(_ => random.NextSingle() * 2 - 1).ToArray());
        model.OutputGrad.CopyFromCPU(Enumerable.Range(0, (int)model.OutputGrad.Length).Select(_ => random.NextSingle() - 0.5f).ToArray());
        model.Gradients.Clear();
        var pass = new PassContext(Training: true, Seed: 1, Step: 0);
        model.Forward(pass);
        model.Backward(pass, inputGradient: true);
        var gradients = model.Gradients.DownloadAll();
        model.Gradients.Clear();
        model.Backward(pass);
        return (Download(model.Output), Download(model.InputGrad), gradients, model.Gradients.DownloadAll());
    }

    private static float[] Download(ILGPU.ArrayView<float> view)
    {
        var values = new float[view.Length];
        view.CopyToCPU(values);
        return values;
    }
}
