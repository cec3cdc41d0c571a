using GpuTrain.Runtime.Layers;
using GpuTrain.TestSupport;

namespace GpuTrain.Runtime.Tests.Layers;

[Trait("Category", TestDevice.Category)]
public sealed class LayerGradientTests(TestDeviceFixture device) : IClassFixture<TestDeviceFixture>
{
    private readonly TestDeviceFixture _device = device;

    [DeviceFact]
    public void DenseBackwardMatchesFiniteDifferences() =>
        GradientCheck.Run(_device.Device, [2, 3], batch: 2, new Dense(4), GradientCheck.DistinctInputs(12, 1));

    [DeviceTheory]
    [InlineData(3, 1, Padding.Same)]
    [InlineData(3, 2, Padding.Same)]
    [InlineData(2, 2, Padding.Valid)]
    [InlineData(4, 1, Padding.Same)]
    public void Conv2DBackwardMatchesFiniteDifferences(int kernel, int stride, Padding padding) =>
        GradientCheck.Run(_device.Device, [5, 4, 2], batch: 2, new Conv2D(3, kernel, padding, stride), GradientCheck.DistinctInputs(80, 2));

    [DeviceTheory]
    [InlineData(2, 2, Padding.Same)]
    [InlineData(3, 2, Padding.Same)]
    [InlineData(2, 1, Padding.Valid)]
    public void MaxPoolBackwardMatchesFiniteDifferences(int size, int stride, Padding padding) =>
        GradientCheck.Run(_device.Device, [5, 4, 2], batch: 2, new MaxPool2D(size, stride, padding), GradientCheck.DistinctInputs(80, 3));

    [DeviceFact]
    public void ReluBackwardMatchesFiniteDifferences() =>
        GradientCheck.Run(_device.Device, [3, 4], batch: 2, new ReLU(), GradientCheck.DistinctInputs(24, 4));

    [DeviceFact]
    public void DropoutBackwardMatchesFiniteDifferences() =>
        GradientCheck.Run(_device.Device, [40], batch: 2, new Dropout(0.5f), GradientCheck.DistinctInputs(80, 5));

    [DeviceFact]
    public void FlattenBackwardMatchesFiniteDifferences() =>
        GradientCheck.Run(_device.Device, [2, 2, 3], batch: 2, new Flatten(), GradientCheck.DistinctInputs(24, 6));
}
