using System.CommandLine;
using GpuTrain.Examples.Ptb;
using GpuTrain.Logging;
using GpuTrain.Runtime.Checkpointing;
using GpuTrain.Runtime.Data;
using GpuTrain.Runtime.Distributed;
using GpuTrain.Runtime.Optimizers;
using GpuTrain.Runtime.Training;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Cli.Commands;

/// <summary>
/// <c>gputrain train ptb-lstm</c>: TensorFlow's ptb_word_lm (small, medium, large). Without
/// <c>--data</c> it trains on the Brown corpus in PTB format committed under data/ptb-brown; the
/// real PTB folder (simple-examples/data) works unchanged. Under <c>mpirun -np N</c> it trains
/// data-parallel: each rank takes its block of the config's streams and carries their LSTM state; the
/// checkpoint holds every stream's state, gathered (<see cref="RankRows"/>).
/// </summary>
public static class TrainPtbCommand
{
    /// <summary>The model's name on the command line.</summary>
    public const string Name = "ptb-lstm";

    /// <summary>Creates the subcommand.</summary>
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "a folder with ptb.{train,valid,test}.txt[.gz]; default: the repository's data/ptb-brown" };
        var config = new Option<string>("--config") { Description = "small, medium or large (the tutorial's configurations)", DefaultValueFactory = _ => "small" };
        config.AcceptOnlyFromAmong("small", "medium", "large");
        var epochs = new Option<int?>("--epochs") { Description = "train this many epochs (default: the config's max_max_epoch)" };
        var maxSteps = new Option<long?>("--max-steps") { Description = "stop at this global step (quick runs); valid and test perplexity are still reported" };
        var run = new RunOptions(defaultSaveEvery: 1000, defaultHistogramEvery: 500);
        var command = new Command(Name, "Train the PTB word-level LSTM language model and report valid and test perplexity.")
        {
            data, config, epochs, maxSteps,
        };
        run.AddTo(command);
        command.SetAction(parse =>
        {
            var ptb = PtbConfig.Named(parse.GetValue(config)!);
            int epochCount = parse.GetValue(epochs) ?? ptb.MaxMaxEpoch;
            if (epochCount < 1) throw new ArgumentException($"--epochs must be positive; got {epochCount}");
            long stepLimit = parse.GetValue(maxSteps) ?? long.MaxValue;
            if (stepLimit < 1) throw new ArgumentException($"--max-steps must be positive; got {stepLimit}");
            var settings = run.Read(parse, Name);
            string dir = parse.GetValue(data) ?? RepositoryData.Find("ptb-brown", "ptb.train.txt.gz");
            var corpus = PtbCorpus.Load(dir);

            var world = Communicator.World;
            DataParallel.ShareHostCores(world);
            using var dev = DeviceOption.Open(settings.Device);
            Console.WriteLine($"device: {dev.Info.Describe()}");
            Console.WriteLine($"data: {dir}: vocabulary {corpus.Vocabulary.Count}, {corpus.Train.Length} train, {corpus.Valid.Length} valid, {corpus.Test.Length} test words");
            using var model = new LstmLanguageModel(dev, ptb, corpus.Vocabulary.Count, settings.Seed);
            var stream = new PtbBatchStream(new PtbBatches(corpus.Train, ptb.BatchSize, ptb.NumSteps, "train"));
            if (ptb.BatchSize % world.Size != 0)
                throw new ArgumentException($"--config {ptb.Name}: its {ptb.BatchSize} streams do not split evenly over {world.Size} ranks; run a number of ranks that divides {ptb.BatchSize}");
            var batches = world.IsDistributed ? RankShare.Of(stream, world) : (IBatchSource<SequenceBatch>)stream;
            int rankStreams = ptb.BatchSize / world.Size;
            long epochSize = stream.Batches.EpochSize;
            using var graph = new LstmUnroll(model, rankStreams, ptb.NumSteps, trainable: true);
            using var sgd = new Sgd(new PtbLearningRate(ptb, epochSize));
            using var clipping = new GlobalNormClipping(dev, ptb.MaxGradNorm);
            var trainer = new Trainer<SequenceBatch>(graph, sgd, settings.Seed, clipping);
            using var parallel = DataParallel.Start(world, trainer, rankStreams);
            if (world.IsDistributed)
                Console.WriteLine($"data-parallel: {world.Description}; {rankStreams} of every {ptb.BatchSize} streams per rank, {DataParallel.HostCores} host cores each");
            IHostState carried = world.IsDistributed ? new RankRows(graph, world) : graph;
            using var checkpoint = new Checkpoint(trainer, [batches, carried], settings.Saver, world);
            settings.ResumeOrRefuse(directory => checkpoint.RestoreLatest(directory, RunSettings.ReportResume) is { } restored
                ? RestoredOnEveryRank.Verified(parallel, restored) : null, () => trainer.GlobalStep);
            Console.WriteLine($"config {ptb.Name}: {ptb.NumLayers} x {ptb.HiddenSize} units, {ptb.BatchSize} x {ptb.NumSteps} per batch, {epochSize} batches per epoch");

            // Rank 0 alone logs, prints and evaluates; every rank takes part in the loss mean and the saves.
            using var log = world.IsRoot ? new SummaryWriter(settings.LogDir) : null;
            using var report = world.IsRoot ? new PtbEpochReport(model, stream, corpus) : null;
            var progress = ConsoleProgress.ForConsole();
            var loop = new TrainingLoop<SequenceBatch>(trainer, batches) { Report = progress.Message, Phases = progress.Phase };
            if (world.IsDistributed) loop.Observers.Add(new RankMeanLoss(world));
            if (log is not null && report is not null)
            {
                loop.Observers.AddRange([
                    new ProgressObserver(progress),
                    report,
                    new TensorBoardObserver(log)
                    {
                        Graph = LanguageModelGraph.Of(model),
                        ScalarEvery = 10,
                        Scalars =
                        [
                            new("train/cost", run => run.Loss),
                            new("train/perplexity", run => MathF.Exp(run.Loss / ptb.NumSteps)),
                            StepScalar.LearningRate,
                            new("grad_norm", _ => clipping.LastNorm),
                        ],
                        HistogramEvery = settings.HistogramEvery,
                    },
                ]);
            }
            loop.Observers.Add(new CheckpointObserver(checkpoint, settings.CheckpointPrefix, settings.SaveEvery, log) { SaveAtEpochEnd = true });
            var result = loop.Run(Math.Min(stepLimit, epochCount * epochSize));
            if (parallel.ExchangeReport() is { } exchange) Console.WriteLine(exchange);
            if (!world.IsRoot) return 0;
            var valid = (double[])result.Results["valid_perplexities"];
            Console.WriteLine(DoneLine.Of(result,
                $"final cost {result.FinalLoss:F3}, valid perplexity {(valid.Length > 0 ? valid[^1] : double.NaN):F3}, " +
                $"test perplexity {result.Result("test_perplexity"):F3}, {result.Result("words_per_second"):F0} words/s, {result.MeanStepMs:F1} ms/step"));
            if (settings.SummaryJson is { } path) File.WriteAllText(path, result.ToJson() + Environment.NewLine);
            return 0;
        });
        return command;
    }
}
