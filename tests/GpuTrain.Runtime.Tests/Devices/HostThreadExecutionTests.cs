using GpuTrain.Runtime.Devices;
using GpuTrain.Runtime.Layers;
using GpuTrain.Runtime.Losses;
using GpuTrain.Runtime.Models;
using GpuTrain.Runtime.Optimizers;
using GpuTrain.Runtime.Training;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Tests.Devices;

/// <summary>
/// Running kernels on host threads must change nothing but the speed: every layer, the loss and
/// the optimizer give the same numbers as ILGPU's CPU emulator running the same kernels (equal to
/// rounding: the host softmax's vectorized exp rounds differently; HostPathTests and
/// HostSoftmaxAndSgdTests hold every other host path to the bit).
/// </summary>
public sealed class HostThreadExecutionTests
{
    private static Sequential Model(Device device) => new(device, inputShape: [12, 12, 2], seed: 11,
        new Conv2D(3, 3, Padding.Same), new ReLU(), new MaxPool2D(2),
        new Conv2D(4, 3, Padding.Valid, stride: 2), new ReLU(),
        new Flatten(), new Dense(7), new ReLU(), new Dropout(0.5f), new Dense(5));

    private static (float[] Parameters, float[] AdamSlots, float[] Losses) Train(CpuKernelExecution execution)
    {
        using var device = Device.Open("cpu", execution);
        Assert.Equal(execution == CpuKernelExecution.HostThreads, device.RunsKernelsOnHost);
        using var model = Model(device);
        using var adam = new Adam(1e-2f);
        using var trainer = new Trainer(model, new SoftmaxCrossEntropy(), adam, seed: 4);
        var random = new Random(3);
        const int batch = 6;
        var images = Enumerable.Range(0, batch * 288).Select(_ => random.NextSingle() * 2 - 1).ToArray();
        var labels = Enumerable.Range(0, batch).Select(i => i % 5).ToArray();
        var losses = Enumerable.Range(0, 3).Select(_ => trainer.Step(images, labels)).ToArray();
        var slots = adam.Variables.SelectMany(v => v.Arena.Download(v.Slice)).ToArray();
        return (model.Parameters.DownloadAll(), slots, losses);
    }

    [Fact]
    public void ThreeTrainingStepsMatchTheEmulator()
    {
        var host = Train(CpuKernelExecution.HostThreads);
        var emulated = Train(CpuKernelExecution.Emulator);
        Assert.Equal(emulated.Losses, host.Losses, (a, b) => Math.Abs(a - b) <= 1e-5f * Math.Abs(a));
        Assert.Equal(emulated.Parameters, host.Parameters, (a, b) => Math.Abs(a - b) <= 1e-5f);
        Assert.Equal(emulated.AdamSlots, host.AdamSlots, (a, b) => Math.Abs(a - b) <= 1e-5f);
        Assert.True(host.Losses[2] < host.Losses[0], $"loss {host.Losses[0]} -> {host.Losses[2]}");
    }
}
