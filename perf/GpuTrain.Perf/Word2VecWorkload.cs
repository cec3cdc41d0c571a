using GpuTrain.Examples.Word2Vec;
using GpuTrain.Runtime.Losses;
using GpuTrain.Runtime.Optimizers;
using GpuTrain.Runtime.Text;
using GpuTrain.Runtime.Training;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Perf;

/// <summary>
/// The word2vec_basic step with the tutorial's shapes (vocabulary 50,000, D 128, batch 128, 64 sampled,
/// skip window 1, 2 skips) on synthetic Zipfian word ids, batch generation included, for <see cref="ModelBench"/>.
/// </summary>
public sealed class Word2VecWorkload : IStepWorkload
{
    private readonly SkipGramNce _model;
    private readonly RowSparseSgd _sgd = new(1f);
    private readonly Trainer<WordPairBatch> _trainer;
    private readonly SkipGramBatcher _batches;

    /// <summary>Builds the model on <paramref name="device"/>.</summary>
    public Word2VecWorkload(Device device)
    {
        _model = new SkipGramNce(device, 50_000, 128, 128, new NceOptions(), seed: 1);
        _trainer = new Trainer<WordPairBatch>(_model, _sgd, seed: 1);
        _batches = new SkipGramBatcher(Word2VecBench.ZipfianIds(2_000_000, 50_000), 128, 2, 1, seed: 1);
    }

    /// <inheritdoc />
    public double FlopsPerStep { get; } = StepFlops.SkipGram(batch: 128, dimension: 128, sampled: new NceOptions().NumSampled);

    /// <inheritdoc />
    public void Step() => _trainer.Step(_batches.Next());

    /// <inheritdoc />
    public void Dispose()
    {
        _sgd.Dispose();
        _model.Dispose();
    }
}
