using GpuTrain.Examples.Word2Vec;
using GpuTrain.Runtime.Devices;
using GpuTrain.Runtime.Losses;
using GpuTrain.Runtime.Optimizers;
using GpuTrain.Runtime.Training;
using ILGPU.Runtime;
using GpuTrain.TestSupport;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Tests.Word2Vec;

public sealed class SkipGramNceTests
{
    private const int Vocabulary = 12, Dim = 5;
    // Word 1 is twice a centre word, word 0 twice a label; small ids are the sampler's likeliest
    // candidates, so labels 0-2 make accidental hits all but certain.
    private static readonly int[] Inputs = [1, 4, 1, 7, 11, 3];
    private static readonly int[] Labels = [0, 2, 0, 1, 9, 5];

    public static TheoryData<string> Variants => ["nce", "neg-remove-hits", "with-replacement"];

    private static NceOptions Options(string variant) => variant switch
    {
        "nce" => new NceOptions { NumSampled = 4 },
        "neg-remove-hits" => new NceOptions { NumSampled = 4, SubtractLogExpectedCount = false, RemoveAccidentalHits = true },
        _ => new NceOptions { NumSampled = 8, Unique = false },
    };

    private const float LearningRate = 0.5f;

    // The model's step as the training core takes it: row-sparse SGD at the given rate.
    private static Trainer<WordPairBatch> TrainerOf(SkipGramNce model, float learningRate = LearningRate) =>
        new(model, new RowSparseSgd(learningRate), seed: 0);

    private static float Step(Trainer<WordPairBatch> trainer, int[] inputs, int[] labels) =>
        trainer.Step(new WordPairBatch(inputs, labels));

    [DeviceTheory]
    [Trait("Category", TestDevice.Category)]
    [MemberData(nameof(Variants))]
    public void SparseStepEqualsTheDenseReferenceAndTouchesOnlyItsRows(string variant)
    {
        var options = Options(variant);
        using var device = TestDevice.Open();
        using var model = new SkipGramNce(device, Vocabulary, Dim, Inputs.Length, options, seed: 3);
        var trainer = TrainerOf(model);
        trainer.GlobalStep = 2;
        var (e0, w0, b0) = Tables(model);
        float loss = Step(trainer, Inputs, Labels);
        var (sampled, tries) = model.LastCandidates();
        var (e1, w1, b1) = Tables(model);

        var reference = new NceReference(Vocabulary, Dim, options).Gradients(e0, w0, b0, Inputs, Labels, sampled, tries);
        Assert.Equal(reference.Loss, loss, 5);
        AssertUpdated(e0, reference.DEmbeddings, e1, LearningRate);
        AssertUpdated(w0, reference.DWeights, w1, LearningRate);
        AssertUpdated(b0, reference.DBiases, b1, LearningRate);

        // Rows of words that are neither inputs, labels nor candidates keep their exact bits.
        var touchedOut = Labels.Concat(sampled).ToHashSet();
        for (int word = 0; word < Vocabulary; word++)
        {
            if (!Inputs.Contains(word)) Assert.Equal(e0.AsSpan(word * Dim, Dim).ToArray(), e1.AsSpan(word * Dim, Dim).ToArray());
            if (!touchedOut.Contains(word))
            {
                Assert.Equal(w0.AsSpan(word * Dim, Dim).ToArray(), w1.AsSpan(word * Dim, Dim).ToArray());
                Assert.Equal(b0[word], b1[word]);
            }
        }
        if (variant == "with-replacement") Assert.True(sampled.Distinct().Count() < sampled.Length, "expected repeated candidates");
        else Assert.Contains(sampled, s => Labels.Contains(s));
    }

    [DeviceFact]
    [Trait("Category", TestDevice.Category)]
    public void GradientMatchesFiniteDifferencesOfTheDeviceLoss()
    {
        var options = new NceOptions { NumSampled = 4 };
        using var device = TestDevice.Open();
        using var model = new SkipGramNce(device, Vocabulary, Dim, Inputs.Length, options, seed: 8);
        var arena = model.Parameters;
        var all = arena.DownloadAll();
        model.Loss(Inputs, Labels, step: 0);
        int candidate = model.LastCandidates().Sampled.First(s => !Labels.Contains(s));
        // An input row element, a label weight, a candidate's weight and bias.
        long[] coordinates =
        [
            model.Embeddings.Offset + 1 * Dim + 2,
            model.Weights.Offset + 2 * Dim + 4,
            model.Weights.Offset + candidate * Dim + 1,
            model.Biases.Offset + candidate,
            model.Biases.Offset + 0,
        ];
        const float eps = 1e-2f;
        var numeric = coordinates.Select(c =>
        {
            float Loss(float delta)
            {
                var p = (float[])all.Clone();
                p[c] += delta;
                arena.View.CopyFromCPU(p);
                return model.Loss(Inputs, Labels, step: 0);
            }
            return (Loss(eps) - Loss(-eps)) / (2 * eps);
        }).ToArray();
        arena.View.CopyFromCPU(all);
        Step(TrainerOf(model, 1f), Inputs, Labels);
        var after = arena.DownloadAll();
        for (int i = 0; i < coordinates.Length; i++)
        {
            float analytic = all[coordinates[i]] - after[coordinates[i]]; // learning rate 1
            Assert.True(Math.Abs(analytic - numeric[i]) < 2e-3 + 1e-2 * Math.Abs(numeric[i]),
                $"coordinate {coordinates[i]}: analytic {analytic}, finite differences {numeric[i]}");
            Assert.NotEqual(0f, analytic);
        }
    }

    // The host loss vectorizes exp and log (HostNceTests holds both to float64; gather and SGD agree
    // bit for bit there), so three steps of host threads and of the emulator agree to float rounding.
    [Fact]
    public void HostThreadsAndTheEmulatorTrainAlike()
    {
        static (float[] Losses, float[] Parameters) Train(CpuKernelExecution execution)
        {
            using var device = Device.Open("cpu", execution);
            using var model = new SkipGramNce(device, 30, 8, 6, new NceOptions { NumSampled = 5 }, seed: 4);
            var trainer = TrainerOf(model, 1f);
            var losses = Enumerable.Range(0, 3).Select(s => Step(trainer, Inputs.Select(i => i + s).ToArray(), Labels)).ToArray();
            return (losses, model.Parameters.DownloadAll());
        }

        var host = Train(CpuKernelExecution.HostThreads);
        var emulated = Train(CpuKernelExecution.Emulator);
        for (int i = 0; i < host.Losses.Length; i++)
            Assert.True(Math.Abs(host.Losses[i] - emulated.Losses[i]) <= 1e-6 * Math.Abs(emulated.Losses[i]), $"loss {i}: {host.Losses[i]:R} vs {emulated.Losses[i]:R}");
        for (int i = 0; i < host.Parameters.Length; i++)
            Assert.True(Math.Abs(host.Parameters[i] - emulated.Parameters[i]) <= 1e-6, $"parameter {i}: {host.Parameters[i]:R} vs {emulated.Parameters[i]:R}");
    }

    [DeviceFact]
    [Trait("Category", TestDevice.Category)]
    public void LossFallsOnARepeatedBatch()
    {
        using var device = TestDevice.Open();
        using var model = new SkipGramNce(device, Vocabulary, Dim, Inputs.Length, new NceOptions { NumSampled = 4 }, seed: 1);
        var trainer = TrainerOf(model, 1f);
        float first = Step(trainer, Inputs, Labels);
        float last = first;
        for (int i = 0; i < 30; i++) last = Step(trainer, Inputs, Labels);
        Assert.True(last < 0.5f * first, $"loss {first} -> {last}");
        Assert.Throws<ArgumentException>(() => Step(trainer, Inputs, [0, 1, 2, 3, 4, Vocabulary]));
        Assert.Throws<ArgumentException>(() => new SkipGramNce(device, 3, 2, 2, new NceOptions { NumSampled = 4 }, 1));
    }

    private static (float[] E, float[] W, float[] B) Tables(SkipGramNce model) =>
        (model.Parameters.Download(model.Embeddings), model.Parameters.Download(model.Weights), model.Parameters.Download(model.Biases));

    private static void AssertUpdated(float[] before, double[] gradient, float[] after, float learningRate)
    {
        for (int i = 0; i < before.Length; i++)
        {
            double expected = before[i] - learningRate * gradient[i];
            Assert.True(Math.Abs(after[i] - expected) < 1e-5, $"element {i}: {after[i]} != {expected} (gradient {gradient[i]})");
        }
    }
}
