using GpuTrain.Kernels;
using GpuTrain.Runtime.Devices;
using GpuTrain.Runtime.Losses;
using GpuTrain.Runtime.Ops;
using GpuTrain.Runtime.Tensors;
using ILGPU;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Tests.Devices;

/// <summary>
/// The host paths of the NCE step (<see cref="Host.HostNce"/>) against ILGPU's emulator running
/// <see cref="NceKernels"/>: the gather and the sparse SGD do the kernels' float operations and must
/// agree bit for bit, repeated words included; the loss vectorizes exp and log, so it (and the
/// kernel) are held to a float64 reference instead, over logits from tiny to ±1e4.
/// </summary>
public sealed class HostNceTests
{
    // 37 floats a row: a remainder after the SIMD vectors. 12 candidates: one vector and a remainder.
    private const int Vocabulary = 40, Batch = 9, Dim = 37;
    // Repeated centre words and labels, and candidates that repeat and hit labels.
    private static readonly int[] Inputs = [3, 7, 3, 0, 39, 7, 3, 12, 5];
    private static readonly int[] Labels = [1, 2, 1, 9, 0, 30, 2, 2, 17];
    private static readonly int[] Candidates = [0, 1, 5, 1, 33, 2, 8, 0, 11, 39, 4, 6];

    private sealed class Step : IDisposable
    {
        private readonly List<IDisposable> _owned = [];

        public Step(CpuKernelExecution execution, int seed, int[]? candidates = null)
        {
            Candidates = candidates ?? HostNceTests.Candidates;
            int sampled = Candidates.Length;
            Device = Device.Open("cpu", execution);
            var random = new Random(seed);
            float[] Random(int n, float scale) => Enumerable.Range(0, n).Select(_ => (random.NextSingle() * 2 - 1) * scale).ToArray();
            Views = NceBatchBuffers.For(new NceViews
            {
                Embeddings = Floats(Random(Vocabulary * Dim, 1)),
                Weights = Floats(Random(Vocabulary * Dim, 1)),
                Biases = Floats(Random(Vocabulary, 1)),
                SampledLogCount = Floats(Random(sampled, 3)),
                Tries = Ints([sampled + 5]),
                Losses = Floats(new float[Batch]),
            }, Batch, sampled, Dim, n => Floats(new float[n]), n => Ints(new int[n]));
            Views.Inputs.CopyFromCPU(Inputs);
            Views.Labels.CopyFromCPU(Labels);
            Views.Sampled.CopyFromCPU(Candidates);
            NceOps.Gather(Device, Views);
        }

        public Device Device { get; }

        public int[] Candidates { get; }

        public NceViews Views { get; }

        private ArrayView<float> Floats(float[] values) => Own(Tensor<float>.FromHost(Device, new Shape(values.Length), values)).View;

        private ArrayView<int> Ints(int[] values) => Own(Tensor<int>.FromHost(Device, new Shape(values.Length), values)).View;

        private T Own<T>(T disposable) where T : IDisposable
        {
            _owned.Add(disposable);
            return disposable;
        }

        public void Dispose()
        {
            foreach (var d in _owned) d.Dispose();
            Device.Dispose();
        }
    }

    private static float[] Get(ArrayView<float> view) => Copy(view);

    private static int[] Get(ArrayView<int> view) => Copy(view);

    private static T[] Copy<T>(ArrayView<T> view) where T : unmanaged
    {
        var values = new T[view.Length];
        view.CopyToCPU(values);
        return values;
    }

    [Fact]
    public void GatherAndSparseSgdOnHostAndInTheKernelAgreeBitForBit()
    {
        static float[][] Run(CpuKernelExecution execution)
        {
            using var step = new Step(execution, seed: 5);
            var v = step.Views;
            var random = new Random(6);
            float[] Random(int n) => Enumerable.Range(0, n).Select(_ => random.NextSingle() - 0.5f).ToArray();
            v.Logits.CopyFromCPU(Random(Batch * Candidates.Length));
            v.LabelLogitGrads.CopyFromCPU(Random(Batch));
            v.InputGrads.CopyFromCPU(Random(Batch * Dim));
            v.SampledGrads.CopyFromCPU(Random(Candidates.Length * Dim));
            var gathered = new[] { Get(v.InputRows), Get(v.LabelRows), Get(v.SampledRows), Get(v.LabelBiases), Get(v.SampledBiases),
                Get(v.InputLinks).Select(i => (float)i).ToArray(), Get(v.OutputLinks).Select(i => (float)i).ToArray() };
            NceOps.ApplySgd(step.Device, v, 0.7f);
            return [.. gathered, Get(v.Embeddings), Get(v.Weights), Get(v.Biases)];
        }

        var host = Run(CpuKernelExecution.HostThreads);
        var emulated = Run(CpuKernelExecution.Emulator);
        for (int i = 0; i < host.Length; i++) Assert.Equal(emulated[i], host[i]);
        // The input links: word 3 fills slots 0, 2 and 6, word 7 slots 1 and 5.
        Assert.Equal([1, 2, 1, 5, 0, 6, 1, -1, 1, -1, 0, -1, 0, -1, 1, -1, 1, -1], host[5].Select(f => (int)f).ToArray());
    }

    [Theory]
    [InlineData("nce", true, true, false)]
    [InlineData("neg-remove-hits", false, false, true)]
    [InlineData("nce-with-replacement", false, true, false)]
    [InlineData("many-candidates", false, false, false)]
    public void LossOnHostAndInTheKernelMatchAFloat64Reference(string variant, bool unique, bool subtractLogCount, bool removeHits)
    {
        // 1,400 candidates of logit ~0 each add log 2 to the loss: their softplus product (2^1400) would
        // overflow a double unless it is folded into the sum on the way.
        bool many = variant == "many-candidates";
        int[]? candidates = many ? Enumerable.Range(0, 1400).Select(k => k * 7 % Vocabulary).ToArray() : null;
        foreach (var execution in new[] { CpuKernelExecution.HostThreads, CpuKernelExecution.Emulator })
        {
            using var step = new Step(execution, seed: 7, candidates);
            var v = step.Views;
            int sampled = step.Candidates.Length;
            var random = new Random(8);
            float[] gatheredBiases = Get(v.SampledBiases);
            // Candidate logits from 1e-3 to ±1e4: the softplus and sigmoid must neither overflow nor lose the small ones.
            var logits = Enumerable.Range(0, Batch * sampled).Select(i => i % 11 switch
            {
                0 => 1e4f, 1 => -1e4f, 2 => -90f, 3 => 60f, 4 => 1e-3f,
                _ when many => -gatheredBiases[i % sampled] + (random.NextSingle() * 2 - 1) * 1e-3f,
                _ => (random.NextSingle() * 2 - 1) * 8,
            }).ToArray();
            v.Logits.CopyFromCPU(logits);
            NceOps.Loss(step.Device, v, Vocabulary, unique, subtractLogCount, removeHits);
            float[] losses = Get(v.Losses), grads = Get(v.Logits), labelGrads = Get(v.LabelLogitGrads);
            float[] inputRows = Get(v.InputRows), labelRows = Get(v.LabelRows), labelBiases = Get(v.LabelBiases),
                sampledBiases = Get(v.SampledBiases), logCounts = Get(v.SampledLogCount);
            int tries = Get(v.Tries)[0];
            for (int b = 0; b < Batch; b++)
            {
                double t = labelBiases[b];
                for (int d = 0; d < Dim; d++) t += (double)inputRows[b * Dim + d] * labelRows[b * Dim + d];
                if (subtractLogCount) t -= Math.Log(ExpectedCount(Labels[b], sampled, unique, tries));
                double loss = Softplus(-t);
                Close($"{execution} {variant}: label gradient {b}", (Sigmoid(t) - 1) / Batch, labelGrads[b]);
                for (int k = 0; k < sampled; k++)
                {
                    int at = b * sampled + k;
                    if (removeHits && step.Candidates[k] == Labels[b])
                    {
                        Assert.Equal(0f, grads[at]);
                        continue;
                    }
                    double l = (double)logits[at] + sampledBiases[k] - (subtractLogCount ? logCounts[k] : 0);
                    loss += Softplus(l);
                    Close($"{execution} {variant}: candidate gradient [{b}, {k}] of logit {l}", Sigmoid(l) / Batch, grads[at]);
                }
                Assert.True(Math.Abs(losses[b] - loss) <= 1e-5 * Math.Max(1, Math.Abs(loss)),
                    $"{execution} {variant}: loss {b} is {losses[b]:R}, float64 says {loss:R}");
            }
        }
    }

    private static double Softplus(double x) => Math.Max(x, 0) + Math.Log(1 + Math.Exp(-Math.Abs(x)));

    private static double Sigmoid(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));

    private static double ExpectedCount(int word, int sampled, bool unique, int tries)
    {
        double p = (Math.Log(word + 2.0) - Math.Log(word + 1.0)) / Math.Log(Vocabulary + 1.0);
        return !unique || tries == sampled ? p * sampled : 1 - Math.Pow(1 - p, tries);
    }

    // A few float roundings of the logit and of exp: relative 1e-5, or a subnormal's worth where the
    // gradient underflows (logits of -90 and -1e4).
    private static void Close(string what, double expected, float actual) =>
        Assert.True(Math.Abs(actual - expected) <= 1e-5 * Math.Abs(expected) + 1e-37,
            $"{what}: {actual:R}, float64 says {expected:R}");
}
