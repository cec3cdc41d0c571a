using System.Diagnostics;
using GpuTrain.Logging;
using GpuTrain.Runtime.Data;
using GpuTrain.Runtime.Training;

namespace GpuTrain.Runtime.Language;

/// <summary>
/// The tutorial's main loop: epochs of the training stream (state zeroed at each start, carried
/// from batch to batch), the learning-rate schedule, a progress line every tenth of an epoch with
/// perplexity and words per second, validation perplexity after each epoch and test perplexity
/// (batch 1, one step per batch, as eval_config) at the end. TensorBoard gets the graph, the scalars
/// and, every <see cref="HistogramEvery"/> steps, parameter and gradient histograms; the
/// checkpoint, when given, is saved in the background every <see cref="SaveEvery"/> steps, after each
/// epoch and at the end; a failed save is reported and training goes on, unless it was the last.
/// </summary>
public sealed class PtbTrainingRun
{
    private const int LogEvery = 10;
    private readonly LstmTrainer _trainer;
    private readonly PtbCorpus _corpus;
    private readonly SummaryWriter _log;
    private readonly Action<string> _report;
    private CheckpointReporter? _saves;

    /// <summary>Runs <paramref name="trainer"/> on <paramref name="corpus"/>, logging to <paramref name="log"/> and reporting lines to <paramref name="report"/>.</summary>
    public PtbTrainingRun(LstmTrainer trainer, PtbCorpus corpus, SummaryWriter log, Action<string> report)
    {
        _trainer = trainer;
        _corpus = corpus;
        _log = log;
        _report = report;
        var config = trainer.Model.Config;
        Train = new PtbBatches(corpus.Train, config.BatchSize, config.NumSteps, "train");
    }

    /// <summary>The training batches (their epoch size sets the learning-rate schedule).</summary>
    public PtbBatches Train { get; }

    /// <summary>Train until this many epochs are done.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Stop early at this global step (quick runs); the end-of-run evaluation still happens.</summary>
    public long MaxSteps { get; init; } = long.MaxValue;

    /// <summary>Log histograms of the parameters and their gradients every N steps (0: never).</summary>
    public int HistogramEvery { get; init; }

    /// <summary>Save every N steps (0: only after epochs and at the end).</summary>
    public int SaveEvery { get; init; }

    /// <summary>Where to save, with <see cref="CheckpointPrefix"/>; null: no checkpoints.</summary>
    public LstmCheckpoint? Checkpoint { get; init; }

    /// <summary>The checkpoint prefix (<c>DIR/model.ckpt</c>).</summary>
    public string CheckpointPrefix { get; init; } = "model.ckpt";

    /// <summary>Runs from <paramref name="start"/> (the next batch: epoch and position within it).</summary>
    public PtbRunResult Run((long Epoch, long Position) start, string deviceName)
    {
        var total = Stopwatch.StartNew();
        var model = _trainer.Model;
        var config = model.Config;
        var valid = new PtbBatches(_corpus.Valid, config.BatchSize, config.NumSteps, "valid");
        var validPerplexities = new List<double>();
        long epoch = start.Epoch, position = start.Position, stepsRun = 0;
        double trainSeconds = 0, trainPerplexity = double.NaN;
        float cost = float.NaN;
        bool partial = false;
        using var validGraph = new LstmUnroll(model, config.BatchSize, config.NumSteps, trainable: false);
        _saves = Checkpoint is null ? null : new CheckpointReporter(Checkpoint.Bytes, _log, _report);
        _log.Start(_trainer.GlobalStep);
        _log.Graph(LanguageModelGraph.Of(model));
        if (position == 0) _trainer.StartEpoch();
        var inputs = new int[config.BatchSize * config.NumSteps];
        var targets = new int[inputs.Length];
        while (epoch < Epochs && _trainer.GlobalStep < MaxSteps)
        {
            _report($"epoch {epoch + 1}: learning rate {_trainer.LearningRate:G4}");
            double costs = 0;
            long iters = 0;
            var timer = Stopwatch.StartNew();
            int progressEvery = Math.Max(1, Train.EpochSize / 10);
            for (; position < Train.EpochSize && _trainer.GlobalStep < MaxSteps; position++)
            {
                Train.Fill((int)position, inputs, targets);
                cost = _trainer.Step(inputs, targets);
                costs += cost;
                iters += config.NumSteps;
                stepsRun++;
                long step = _trainer.GlobalStep;
                if (step % LogEvery == 0) LogStep(step, cost);
                if (HistogramEvery > 0 && step % HistogramEvery == 0) ParameterHistograms.Log(_log, model.Parameters, model.Gradients, step);
                if ((position + 1) % progressEvery == 0)
                    _report($"{(double)(position + 1) / Train.EpochSize:F3} perplexity: {Math.Exp(costs / iters):F3} " +
                        $"speed: {iters * config.BatchSize / timer.Elapsed.TotalSeconds:F0} wps");
                if (SaveEvery > 0 && step % SaveEvery == 0 && position + 1 < Train.EpochSize) Save((epoch, position + 1));
            }
            trainSeconds += timer.Elapsed.TotalSeconds;
            trainPerplexity = Math.Exp(costs / Math.Max(iters, 1));
            partial = position < Train.EpochSize;
            if (partial) break;
            double validPerplexity = LstmEvaluation.Perplexity(validGraph, valid);
            validPerplexities.Add(validPerplexity);
            _log.Scalar("valid/perplexity", (float)validPerplexity, _trainer.GlobalStep);
            _report($"epoch {epoch + 1}: train perplexity {trainPerplexity:F3}, valid perplexity {validPerplexity:F3}");
            epoch++;
            position = 0;
            _trainer.StartEpoch();
            Save((epoch, 0));
        }
        if (partial)
        {
            // A run cut short by --max-steps still reports validation perplexity, then saves where it stopped.
            double validPerplexity = LstmEvaluation.Perplexity(validGraph, valid);
            validPerplexities.Add(validPerplexity);
            _log.Scalar("valid/perplexity", (float)validPerplexity, _trainer.GlobalStep);
            _report($"step {_trainer.GlobalStep} (epoch {epoch + 1} partial): train perplexity {trainPerplexity:F3}, valid perplexity {validPerplexity:F3}");
            Save((epoch, position));
        }
        double testPerplexity = LstmEvaluation.TestPerplexity(_trainer.Model, _corpus.Test); // while the final checkpoint is written
        _log.Scalar("test/perplexity", (float)testPerplexity, _trainer.GlobalStep);
        _report($"test perplexity {testPerplexity:F3}");
        _saves?.Finished(Checkpoint!.WaitForSave());
        _log.Flush();
        double words = (double)stepsRun * config.BatchSize * config.NumSteps;
        return new PtbRunResult(deviceName, config.Name, _trainer.GlobalStep, cost, trainPerplexity, validPerplexities, testPerplexity,
            trainSeconds > 0 ? words / trainSeconds : 0, stepsRun > 0 ? trainSeconds * 1000 / stepsRun : 0, total.Elapsed.TotalSeconds)
        {
            Checkpoints = _saves?.Stats,
        };
    }

    private void LogStep(long step, float cost)
    {
        _log.Scalar("train/cost", cost, step);
        _log.Scalar("train/perplexity", MathF.Exp(cost / _trainer.Model.Config.NumSteps), step);
        _log.Scalar("learning_rate", _trainer.Optimizer.LearningRate.At(step - 1), step);
        _log.Scalar("grad_norm", _trainer.LastGradientNorm, step);
    }

    private void Save((long Epoch, long Position) cursor)
    {
        if (Checkpoint is null || _saves!.LastStarted == _trainer.GlobalStep) return;
        _saves.Started(Checkpoint.SaveInBackground(CheckpointPrefix, cursor));
    }
}
