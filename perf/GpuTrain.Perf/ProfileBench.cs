using System.Diagnostics;
using System.Globalization;
using GpuTrain.Examples.Mnist;
using GpuTrain.Runtime.Devices;
using GpuTrain.Runtime.Models;
using GpuTrain.Runtime.Training;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Perf;

/// <summary>
/// Where a training step of the Deep MNIST CNN spends its time: ms per step for every layer's
/// forward and backward, the loss and the optimizer, on synthetic data, after warm-up steps. The
/// baseline is the same model's unprofiled step time measured first in the same run (profiling
/// synchronizes after every phase). Usage: <c>profile [--device SPEC] [--steps N] [--warmup N]
/// [--batch N] [--emulate]</c> (--emulate: ILGPU's CPU emulator instead of host threads).
/// </summary>
public static class ProfileBench
{
    /// <summary>Runs the benchmark.</summary>
    public static int Run(string[] args)
    {
        string spec = "auto", modelName = "mnist-cnn";
        int steps = 20, warmup = 20, batch = DeepMnistCnn.BatchSize;
        var execution = CpuKernelExecution.HostThreads;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--device" when i + 1 < args.Length: spec = args[++i]; break;
                case "--steps" when i + 1 < args.Length: steps = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--warmup" when i + 1 < args.Length: warmup = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--batch" when i + 1 < args.Length: batch = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--model" when i + 1 < args.Length: modelName = args[++i]; break;
                case "--emulate": execution = CpuKernelExecution.Emulator; break;
                default: Console.Error.WriteLine($"profile: unknown option '{args[i]}'"); return 2;
            }
        }

        using var device = Device.Open(spec, execution);
        if (modelName == "ptb-lstm") return ProfilePtb(device, steps, warmup);
        if (modelName != "mnist-cnn") { Console.Error.WriteLine($"profile: --model is mnist-cnn or ptb-lstm; got '{modelName}'"); return 2; }
        using var workload = new MnistCnnWorkload(device, batch);
        var model = workload.Model;
        for (int i = 0; i < warmup; i++) workload.Step();
        device.Synchronize();
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++) workload.Step();
        device.Synchronize();
        double stepMs = watch.Elapsed.TotalMilliseconds / steps;

        var profile = new StepProfile();
        model.Profile = profile;
        workload.Trainer.Profile = profile;
        for (int i = 0; i < steps; i++) workload.Step();
        model.Profile = null;
        workload.Trainer.Profile = null;

        Console.WriteLine($"mnist-cnn, batch {batch}, {device.Info.Id} ({device.Info.Name}{(device.RunsKernelsOnHost ? ", kernels on host threads" : "")}), gemm {model.Gemm.Name}");
        Print(profile, stepMs, steps, warmup);
        return 0;
    }

    private static int ProfilePtb(Device device, int steps, int warmup)
    {
        using var workload = new PtbLstmWorkload(device);
        for (int i = 0; i < warmup; i++) workload.Step();
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++) workload.Step();
        double stepMs = watch.Elapsed.TotalMilliseconds / steps;
        var profile = new StepProfile();
        workload.Trainer.Profile = profile;
        workload.Graph.Profile = profile;
        for (int i = 0; i < steps; i++) workload.Step();
        workload.Trainer.Profile = null;
        workload.Graph.Profile = null;
        Console.WriteLine($"ptb-lstm small, {device.Info.Id} ({device.Info.Name}{(device.RunsKernelsOnHost ? ", kernels on host threads" : "")}), gemm {workload.Model.Weights.Gemm.Name}");
        Print(profile, stepMs, steps, warmup);
        return 0;
    }

    private static void Print(StepProfile profile, double stepMs, int steps, int warmup)
    {
        Console.WriteLine($"unprofiled step: {stepMs:F2} ms ({1000 / stepMs:F2} steps/s), mean of {steps} after {warmup} warm-up");
        double total = profile.Phases.Sum(p => p.TotalMs) / profile.Steps;
        Console.WriteLine($"{"phase",-22} {"ms/step",9} {"share",7}");
        foreach (var (phase, totalMs) in profile.Phases)
        {
            double ms = totalMs / profile.Steps;
            Console.WriteLine($"{phase,-22} {ms,9:F3} {ms / total,7:P1}");
        }
        Console.WriteLine($"{"profiled total",-22} {total,9:F3}");
    }
}
