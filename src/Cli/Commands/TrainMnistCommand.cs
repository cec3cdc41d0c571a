using System.CommandLine;
using GpuTrain.Examples.Mnist;
using GpuTrain.Logging;
using GpuTrain.Runtime.Checkpointing;
using GpuTrain.Runtime.Data;
using GpuTrain.Runtime.Distributed;
using GpuTrain.Runtime.Losses;
using GpuTrain.Runtime.Models;
using GpuTrain.Runtime.Optimizers;
using GpuTrain.Runtime.Training;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Cli.Commands;

/// <summary>
/// <c>gputrain train mnist-cnn</c> (the Deep MNIST CNN) and <c>train mnist-mlp</c> (the
/// fully_connected_feed MLP). Without <c>--data</c> they use the digits committed under
/// data/digits20 (4,500 to train, 500 held out), so the command works from a fresh clone. Under
/// <c>mpirun -np N</c> they train data-parallel: --batch-size is the global batch, split over the ranks.
/// </summary>
public static class TrainMnistCommand
{
    /// <summary>The Deep MNIST CNN: name, default steps, default learning rate.</summary>
    public static readonly (string Name, int Steps, float LearningRate) Cnn = ("mnist-cnn", 1500, DeepMnistCnn.LearningRate);

    /// <summary>The MLP: about 95% on the digits20 held-out set in two minutes on the CPU accelerator.</summary>
    public static readonly (string Name, int Steps, float LearningRate) Mlp = ("mnist-mlp", 1500, MnistMlp.LearningRate);

    /// <summary>Creates the subcommand for <paramref name="model"/> (<see cref="Cnn"/> or <see cref="Mlp"/>).</summary>
    public static Command Create((string Name, int Steps, float LearningRate) model)
    {
        var data = new Option<string?>("--data")
        {
            Description = "an MNIST-style directory (train-images-idx3-ubyte[.gz], ...) or one with digits20-*; default: the repository's data/digits20",
        };
        var steps = new Option<int>("--steps") { Description = "train to this global step", DefaultValueFactory = _ => model.Steps };
        var batchSize = new Option<int>("--batch-size") { Description = "examples per step", DefaultValueFactory = _ => DeepMnistCnn.BatchSize };
        var learningRate = new Option<float>("--learning-rate") { Description = "Adam's learning rate", DefaultValueFactory = _ => model.LearningRate };
        var evalEvery = new Option<int>("--eval-every") { Description = "evaluate on the held-out set every N steps (0: only at the end)", DefaultValueFactory = _ => 200 };
        var run = new RunOptions(defaultSaveEvery: 200, defaultHistogramEvery: 100);
        string what = model.Name == Cnn.Name ? "the Deep MNIST CNN" : "the fully_connected_feed MLP";
        var command = new Command(model.Name, $"Train {what} on digit images and report held-out accuracy.")
        {
            data, steps, batchSize, learningRate, evalEvery,
        };
        run.AddTo(command);
        command.SetAction(parse =>
        {
            int batch = parse.GetValue(batchSize);
            if (batch < 1) throw new ArgumentException($"--batch-size must be positive; got {batch}");
            float lr = parse.GetValue(learningRate);
            if (!(lr > 0f)) throw new ArgumentException($"--learning-rate must be positive; got {lr}");
            int target = parse.GetValue(steps);
            if (target < 1) throw new ArgumentException($"--steps must be positive; got {target}");
            int evalPeriod = parse.GetValue(evalEvery);
            if (evalPeriod < 0) throw new ArgumentException($"--eval-every must not be negative; got {evalPeriod}");
            var settings = run.Read(parse, model.Name);
            var split = DataDirectory.LoadDigits(parse.GetValue(data));

            var world = Communicator.World;
            DataParallel.ShareHostCores(world);
            using var dev = DeviceOption.Open(settings.Device);
            Console.WriteLine($"device: {dev.Info.Describe()}");
            Console.WriteLine($"data: {split.Train.Name} ({split.Train.Count} train), {split.Test.Name} ({split.Test.Count} held out)");
            using var net = model.Name == Cnn.Name ? DeepMnistCnn.Create(dev, settings.Seed) : MnistMlp.Create(dev, settings.Seed);
            using var adam = new Adam(lr);
            using var trainer = new Trainer(net, new SoftmaxCrossEntropy(), adam, settings.Seed);
            var global = new ShuffledBatcher(split.Train, batch, settings.Seed);
            var batches = world.IsDistributed ? RankShare.Of(global, world) : (IBatchSource<LabeledBatch>)global;
            using var parallel = DataParallel.Start(world, trainer, batches is RankShare<LabeledBatch> share ? share.RankBatch : batch);
            if (world.IsDistributed)
                Console.WriteLine($"data-parallel: {world.Description}; {batch / world.Size} of every {batch} examples per rank, {DataParallel.HostCores} host cores each");
            using var checkpoint = new Checkpoint(trainer, [batches], settings.Saver, world);
            settings.ResumeOrRefuse(dir => checkpoint.RestoreLatest(dir, RunSettings.ReportResume) is { } restored
                ? RestoredOnEveryRank.Verified(parallel, restored) : null, () => trainer.GlobalStep);

            // Rank 0 alone logs, prints and evaluates; every rank takes part in the loss mean and the saves.
            using var log = world.IsRoot ? new SummaryWriter(settings.LogDir) : null;
            var progress = ConsoleProgress.ForConsole();
            var loop = new TrainingLoop<LabeledBatch>(trainer, batches) { Report = progress.Message, Phases = progress.Phase };
            if (world.IsDistributed) loop.Observers.Add(new RankMeanLoss(world));
            if (log is not null)
            {
                loop.Observers.AddRange([
                    new ProgressObserver(progress),
                    new TensorBoardObserver(log) { Graph = ModelGraph.Of(net), HistogramEvery = settings.HistogramEvery },
                ]);
            }
            loop.Observers.Add(new CheckpointObserver(checkpoint, settings.CheckpointPrefix, settings.SaveEvery, log));
            if (world.IsRoot) loop.Observers.Add(new AccuracyEvaluation(net, split.Test, evalPeriod, batch));
            var summary = loop.Run(target);
            if (parallel.ExchangeReport() is { } exchange) Console.WriteLine(exchange);
            Console.WriteLine(DoneLine.Of(summary,
                $"final loss {summary.FinalLoss:F4}, held-out accuracy {summary.Result("eval_accuracy"):P2}, " +
                $"{summary.ExamplesPerSecond:F0} examples/s, {summary.MeanStepMs:F1} ms/step"));
            if (world.IsRoot && settings.SummaryJson is { } path) File.WriteAllText(path, summary.ToJson() + Environment.NewLine);
            return 0;
        });
        return command;
    }
}
