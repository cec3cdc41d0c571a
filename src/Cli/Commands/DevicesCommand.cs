using System.CommandLine;
using GpuTrain.Runtime.Devices;

namespace GpuTrain.Cli.Commands;

/// <summary>
/// <c>gputrain devices</c>: one line per device a user picks from, '*' on the one <c>--device</c>
/// (default auto) resolves to. ILGPU's CPU accelerator appears once: ILGPU also offers it as four
/// more devices that emulate GPU thread-group shapes (NVIDIA, AMD, older AMD, Intel), which compute
/// the same results on the same processor and exist to test kernels; they are still accepted as
/// cpu:1 to cpu:4 and named in a note below the list, not listed as choices.
/// </summary>
public static class DevicesCommand
{
    /// <summary>What ILGPU's four extra CPU devices emulate, in ILGPU's order (CPUDevice.All after Default).</summary>
    private static readonly string[] EmulatedShapes = ["NVIDIA", "AMD", "older AMD (GCN)", "Intel"];

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var device = DeviceOption.Create();
        var command = new Command("devices", "List the devices --device picks from; '*' marks the one --device (default auto) picks.")
        {
            device,
        };
        command.SetAction(parse =>
        {
            using var context = DeviceCatalog.CreateContext();
            var infos = DeviceCatalog.Enumerate(context).Select(d => d.Info).ToList();
            string picked = DeviceCatalog.Resolve(context, parse.GetValue(device)!).Info.Id;
            var emulated = infos.Where(i => i.Kind == DeviceKind.Cpu && i.Id != "cpu").ToList();
            foreach (var info in infos.Except(emulated))
                Console.WriteLine((info.Id == picked ? "* " : "  ") + Explain(info));
            if (emulated.Any(e => e.Id == picked))
                Console.WriteLine("* " + Explain(emulated.First(e => e.Id == picked)));
            Console.WriteLine("--device takes an id above, or auto (CUDA, else an OpenCL GPU, else cpu), cuda or opencl (the first of its kind).");
            if (emulated.Count > 0)
                Console.WriteLine(
                    $"Also accepted: {string.Join(", ", emulated.Select(e => e.Id))}, the same CPU accelerator emulating the thread groups of "
                    + string.Join(", ", emulated.Select((e, i) => $"{(i < EmulatedShapes.Length ? EmulatedShapes[i] : "other")} GPUs (warp {e.WarpSize})"))
                    + ", for testing kernels: same results, no faster.");
            return 0;
        });
        return command;
    }

    private static string Explain(DeviceInfo info) => info.Kind switch
    {
        DeviceKind.Cpu when info.Id == "cpu" =>
            $"{info.Id,-9} ILGPU's CPU accelerator: kernels and GEMM on the {Environment.ProcessorCount} cores of this machine, in host memory; no GPU needed",
        DeviceKind.Cpu => $"{info.Id,-9} {info.Describe()}",
        DeviceKind.Cuda => $"{info.Id,-9} CUDA GPU {info.Name}: {info.MemoryBytes / (1024.0 * 1024 * 1024):F1} GiB (GEMM on cuBLAS)",
        _ => $"{info.Id,-9} OpenCL {(info.IsGpu ? "GPU" : "device (not a GPU: auto skips it)")} {info.Name}: {info.MemoryBytes / (1024.0 * 1024 * 1024):F1} GiB",
    };
}
