using GpuTrain.Runtime.Losses;
using GpuTrain.Runtime.Tensors;
using GpuTrain.Runtime.Tests.Layers;
using GpuTrain.TestSupport;
using ILGPU.Runtime;

namespace GpuTrain.Runtime.Tests.Losses;

/// <summary>The sequence loss against a float64 reference: the cost, and its gradient against central differences of that cost.</summary>
[Trait("Category", TestDevice.Category)]
public sealed class SequenceSoftmaxCrossEntropyTests(TestDeviceFixture device) : IClassFixture<TestDeviceFixture>
{
    private const int Streams = 2, Steps = 3, Classes = 5;

    [DeviceFact]
    public void CostIsTheSumOverStepsAveragedOverStreamsAndItsGradientMatchesFiniteDifferences()
    {
        var rng = new Random(4);
        double[] logits = Enumerable.Range(0, Streams * Steps * Classes).Select(_ => rng.NextDouble() * 4 - 2).ToArray();
        int[] targets = [0, 4, 2, 2, 1, 3];
        using var loss = new SequenceSoftmaxCrossEntropy(device.Device, Streams, Steps, Classes);
        using var deviceLogits = Tensor<float>.FromHost(device.Device, new Shape(Streams * Steps, Classes), logits.Select(v => (float)v).ToArray());

        float cost = loss.Forward(deviceLogits.View, targets);
        double expected = Reference(logits, targets);
        Assert.True(Math.Abs(cost - expected) < 1e-5 * expected, $"cost {cost}, float64 reference {expected}");

        var gradient = Host(loss.Backward());
        const double h = 1e-6;
        for (int i = 0; i < logits.Length; i++)
        {
            double saved = logits[i];
            logits[i] = saved + h;
            double plus = Reference(logits, targets);
            logits[i] = saved - h;
            double minus = Reference(logits, targets);
            logits[i] = saved;
            double numeric = (plus - minus) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient[i]) < 1e-6 + 1e-5 * Math.Abs(numeric), $"logit {i}: finite difference {numeric}, backward {gradient[i]}");
        }
    }

    [DeviceFact]
    public void TargetsOutsideTheClassesOrOfTheWrongCountAreRefusedByName()
    {
        using var loss = new SequenceSoftmaxCrossEntropy(device.Device, Streams, Steps, Classes);
        using var logits = new Tensor<float>(device.Device, new Shape(Streams * Steps, Classes));
        var outside = Assert.Throws<ArgumentException>(() => loss.Forward(logits.View, [0, 1, 2, 3, 5, 0]));
        Assert.Equal("targets", outside.ParamName);
        Assert.Contains("target 5 is outside the 5 classes", outside.Message);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => loss.Forward(logits.View, [0, 1])).ParamName);
    }

    // Σ over rows of -log softmax(row)[target], divided by the streams.
    private static double Reference(double[] logits, int[] targets)
    {
        double sum = 0;
        for (int row = 0; row < targets.Length; row++)
        {
            var x = logits.AsSpan(row * Classes, Classes);
            double max = double.MinValue;
            foreach (double v in x) max = Math.Max(max, v);
            double z = 0;
            foreach (double v in x) z += Math.Exp(v - max);
            sum += Math.Log(z) + max - x[targets[row]];
        }
        return sum / Streams;
    }

    private static float[] Host(ILGPU.ArrayView<float> view)
    {
        var values = new float[view.Length];
        view.CopyToCPU(values);
        return values;
    }
}
