using GpuTrain.Runtime.Language;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Perf;

/// <summary>
/// The PTB LSTM, small config (2 x 200, batch 20 x 20 steps, vocabulary 10,000), stepping on one
/// fixed batch of synthetic ids with the state carried, as perf/peers/torch_ptb_lstm.py does.
/// </summary>
public sealed class PtbLstmWorkload : IStepWorkload
{
    private const int Vocabulary = 10000;
    private readonly LstmLanguageModel _model;
    private readonly int[] _inputs, _targets;

    /// <summary>Builds the model on <paramref name="device"/>.</summary>
    public PtbLstmWorkload(Device device)
    {
        var config = PtbConfig.Small;
        _model = new LstmLanguageModel(device, config, Vocabulary, seed: 1);
        Trainer = new LstmTrainer(_model, stepsPerEpoch: 1_000_000, seed: 1);
        var random = new Random(7);
        _inputs = new int[config.BatchSize * config.NumSteps];
        _targets = new int[_inputs.Length];
        for (int i = 0; i < _inputs.Length; i++)
        {
            _inputs[i] = random.Next(Vocabulary);
            _targets[i] = random.Next(Vocabulary);
        }
        Trainer.StartEpoch();
    }

    /// <summary>The trainer (for profiling).</summary>
    public LstmTrainer Trainer { get; }

    /// <inheritdoc />
    public void Step() => Trainer.Step(_inputs, _targets); // the returned cost is read back, which waits for the device

    /// <inheritdoc />
    public void Dispose()
    {
        Trainer.Dispose();
        _model.Dispose();
    }
}
