using GpuTrain.Examples.Ptb;
using GpuTrain.Runtime.Optimizers;
using GpuTrain.Runtime.Training;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Perf;

/// <summary>
/// The PTB LSTM, small config (2 x 200, batch 20 x 20 steps, vocabulary 10,000) or another of the
/// tutorial's (medium: 2 x 650, 35 steps, dropout keep 0.5), stepping on one fixed batch of synthetic
/// ids with the state carried, as perf/peers/torch_ptb_lstm.py --config does.
/// </summary>
public sealed class PtbLstmWorkload : IStepWorkload
{
    private const int Vocabulary = 10000;
    private readonly LstmLanguageModel _model;
    private readonly Sgd _sgd;
    private readonly GlobalNormClipping _clipping;
    private readonly int[] _inputs, _targets;
    private bool _started;

    /// <summary>Builds the model of <paramref name="config"/> (default small) on <paramref name="device"/>.</summary>
    public PtbLstmWorkload(Device device, PtbConfig? config = null)
    {
        config ??= PtbConfig.Small;
        _model = new LstmLanguageModel(device, config, Vocabulary, seed: 1);
        Graph = new LstmUnroll(_model, config.BatchSize, config.NumSteps, trainable: true);
        _sgd = new Sgd(new PtbLearningRate(config, stepsPerEpoch: 1_000_000));
        _clipping = new GlobalNormClipping(device, config.MaxGradNorm);
        Trainer = new Trainer<SequenceBatch>(Graph, _sgd, seed: 1, _clipping);
        var random = new Random(7);
        _inputs = new int[config.BatchSize * config.NumSteps];
        _targets = new int[_inputs.Length];
        for (int i = 0; i < _inputs.Length; i++)
        {
            _inputs[i] = random.Next(Vocabulary);
            _targets[i] = random.Next(Vocabulary);
        }
    }

    /// <inheritdoc />
    public double FlopsPerStep => StepFlops.Of(_model.Config, Vocabulary);

    /// <summary>The trainer (for profiling).</summary>
    public Trainer<SequenceBatch> Trainer { get; }

    /// <summary>The unrolled graph (for profiling).</summary>
    public LstmUnroll Graph { get; }

    /// <summary>The parameters.</summary>
    public LstmLanguageModel Model => _model;

    /// <inheritdoc />
    public void Step()
    {
        // The first batch starts an epoch (zero state); the state carries from then on.
        Trainer.Step(new SequenceBatch(_inputs, _targets, StartsEpoch: !_started)); // the cost is read back, which waits for the device
        _started = true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Graph.Dispose();
        _sgd.Dispose();
        _clipping.Dispose();
        _model.Dispose();
    }
}
