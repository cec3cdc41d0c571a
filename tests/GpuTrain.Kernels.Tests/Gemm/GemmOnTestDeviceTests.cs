using GpuTrain.Runtime.Gemm;
using GpuTrain.TestSupport;
using ILGPU;
using ILGPU.Runtime;

namespace GpuTrain.Kernels.Tests.Gemm;

/// <summary>
/// The test device's GEMM engines against the float64 reference: the tiled ILGPU kernel (OpenCL's
/// engine) and the engine <see cref="GemmEngines.For"/> picks there (cuBLAS on CUDA, the host GEMM on
/// the CPU accelerator), at odd shapes, transposes, padded strides and sub-view offsets.
/// </summary>
[Collection(DeviceCollection.Name)]
[Trait("Category", TestDevice.Category)]
public sealed class GemmOnTestDeviceTests(KernelTestDevice device)
{
    public static TheoryData<bool, bool, bool> EnginesAndTransposes()
    {
        var data = new TheoryData<bool, bool, bool>();
        foreach (bool tiled in new[] { true, false })
        foreach (bool ta in new[] { false, true })
        foreach (bool tb in new[] { false, true })
            data.Add(tiled, ta, tb);
        return data;
    }

    [DeviceTheory]
    [MemberData(nameof(EnginesAndTransposes))]
    public void OddShapesWithAlphaBetaAndPaddedStridesMatchTheReference(bool tiled, bool transA, bool transB)
    {
        using var engine = Engine(tiled);
        foreach (var (m, n, k) in new[] { (1, 1, 1), (7, 13, 5), (33, 65, 17), (70, 45, 130) })
            GemmCheck.AgainstReference(engine, device.Device, engine.Name, transA, transB, m, n, k, alpha: 1.5f, beta: -0.5f, pad: 3);
        GemmCheck.AgainstReference(engine, device.Device, engine.Name, transA, transB, 5, 6, 0, alpha: 2f, beta: 0.25f, pad: 1);
    }

    [DeviceTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void SubViewsAreReadAndWrittenAtTheirOffsets(bool tiled)
    {
        // A = [[1, 2], [3, 4]] and B = I sit at offset 3 of one buffer, C at offset 5 of another (as
        // arena slices do): the kernel must honour the offsets and leave the floats around C alone.
        using var engine = Engine(tiled);
        float[] arena = [9, 9, 9, 1, 2, 3, 4, 1, 0, 0, 1];
        using var input = device.Device.Accelerator.Allocate1D(arena);
        using var output = device.Device.Accelerator.Allocate1D(Enumerable.Repeat(-7f, 11).ToArray());
        ArrayView<float> a = input.View.SubView(3, 4), b = input.View.SubView(7, 4), c = output.View.SubView(5, 4);

        engine.Gemm(false, false, 2, 2, 2, 2f, a, 2, b, 2, 0f, c, 2);
        device.Device.Synchronize();

        Assert.Equal([-7, -7, -7, -7, -7, 2, 4, 6, 8, -7, -7], output.GetAsArray1D());
    }

    private IGemmEngine Engine(bool tiled) => tiled ? new TiledGemmEngine(device.Device) : GemmEngines.For(device.Device);
}
