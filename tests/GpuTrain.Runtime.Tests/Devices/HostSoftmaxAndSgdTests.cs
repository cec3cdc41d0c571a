using GpuTrain.Runtime.Devices;
using GpuTrain.Runtime.Ops;
using GpuTrain.Runtime.Optimizers;
using GpuTrain.Runtime.Tensors;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Tests.Devices;

/// <summary>
/// The host paths of the softmax cross-entropy and of SGD against ILGPU's emulator running the
/// kernels. The cross-entropy's vectorized exp and lane-wise sum round differently from the
/// kernel's scalar loop, so both are held to a float64 reference instead; its gradient and the
/// SGD update do the kernels' operations element for element and must agree bit for bit.
/// </summary>
public sealed class HostSoftmaxAndSgdTests
{
    // A float sum of 10,000 terms is good to a few parts in a million, sequential or lane-wise.
    private const double RelativeTolerance = 2e-5;

    public static TheoryData<int, int> Shapes => new()
    {
        { 3, 5 },        // narrower than one SIMD vector
        { 4, 37 },       // a remainder after the vectors
        { 6, 10000 },    // a PTB-sized row: several rows per thread
    };

    private static (float[] Probs, float[] Loss) CrossEntropy(CpuKernelExecution execution, float[] logits, int[] labels, int cols)
    {
        using var device = Device.Open("cpu", execution);
        using var x = Tensor<float>.FromHost(device, new Shape(logits.Length), logits);
        using var y = Tensor<int>.FromHost(device, new Shape(labels.Length), labels);
        using var probs = new Tensor<float>(device, new Shape(logits.Length));
        using var loss = new Tensor<float>(device, new Shape(labels.Length));
        SoftmaxOps.CrossEntropy(device, x.View, y.View, cols, probs.View, loss.View);
        return (probs.Download(), loss.Download());
    }

    private static float[] Gradient(CpuKernelExecution execution, float[] probs, int[] labels, int cols, float scale)
    {
        using var device = Device.Open("cpu", execution);
        using var p = Tensor<float>.FromHost(device, new Shape(probs.Length), probs);
        using var y = Tensor<int>.FromHost(device, new Shape(labels.Length), labels);
        using var d = new Tensor<float>(device, new Shape(probs.Length));
        SoftmaxOps.CrossEntropyGrad(device, p.View, y.View, cols, d.View, scale);
        return d.Download();
    }

    private static (float[] Logits, int[] Labels) Batch(int rows, int cols, int seed)
    {
        var random = new Random(seed);
        var logits = Enumerable.Range(0, rows * cols).Select(_ => random.NextSingle() * 8 - 4).ToArray();
        // One row of huge logits: the shift by the row maximum must keep it finite.
        for (int c = 0; c < cols; c++) logits[c] = (c % 2 == 0 ? 1e4f : -1e4f) + c;
        return (logits, Enumerable.Range(0, rows).Select(_ => random.Next(cols)).ToArray());
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void CrossEntropyOnHostAndInTheKernelMatchAFloat64Reference(int rows, int cols)
    {
        var (logits, labels) = Batch(rows, cols, rows * 100 + cols);
        foreach (var execution in new[] { CpuKernelExecution.HostThreads, CpuKernelExecution.Emulator })
        {
            var (probs, loss) = CrossEntropy(execution, logits, labels, cols);
            for (int r = 0; r < rows; r++)
            {
                var x = logits.AsSpan(r * cols, cols).ToArray();
                double max = x.Max(), sum = x.Sum(v => Math.Exp(v - max));
                for (int c = 0; c < cols; c++)
                {
                    double expected = Math.Exp(x[c] - max) / sum;
                    Assert.True(Math.Abs(probs[r * cols + c] - expected) <= RelativeTolerance * expected + 1e-30,
                        $"{execution}: prob [{r}, {c}] is {probs[r * cols + c]:R}, float64 says {expected:R}");
                }
                double expectedLoss = Math.Log(sum) - (x[labels[r]] - max);
                Assert.True(Math.Abs(loss[r] - expectedLoss) <= RelativeTolerance * Math.Max(1, expectedLoss),
                    $"{execution}: loss {r} is {loss[r]:R}, float64 says {expectedLoss:R}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void CrossEntropyGradientMatchesTheKernelBitForBit(int rows, int cols)
    {
        var (logits, labels) = Batch(rows, cols, rows + cols);
        var (probs, _) = CrossEntropy(CpuKernelExecution.HostThreads, logits, labels, cols);
        float scale = 1f / 7;
        var host = Gradient(CpuKernelExecution.HostThreads, probs, labels, cols, scale);
        Assert.Equal(Gradient(CpuKernelExecution.Emulator, probs, labels, cols, scale), host);
        Assert.Equal(scale * (probs[labels[0]] - 1f), host[labels[0]]);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void CrossEntropyWithItsGradientMatchesAFloat64Reference(int rows, int cols)
    {
        var (logits, labels) = Batch(rows, cols, rows * 7 + cols);
        const float scale = 1f / 20;
        foreach (var execution in new[] { CpuKernelExecution.HostThreads, CpuKernelExecution.Emulator })
        {
            using var device = Device.Open("cpu", execution);
            using var x = Tensor<float>.FromHost(device, new Shape(logits.Length), logits);
            using var y = Tensor<int>.FromHost(device, new Shape(labels.Length), labels);
            using var d = new Tensor<float>(device, new Shape(logits.Length));
            using var l = new Tensor<float>(device, new Shape(labels.Length));
            SoftmaxOps.CrossEntropyWithGradient(device, x.View, y.View, cols, scale, d.View, l.View);
            float[] gradient = d.Download(), loss = l.Download();
            for (int r = 0; r < rows; r++)
            {
                var row = logits.AsSpan(r * cols, cols).ToArray();
                double max = row.Max(), sum = row.Sum(v => Math.Exp(v - max));
                for (int c = 0; c < cols; c++)
                {
                    double p = Math.Exp(row[c] - max) / sum, expected = scale * (p - (c == labels[r] ? 1 : 0));
                    Assert.True(Math.Abs(gradient[r * cols + c] - expected) <= RelativeTolerance * Math.Abs(expected) + 1e-30,
                        $"{execution}: gradient [{r}, {c}] is {gradient[r * cols + c]:R}, float64 says {expected:R}");
                }
                double expectedLoss = Math.Log(sum) - (row[labels[r]] - max);
                Assert.True(Math.Abs(loss[r] - expectedLoss) <= RelativeTolerance * Math.Max(1, expectedLoss),
                    $"{execution}: loss {r} is {loss[r]:R}, float64 says {expectedLoss:R}");
            }
        }
    }

    [Fact]
    public void ALabelOutsideTheClassesIsRefusedWithItsRow()
    {
        using var device = Device.Open("cpu");
        using var x = new Tensor<float>(device, new Shape(2 * 4));
        using var y = Tensor<int>.FromHost(device, new Shape(2), [1, 4]);
        using var probs = new Tensor<float>(device, new Shape(2 * 4));
        using var loss = new Tensor<float>(device, new Shape(2));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SoftmaxOps.CrossEntropy(device, x.View, y.View, 4, probs.View, loss.View));
        Assert.Contains("label 4 of row 1", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => SoftmaxOps.CrossEntropyGrad(device, probs.View, y.View, 4, probs.View));
    }

    [Fact]
    public void SgdMatchesTheKernelBitForBit()
    {
        static float[] Step(CpuKernelExecution execution)
        {
            using var device = Device.Open("cpu", execution);
            var layout = new ArenaLayout();
            var w = layout.Add("w", new Shape(10_007)); // not a multiple of the SIMD width
            using var parameters = new ParameterArena(device, layout);
            using var gradients = new ParameterArena(device, layout);
            var random = new Random(9);
            parameters.Upload(w, Enumerable.Range(0, 10_007).Select(_ => random.NextSingle() - 0.5f).ToArray());
            gradients.Upload(w, Enumerable.Range(0, 10_007).Select(_ => random.NextSingle() * 3 - 1.5f).ToArray());
            using var sgd = new Sgd(0.37f);
            sgd.Apply(parameters, gradients, step: 0);
            sgd.Apply(parameters, gradients, step: 1);
            return parameters.DownloadAll();
        }

        var host = Step(CpuKernelExecution.HostThreads);
        Assert.Equal(Step(CpuKernelExecution.Emulator), host);
    }
}
