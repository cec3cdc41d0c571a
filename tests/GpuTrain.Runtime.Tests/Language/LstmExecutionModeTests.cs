using GpuTrain.Examples.Ptb;
using GpuTrain.Runtime.Devices;
using GpuTrain.Runtime.Optimizers;
using GpuTrain.Runtime.Training;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Tests.Language;

/// <summary>
/// The LSTM language model trains to the same numbers on host threads as on ILGPU's CPU emulator
/// (same kernels, same GEMM engine), with dropout, clipping and the carried state all exercised:
/// equal to rounding, since the host softmax's vectorized exp rounds differently (HostSoftmaxAndSgdTests
/// holds every other host path to the bit); and its cost falls when it trains on a repeating batch.
/// </summary>
public sealed class LstmExecutionModeTests
{
    private static (float[] Costs, float[] Parameters, float[][] State) Train(CpuKernelExecution execution, int steps, long stepsPerEpoch)
    {
        // A learning rate of 3 and a clip norm of 0.5 make clipping act on every step; one-step epochs
        // put the learning-rate decay into the comparison too.
        var config = LstmGradientTests.Tiny(keepProb: 0.7f) with { LearningRate = 3f, MaxGradNorm = 0.5f };
        using var device = Device.Open("cpu", execution);
        using var model = new LstmLanguageModel(device, config, vocabSize: 7, seed: 2);
        using var graph = new LstmUnroll(model, config.BatchSize, config.NumSteps, trainable: true);
        using var sgd = new Sgd(new PtbLearningRate(config, stepsPerEpoch));
        using var clipping = new GlobalNormClipping(device, config.MaxGradNorm);
        var trainer = new Trainer<SequenceBatch>(graph, sgd, seed: 4, clipping);
        var costs = new float[steps];
        for (int s = 0; s < steps; s++)
            costs[s] = trainer.Step(new SequenceBatch(LstmGradientTests.Inputs, LstmGradientTests.Targets, StartsEpoch: s == 0));
        return (costs, model.Parameters.DownloadAll(), graph.DownloadState());
    }

    [Fact]
    public void HostThreadsMatchTheEmulator()
    {
        var host = Train(CpuKernelExecution.HostThreads, 3, stepsPerEpoch: 1);
        var emulated = Train(CpuKernelExecution.Emulator, 3, stepsPerEpoch: 1);
        Assert.Equal(emulated.Costs, host.Costs, (a, b) => Math.Abs(a - b) <= 1e-5f * Math.Abs(a));
        Assert.Equal(emulated.Parameters, host.Parameters, (a, b) => Math.Abs(a - b) <= 1e-5f);
        Assert.Equal(emulated.State.SelectMany(s => s), host.State.SelectMany(s => s), (a, b) => Math.Abs(a - b) <= 1e-5f);
        Assert.NotEqual(0f, host.Parameters.Zip(Train(CpuKernelExecution.HostThreads, 0, 1).Parameters, (a, b) => Math.Abs(a - b)).Max());
    }

    [Fact]
    public void TheCostFallsOnARepeatedBatch()
    {
        var (costs, _, _) = Train(CpuKernelExecution.HostThreads, 30, stepsPerEpoch: 1000);
        Assert.True(costs[^1] < 0.8f * costs[0], $"cost {costs[0]} -> {costs[^1]}");
    }
}
