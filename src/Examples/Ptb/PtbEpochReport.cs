using System.Diagnostics;
using System.Globalization;
using GpuTrain.Runtime.Data;
using GpuTrain.Runtime.Training;

namespace GpuTrain.Examples.Ptb;

/// <summary>
/// The ptb_word_lm tutorial's reporting, as an observer of the training loop: the learning rate at the
/// start of each epoch, perplexity and words per second every tenth of an epoch, validation
/// perplexity after each epoch (and after a partial last one) and test perplexity (batch 1, one step,
/// as eval_config) at the end. The summary gets <c>valid_perplexities</c>, <c>test_perplexity</c>,
/// <c>train_perplexity</c> and <c>words_per_second</c>; TensorBoard gets <c>valid/perplexity</c> and
/// <c>test/perplexity</c>.
/// </summary>
public sealed class PtbEpochReport : ITrainingObserver, IDisposable
{
    private readonly LstmLanguageModel _model;
    private readonly PtbBatchStream _train;
    private readonly PtbBatches _valid;
    private readonly int[] _test;
    private readonly LstmUnroll _validGraph;
    private readonly List<double> _validPerplexities = [];
    private readonly Stopwatch _epochTime = new();
    private double _costs, _trainSeconds, _trainPerplexity = double.NaN;
    private long _iters, _words, _lastEpochEnd = -1;

    /// <summary>Reports on <paramref name="model"/> trained on <paramref name="train"/>, evaluated on the corpus's valid and test words.</summary>
    public PtbEpochReport(LstmLanguageModel model, PtbBatchStream train, PtbCorpus corpus)
    {
        var config = model.Config;
        _model = model;
        _train = train;
        _valid = new PtbBatches(corpus.Valid, config.BatchSize, config.NumSteps, "valid");
        _test = corpus.Test;
        _validGraph = new LstmUnroll(model, config.BatchSize, config.NumSteps, trainable: false);
    }

    /// <inheritdoc />
    public void OnEpochStart(TrainingRun run)
    {
        float rate = run.Trainer.Optimizer.LearningRate.At(run.GlobalStep);
        run.Report(string.Create(CultureInfo.InvariantCulture, $"epoch {run.Epoch + 1}: learning rate {rate:G4}"));
        _costs = 0;
        _iters = 0;
        _epochTime.Restart();
    }

    /// <inheritdoc />
    public void OnStep(TrainingRun run)
    {
        int steps = _model.Config.NumSteps, epochSize = _train.Batches.EpochSize;
        _costs += run.Loss;
        _iters += steps;
        _words += (long)steps * _model.Config.BatchSize;
        long done = _train.Epoch != run.Epoch ? epochSize : _train.Position;
        if (done % Math.Max(1, epochSize / 10) == 0)
            run.Report(string.Create(CultureInfo.InvariantCulture,
                $"{(double)done / epochSize:F3} perplexity: {Math.Exp(_costs / _iters):F3} " +
                $"speed: {_iters * _model.Config.BatchSize / _epochTime.Elapsed.TotalSeconds:F0} wps"));
    }

    /// <inheritdoc />
    public void OnEpochEnd(TrainingRun run)
    {
        _lastEpochEnd = run.GlobalStep;
        double valid = EndEpoch(run);
        run.Report(string.Create(CultureInfo.InvariantCulture,
            $"epoch {run.Epoch + 1}: train perplexity {_trainPerplexity:F3}, valid perplexity {valid:F3}"));
    }

    /// <inheritdoc />
    public void OnFinish(TrainingRun run)
    {
        if (run.StepsTaken > 0 && _lastEpochEnd != run.GlobalStep)
        {
            // A run cut short mid-epoch still reports validation perplexity.
            double valid = EndEpoch(run);
            run.Report(string.Create(CultureInfo.InvariantCulture,
                $"step {run.GlobalStep} (epoch {run.Epoch + 1} partial): train perplexity {_trainPerplexity:F3}, valid perplexity {valid:F3}"));
        }
        double test = LstmEvaluation.TestPerplexity(_model, _test, run.Phase("test perplexity (batch 1)"));
        run.Scalar("test/perplexity", test);
        run.Report(string.Create(CultureInfo.InvariantCulture, $"test perplexity {test:F3}"));
        run.Results["config"] = _model.Config.Name;
        run.Results["train_perplexity"] = _trainPerplexity;
        run.Results["valid_perplexities"] = _validPerplexities.ToArray();
        run.Results["test_perplexity"] = test;
        run.Results["words_per_second"] = _trainSeconds > 0 ? _words / _trainSeconds : 0;
    }

    private double EndEpoch(TrainingRun run)
    {
        _trainSeconds += _epochTime.Elapsed.TotalSeconds;
        _trainPerplexity = Math.Exp(_costs / Math.Max(_iters, 1));
        double valid = LstmEvaluation.Perplexity(_validGraph, _valid, run.Phase("valid perplexity"));
        _validPerplexities.Add(valid);
        run.Scalar("valid/perplexity", valid);
        return valid;
    }

    /// <inheritdoc />
    public void Dispose() => _validGraph.Dispose();
}
