using GpuTrain.Runtime.Devices;

namespace GpuTrain.Runtime.Gemm;

/// <summary>Picks the GEMM engine that suits each accelerator family.</summary>
public static class GemmEngines
{
    /// <summary>
    /// cuBLAS on CUDA, the tiled ILGPU kernel on OpenCL, and the SIMD host GEMM on the CPU
    /// accelerator (whose buffers are host memory). The caller owns and disposes the engine.
    /// </summary>
    public static IGemmEngine For(Device device) => device.Kind switch
    {
        DeviceKind.Cuda => new CuBlasGemmEngine(device),
        DeviceKind.OpenCL => new TiledGemmEngine(device),
        DeviceKind.Cpu => new HostGemmEngine(device),
        _ => throw new ArgumentException($"No GEMM engine for device kind {device.Kind}.", nameof(device)),
    };
}
