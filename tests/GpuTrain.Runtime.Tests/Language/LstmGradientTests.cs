using GpuTrain.Examples.Ptb;
using GpuTrain.TestSupport;
using ILGPU;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Tests.Language;

/// <summary>
/// The device graph of the PTB LSTM (host-thread CPU execution) against <see cref="HostLstmReference"/>:
/// the cost and the carried state, and every gradient (embedding rows, i.e. the LSTM's input; every
/// weight and bias; the initial state) against float64 central differences of the reference cost.
/// </summary>
public sealed class LstmGradientTests
{
    private const int Vocab = 7;
    private const double Step = 1e-5;

    /// <summary>Two layers of 3 units, 2 streams of 4 steps, and a non-zero forget bias so its path is tested.</summary>
    internal static PtbConfig Tiny(float keepProb = 1f) =>
        new("tiny", 0.5f, 1f, 5f, NumLayers: 2, NumSteps: 4, HiddenSize: 3, 1, 2, keepProb, 0.5f, BatchSize: 2, ForgetBias: 0.25f);

    internal static readonly int[] Inputs = [1, 4, 4, 0, 6, 2, 1, 3];
    internal static readonly int[] Targets = [4, 4, 0, 5, 2, 1, 3, 3];

    [DeviceTheory]
    [Trait("Category", TestDevice.Category)]
    [InlineData(1f)]
    [InlineData(0.6f)]
    public void GradientsMatchFiniteDifferences(float keepProb)
    {
        var config = Tiny(keepProb);
        bool dropout = keepProb < 1f;
        const ulong seed = 9;
        const long step = 3;
        using var device = TestDevice.Open();
        using var model = new LstmLanguageModel(device, config, Vocab, seed: 5);
        using var graph = new LstmUnroll(model, config.BatchSize, config.NumSteps, trainable: true);
        var initial = RandomState(config, 21);
        graph.UploadState(initial);
        var dState = initial.Select(s => device.Accelerator.Allocate1D<float>(s.Length)).ToArray();

        model.Gradients.Clear();
        float cost = graph.Forward(Inputs, Targets, training: true, seed, step);
        graph.Backward(dState.Select(b => b.View.BaseView).ToArray());

        var reference = Reference(model, initial);
        var (expectedCost, _) = reference.Run(Inputs, Targets, dropout, seed, step);
        Assert.True(Math.Abs(cost - expectedCost) < 1e-5 * expectedCost, $"cost {cost}, float64 reference {expectedCost}");

        double Cost() => reference.Run(Inputs, Targets, dropout, seed, step).Cost;
        foreach (var slice in model.Parameters.Layout.Slices)
        {
            var values = reference.Parameters[slice.Name];
            var gradient = model.Gradients.Download(slice);
            for (int i = 0; i < values.Length; i++)
                AssertGradient($"{slice.Name}[{i}]", Central(values, i, Cost), gradient[i]);
        }
        for (int s = 0; s < initial.Length; s++)
        {
            var gradient = dState[s].GetAsArray1D();
            for (int i = 0; i < initial[s].Length; i++)
                AssertGradient($"initial state {s}[{i}]", Central(reference.State[s], i, Cost), gradient[i]);
            dState[s].Dispose();
        }
    }

    [DeviceFact]
    [Trait("Category", TestDevice.Category)]
    public void TheFinalStateCarriesIntoTheNextBatch()
    {
        var config = Tiny();
        using var device = TestDevice.Open();
        using var model = new LstmLanguageModel(device, config, Vocab, seed: 6);
        using var graph = new LstmUnroll(model, config.BatchSize, config.NumSteps, trainable: false);
        graph.ResetState();
        var reference = Reference(model, RandomState(config, 0).Select(s => new float[s.Length]).ToArray());

        graph.Forward(Inputs, Targets, training: false);
        var (_, final) = reference.Run(Inputs, Targets);
        var carried = graph.DownloadState();
        for (int s = 0; s < final.Length; s++)
            for (int i = 0; i < final[s].Length; i++)
                Assert.True(Math.Abs(final[s][i] - carried[s][i]) < 1e-6, $"state {s}[{i}]: {carried[s][i]} vs {final[s][i]}");

        // The second batch starts from the first one's final state, not from zeros.
        float second = graph.Forward(Targets, Inputs, training: false);
        reference.State = final;
        double expected = reference.Run(Targets, Inputs).Cost;
        Assert.True(Math.Abs(second - expected) < 1e-5 * expected, $"second batch cost {second}, reference {expected}");
        graph.ResetState();
        Assert.All(graph.DownloadState(), s => Assert.All(s, v => Assert.Equal(0f, v)));
    }

    [DeviceFact]
    [Trait("Category", TestDevice.Category)]
    public void IdsOutsideTheVocabularyAreRejected()
    {
        var config = Tiny();
        using var device = TestDevice.Open();
        using var model = new LstmLanguageModel(device, config, Vocab, seed: 6);
        using var graph = new LstmUnroll(model, config.BatchSize, config.NumSteps, trainable: false);
        int[] bad = [.. Inputs];
        bad[5] = Vocab;
        var error = Assert.Throws<ArgumentException>(() => graph.Forward(bad, Targets, training: false));
        Assert.Contains("outside the vocabulary of 7", error.Message);
    }

    private static HostLstmReference Reference(LstmLanguageModel model, float[][] initial)
    {
        var reference = new HostLstmReference(model.Config, model.VocabSize)
        {
            State = initial.Select(s => s.Select(v => (double)v).ToArray()).ToArray(),
        };
        foreach (var slice in model.Parameters.Layout.Slices)
            reference.Parameters[slice.Name] = model.Parameters.Download(slice).Select(v => (double)v).ToArray();
        return reference;
    }

    internal static float[][] RandomState(PtbConfig config, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, 2 * config.NumLayers)
            .Select(_ => Enumerable.Range(0, config.BatchSize * config.HiddenSize).Select(_ => random.NextSingle() - 0.5f).ToArray())
            .ToArray();
    }

    private static double Central(double[] values, int i, Func<double> cost)
    {
        double original = values[i];
        values[i] = original + Step;
        double plus = cost();
        values[i] = original - Step;
        double minus = cost();
        values[i] = original;
        return (plus - minus) / (2 * Step);
    }

    /// <summary>float32 gradients against float64 differences: a few float ulps of the cost's size.</summary>
    private static void AssertGradient(string what, double numeric, float analytic) =>
        Assert.True(Math.Abs(numeric - analytic) < 2e-5 + 2e-4 * Math.Abs(numeric), $"{what}: finite difference {numeric}, backward {analytic}");
}
