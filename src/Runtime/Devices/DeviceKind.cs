namespace GpuTrain.Runtime.Devices;

/// <summary>The accelerator families GpuTrain can run on.</summary>
public enum DeviceKind
{
    /// <summary>An NVIDIA GPU through ILGPU's CUDA backend.</summary>
    Cuda,
    /// <summary>An OpenCL device (GPUs only are picked by "auto").</summary>
    OpenCL,
    /// <summary>ILGPU's CPU accelerator: a correctness emulator whose buffers are host memory.</summary>
    Cpu,
}
