using System.CommandLine;
using GpuTrain.Logging;
using GpuTrain.Persistence.Saving;
using GpuTrain.Runtime.Checkpointing;
using GpuTrain.Runtime.Data;
using GpuTrain.Runtime.Losses;
using GpuTrain.Runtime.Models;
using GpuTrain.Runtime.Optimizers;
using GpuTrain.Runtime.Training;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Cli.Commands;

/// <summary>
/// <c>gputrain train mnist-cnn</c>: trains the Deep MNIST CNN. Without <c>--data</c> it uses the
/// digits committed under data/digits20 (4,500 to train, 500 held out), so the command works from a
/// fresh clone with no download.
/// </summary>
public static class TrainCommand
{
    /// <summary>Steps of a default mnist-cnn run.</summary>
    public const int DefaultCnnSteps = 600;

    /// <summary>Steps of a default mnist-mlp run: about 95% on the digits20 held-out set in two minutes on the CPU accelerator.</summary>
    public const int DefaultMlpSteps = 1500;

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "the model to train: mnist-cnn (the Deep MNIST CNN) or mnist-mlp (the fully_connected_feed MLP)" };
        model.AcceptOnlyFromAmong("mnist-cnn", "mnist-mlp");
        var data = new Option<string?>("--data")
        {
            Description = "an MNIST-style directory (train-images-idx3-ubyte[.gz], ...) or one with digits20-*; default: the repository's data/digits20",
        };
        var device = DeviceOption.Create();
        var steps = new Option<int?>("--steps") { Description = $"train to this global step (default {DefaultCnnSteps} for mnist-cnn, {DefaultMlpSteps} for mnist-mlp)" };
        var batchSize = new Option<int>("--batch-size") { Description = "examples per step", DefaultValueFactory = _ => DeepMnistCnn.BatchSize };
        var learningRate = new Option<float?>("--learning-rate") { Description = $"Adam's learning rate (default {DeepMnistCnn.LearningRate} for mnist-cnn, {MnistMlp.LearningRate} for mnist-mlp)" };
        var seed = new Option<ulong>("--seed") { Description = "seed of initialization, shuffling and dropout", DefaultValueFactory = _ => 1UL };
        var evalEvery = new Option<int>("--eval-every") { Description = "evaluate on the held-out set every N steps (0: only at the end)", DefaultValueFactory = _ => 200 };
        var summaryJson = new Option<string?>("--summary-json") { Description = "write steps, final loss, accuracy, examples/s and mean step ms to this JSON file" };
        var logdir = new Option<string?>("--logdir") { Description = "TensorBoard log folder (default: a new runs/mnist-cnn-DATE-TIME)" };
        var checkpointDir = new Option<string?>("--checkpoint-dir") { Description = "checkpoint folder (default: the log folder)" };
        var saveEvery = new Option<int>("--save-every") { Description = "save a checkpoint every N steps (0: only at the end)", DefaultValueFactory = _ => 200 };
        var maxToKeep = new Option<int>("--max-to-keep") { Description = "checkpoints to keep (older ones are deleted)", DefaultValueFactory = _ => 5 };
        var keepEveryHours = new Option<double>("--keep-every-hours") { Description = "also keep one checkpoint every H hours", DefaultValueFactory = _ => 10000.0 };
        var shards = new Option<int>("--shards") { Description = "data shards per checkpoint", DefaultValueFactory = _ => 1 };
        var resume = new Option<bool>("--resume") { Description = "continue from the latest checkpoint of --checkpoint-dir (default: the newest run of this model)" };
        var histogramEvery = new Option<int>("--histogram-every") { Description = "log weight and gradient histograms every N steps (0: never)", DefaultValueFactory = _ => 100 };

        var command = new Command("train", "Train a model on digit images, with TensorBoard logs and checkpoints, and report held-out accuracy.")
        {
            model, data, device, steps, batchSize, learningRate, seed, evalEvery, summaryJson,
            logdir, checkpointDir, saveEvery, maxToKeep, keepEveryHours, shards, resume, histogramEvery,
        };
        command.SetAction(parse =>
        {
            int batch = parse.GetValue(batchSize);
            if (batch < 1) throw new ArgumentException($"--batch-size must be positive; got {batch}");
            string modelName = parse.GetValue(model)!;
            bool cnn = modelName == "mnist-cnn";
            float lr = parse.GetValue(learningRate) ?? (cnn ? DeepMnistCnn.LearningRate : MnistMlp.LearningRate);
            if (!(lr > 0f)) throw new ArgumentException($"--learning-rate must be positive; got {lr}");
            ulong runSeed = parse.GetValue(seed);
            var split = DataDirectory.LoadDigits(parse.GetValue(data));

            using var dev = Device.Open(parse.GetValue(device)!);
            Console.WriteLine($"device: {dev.Info.Describe()}");
            Console.WriteLine($"data: {split.Train.Name} ({split.Train.Count} train), {split.Test.Name} ({split.Test.Count} held out)");
            using var net = cnn ? DeepMnistCnn.Create(dev, runSeed) : MnistMlp.Create(dev, runSeed);
            using var adam = new Adam(lr);
            using var trainer = new Trainer(net, new SoftmaxCrossEntropy(), adam, runSeed);
            var batches = new ShuffledBatcher(split.Train, batch, runSeed);

            var (logDir, ckptDir) = RunFolders(modelName, parse.GetValue(logdir), parse.GetValue(checkpointDir), parse.GetValue(resume));
            var checkpoint = new TrainingCheckpoint(trainer, batches, new SaverOptions
            {
                MaxToKeep = parse.GetValue(maxToKeep),
                KeepCheckpointEveryNHours = parse.GetValue(keepEveryHours),
                NumShards = parse.GetValue(shards),
            });
            if (parse.GetValue(resume))
            {
                string? restored = Directory.Exists(ckptDir) ? checkpoint.RestoreLatest(ckptDir) : null;
                Console.WriteLine(restored is null
                    ? $"resume: no checkpoint in {ckptDir}; starting fresh"
                    : $"resume: restored {restored} at step {trainer.GlobalStep}");
            }
            else if (Directory.Exists(ckptDir) && Directory.EnumerateFiles(ckptDir, "*.index").Any())
            {
                throw new ArgumentException(
                    $"--checkpoint-dir '{ckptDir}' already holds checkpoints; pass --resume to continue them or choose another folder");
            }
            Console.WriteLine($"logs: {logDir} (tensorboard --logdir {logDir}); checkpoints: {ckptDir}");

            using var log = new SummaryWriter(logDir);
            var summary = TrainingLoop.Run(trainer, batches, split.Test, parse.GetValue(steps) ?? (cnn ? DefaultCnnSteps : DefaultMlpSteps), parse.GetValue(evalEvery),
                ConsoleProgress.ForConsole(),
                new TensorBoardObserver(log, trainer, parse.GetValue(histogramEvery)),
                new CheckpointObserver(checkpoint, Path.Combine(ckptDir, "model.ckpt"), parse.GetValue(saveEvery), log, Console.WriteLine));
            Console.WriteLine(
                $"done: {summary.Steps} steps in {summary.TotalSeconds:F1} s, final loss {summary.FinalLoss:F4}, " +
                $"held-out accuracy {summary.EvalAccuracy:P2}, {summary.ExamplesPerSecond:F0} examples/s, {summary.MeanStepMs:F1} ms/step");
            if (parse.GetValue(summaryJson) is { } path) File.WriteAllText(path, summary.ToJson() + Environment.NewLine);
            return 0;
        });
        return command;
    }

    private static (string LogDir, string CheckpointDir) RunFolders(string model, string? logdir, string? checkpointDir, bool resume)
    {
        string runs = Path.Combine(Directory.GetCurrentDirectory(), "runs");
        string log = logdir ?? checkpointDir
            ?? (resume ? RunDirectory.Newest(runs, model) : null)
            ?? RunDirectory.Fresh(runs, model);
        return (log, checkpointDir ?? log);
    }
}
