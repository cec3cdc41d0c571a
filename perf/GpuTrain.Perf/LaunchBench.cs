using System.Diagnostics;
using GpuTrain.Runtime.Devices;
using ILGPU;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Perf;

/// <summary>
/// Kernel launch overhead per accelerator: an empty one-thread kernel launched back to back
/// (queued launches per second) and launched then synchronized (round trips per second), next to
/// the baseline of calling the same method directly on the host. Every layer pays this per launch,
/// so it bounds the steps per second of small models.
/// Usage: <c>launch [--device SPEC]... [--seconds S]</c> (default: every device, 1 s per figure).
/// </summary>
public static class LaunchBench
{
    /// <summary>Runs the benchmark.</summary>
    public static int Run(string[] args)
    {
        var specs = new List<string>();
        double seconds = 1;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--device" when i + 1 < args.Length: specs.Add(args[++i]); break;
                case "--seconds" when i + 1 < args.Length: seconds = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"launch: unknown option '{args[i]}'"); return 2;
            }
        }
        if (specs.Count == 0)
        {
            using var context = DeviceCatalog.CreateContext();
            specs.AddRange(DeviceCatalog.Enumerate(context).Select(d => d.Info.Id));
        }

        Action<Index1D, ArrayView<float>> direct = Empty;
        double hostNs = Measure(seconds, () => direct(0, default)) * 1e9;
        Console.WriteLine($"{"device",-18} {"queued launches/s",18} {"us/launch",10} {"launch+sync/s",14} {"us/round trip",14}");
        Console.WriteLine($"{"host call",-18} {1e9 / hostNs,18:N0} {hostNs / 1e3,10:F4} {"",14} {"",14}");
        foreach (var spec in specs)
        {
            Report(Device.Open(spec), spec, seconds, direct);
            // On the CPU accelerator, also ILGPU's emulator, which the host-thread launcher replaces.
            if (spec.StartsWith("cpu", StringComparison.Ordinal))
                Report(Device.Open(spec, CpuKernelExecution.Emulator), spec + " (emulator)", seconds, direct);
        }
        return 0;
    }

    private static void Report(Device opened, string label, double seconds, Action<Index1D, ArrayView<float>> direct)
    {
        using var device = opened;
        using var buffer = device.Accelerator.Allocate1D<float>(1);
        var kernel = device.Kernel(direct, acc => acc.LoadAutoGroupedStreamKernel(direct));
        var view = buffer.View;
        kernel(1, view);   // compiles and warms up outside the timed region
        device.Synchronize();

        double queued = Measure(seconds, () => kernel(1, view), device.Synchronize);
        double roundTrip = Measure(seconds, () => { kernel(1, view); device.Synchronize(); });
        Console.WriteLine($"{label,-18} {1 / queued,18:N0} {queued * 1e6,10:F2} {1 / roundTrip,14:N0} {roundTrip * 1e6,14:F2}");
    }

    private static void Empty(Index1D index, ArrayView<float> data)
    {
    }

    /// <summary>Seconds per call of <paramref name="action"/>, repeated in doubling batches for about <paramref name="seconds"/>.</summary>
    private static double Measure(double seconds, Action action, Action? drain = null)
    {
        long calls = 0;
        var watch = Stopwatch.StartNew();
        for (long batch = 1; watch.Elapsed.TotalSeconds < seconds; batch *= 2)
        {
            for (long k = 0; k < batch; k++) action();
            drain?.Invoke();
            calls += batch;
        }
        return watch.Elapsed.TotalSeconds / calls;
    }
}
