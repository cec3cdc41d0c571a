using System.Collections.Concurrent;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;

namespace GpuTrain.Runtime.Devices;

/// <summary>
/// One opened accelerator: the ILGPU context and accelerator, and the cache of kernels loaded on it.
/// Kernels are compiled once per device and reused (ILGPU compiles on first load, which costs
/// milliseconds to seconds); the training loop never loads a kernel.
/// </summary>
public sealed class Device : IDisposable
{
    private readonly Context _context;
    private readonly ConcurrentDictionary<object, object> _kernels = new();

    private Device(Context context, Accelerator accelerator, DeviceInfo info, CpuKernelExecution cpuExecution)
    {
        _context = context;
        Accelerator = accelerator;
        Info = info;
        RunsKernelsOnHost = info.Kind == DeviceKind.Cpu && cpuExecution == CpuKernelExecution.HostThreads;
    }

    /// <summary>The ILGPU accelerator kernels run on.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>What the device is, as listed by <c>gputrain devices</c>.</summary>
    public DeviceInfo Info { get; }

    /// <summary>The accelerator family.</summary>
    public DeviceKind Kind => Info.Kind;

    /// <summary>
    /// True on a CPU accelerator opened with <see cref="CpuKernelExecution.HostThreads"/>: 1-D kernels
    /// are called directly on host threads over contiguous ranges instead of through ILGPU's emulator.
    /// </summary>
    public bool RunsKernelsOnHost { get; }

    /// <summary>
    /// Opens the device named by <paramref name="spec"/>: auto (CUDA, else an OpenCL GPU, else CPU),
    /// cuda, opencl, cpu, or an id from <c>gputrain devices</c>.
    /// </summary>
    /// <param name="spec">auto, cuda, opencl, cpu, or an id such as cuda:1.</param>
    /// <param name="cpuExecution">How kernels run if the device is the CPU accelerator (ignored otherwise).</param>
    /// <exception cref="DeviceNotFoundException">No device matches; the message lists what exists.</exception>
    public static Device Open(string spec = "auto", CpuKernelExecution cpuExecution = CpuKernelExecution.HostThreads)
    {
        var context = DeviceCatalog.CreateContext();
        try
        {
            var (info, device) = DeviceCatalog.Resolve(context, spec);
            return new Device(context, device.CreateAccelerator(context), info, cpuExecution);
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens a CPU accelerator with a custom thread layout (used to exercise group-heavy kernels,
    /// such as the tiled GEMM, with groups larger than the default CPU device allows). Kernels run in
    /// ILGPU's emulator, since exercising its group machinery is the point.
    /// </summary>
    public static Device OpenCpu(int threadsPerWarp, int warpsPerMultiprocessor, int multiprocessors)
    {
        var cpu = new CPUDevice(threadsPerWarp, warpsPerMultiprocessor, multiprocessors);
        var context = Context.Create(b => b.CPU(cpu).EnableAlgorithms());
        var accelerator = context.GetCPUDevice(0).CreateAccelerator(context);
        var info = new DeviceInfo("cpu", DeviceKind.Cpu, accelerator.Name, accelerator.MemorySize,
            accelerator.WarpSize, accelerator.MaxNumThreadsPerGroup, IsGpu: false);
        return new Device(context, accelerator, info, CpuKernelExecution.Emulator);
    }

    /// <summary>
    /// Returns the kernel stored under <paramref name="key"/>, loading it with <paramref name="load"/>
    /// the first time. Use the kernel method itself (a delegate or MethodInfo) as the key. When the
    /// device <see cref="RunsKernelsOnHost"/> and the kernel is an implicitly grouped 1-D kernel, the
    /// launcher calls the kernel method on host threads instead and <paramref name="load"/> is not used.
    /// </summary>
    public TKernel Kernel<TKernel>(object key, Func<Accelerator, TKernel> load) where TKernel : class =>
        (TKernel)_kernels.GetOrAdd(key, _ =>
            (RunsKernelsOnHost ? HostKernelCompiler.TryCompile<TKernel>(key) : null) ?? load(Accelerator));

    /// <summary>Waits for every launch and copy queued on the default stream.</summary>
    public void Synchronize() => Accelerator.Synchronize();

    /// <inheritdoc />
    public void Dispose()
    {
        Accelerator.Dispose();
        _context.Dispose();
    }
}
