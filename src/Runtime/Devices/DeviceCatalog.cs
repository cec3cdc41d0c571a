using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;

namespace GpuTrain.Runtime.Devices;

/// <summary>
/// Enumerates what ILGPU sees and resolves a <c>--device</c> specification to one ILGPU device.
/// ILGPU's own Context.GetPreferredDevice is not used: without a GPU it silently hands back a CPU
/// device, and it may rank an OpenCL runtime on the processor above a CUDA card. The order here is
/// explicit: CUDA, then an OpenCL GPU, then the CPU accelerator.
/// </summary>
public static class DeviceCatalog
{
    /// <summary>The specifications <c>--device</c> accepts besides explicit ids.</summary>
    public static readonly IReadOnlyList<string> Aliases = ["auto", "cuda", "opencl", "cpu"];

    /// <summary>Creates a context with every backend GpuTrain uses (algorithms enabled for cuBLAS and friends).</summary>
    public static Context CreateContext() =>
        Context.Create(b => b.Cuda().OpenCL().CPU().EnableAlgorithms().Optimize(OptimizationLevel.O1));

    /// <summary>Lists every device in <paramref name="context"/> with the id <c>--device</c> takes.</summary>
    public static IReadOnlyList<(DeviceInfo Info, ILGPU.Runtime.Device Device)> Enumerate(Context context)
    {
        var result = new List<(DeviceInfo, ILGPU.Runtime.Device)>();
        int cuda = 0, opencl = 0, cpu = 0;
        foreach (var device in context.Devices)
        {
            switch (device)
            {
                case CudaDevice:
                    result.Add((Info(device, $"cuda:{cuda++}", DeviceKind.Cuda, isGpu: true), device));
                    break;
                case CLDevice cl:
                    bool gpu = cl.DeviceType == CLDeviceType.CL_DEVICE_TYPE_GPU;
                    result.Add((Info(device, $"opencl:{opencl++}", DeviceKind.OpenCL, gpu), device));
                    break;
                case CPUDevice:
                    result.Add((Info(device, cpu++ == 0 ? "cpu" : $"cpu:{cpu - 1}", DeviceKind.Cpu, isGpu: false), device));
                    break;
            }
        }
        return result;
    }

    /// <summary>The id "auto" resolves to: the first CUDA device, else an OpenCL GPU, else the CPU accelerator.</summary>
    public static string AutoId(IReadOnlyList<DeviceInfo> devices) =>
        (devices.FirstOrDefault(d => d.Kind == DeviceKind.Cuda)
         ?? devices.FirstOrDefault(d => d.Kind == DeviceKind.OpenCL && d.IsGpu)
         ?? devices.First(d => d.Kind == DeviceKind.Cpu)).Id;

    /// <summary>Resolves <paramref name="spec"/> (auto, cuda, opencl, cpu or an id such as cuda:1).</summary>
    /// <exception cref="DeviceNotFoundException">No device matches.</exception>
    public static (DeviceInfo Info, ILGPU.Runtime.Device Device) Resolve(Context context, string spec)
    {
        var all = Enumerate(context);
        var infos = all.Select(d => d.Info).ToList();
        string wanted = spec.Trim().ToLowerInvariant();
        if (wanted == "auto") wanted = AutoId(infos);
        var match = all.FirstOrDefault(d =>
            d.Info.Id == wanted ||
            (wanted == "cuda" && d.Info.Kind == DeviceKind.Cuda) ||
            (wanted == "opencl" && d.Info.Kind == DeviceKind.OpenCL) ||
            (wanted == "cpu:0" && d.Info.Id == "cpu"));
        if (match.Device is null) throw new DeviceNotFoundException(spec, infos, nameof(spec));
        return match;
    }

    private static DeviceInfo Info(ILGPU.Runtime.Device d, string id, DeviceKind kind, bool isGpu) =>
        new(id, kind, d.Name, d.MemorySize, d.WarpSize, d.MaxNumThreadsPerGroup, isGpu);
}
