using System.CommandLine;
using GpuTrain.Examples.Word2Vec;
using GpuTrain.Logging;
using GpuTrain.Runtime.Checkpointing;
using GpuTrain.Runtime.Distributed;
using GpuTrain.Runtime.Losses;
using GpuTrain.Runtime.Optimizers;
using GpuTrain.Runtime.Text;
using GpuTrain.Runtime.Training;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Cli.Commands;

/// <summary>
/// <c>gputrain train word2vec</c>: TensorFlow's word2vec_basic tutorial (skip-gram, NCE with the
/// log-uniform sampler, SGD at 1.0). Without <c>--data</c> it trains on the public-domain text8-style
/// corpus committed under data/text8; the log folder gets TensorBoard's projector files. Under
/// <c>mpirun -np N</c> it trains data-parallel: --batch-size is the global batch, split over the ranks,
/// whose row gradients are gathered (<see cref="GatheredRowGradients"/>).
/// </summary>
public static class TrainWord2VecCommand
{
    private const string BundledCorpus = "text8-pd-debian-only.gz";

    /// <summary>Creates the subcommand.</summary>
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = $"a text8 file (one line of lowercase words, plain or .gz); default: the repository's data/text8/{BundledCorpus}" };
        var vocabSize = new Option<int>("--vocab-size") { Description = "words kept (the rest become UNK)", DefaultValueFactory = _ => 50000 };
        var embeddingSize = new Option<int>("--embedding-size") { Description = "embedding width", DefaultValueFactory = _ => 128 };
        var batchSize = new Option<int>("--batch-size") { Description = "(centre, context) pairs per step", DefaultValueFactory = _ => 128 };
        var numSampled = new Option<int>("--num-sampled") { Description = "candidates per step, shared by the batch", DefaultValueFactory = _ => 64 };
        var skipWindow = new Option<int>("--skip-window") { Description = "words considered left and right", DefaultValueFactory = _ => 1 };
        var numSkips = new Option<int>("--num-skips") { Description = "context words drawn per centre word", DefaultValueFactory = _ => 2 };
        var steps = new Option<int>("--steps") { Description = "train to this global step", DefaultValueFactory = _ => 100000 };
        var learningRate = new Option<float>("--learning-rate") { Description = "SGD's learning rate", DefaultValueFactory = _ => 1f };
        var negative = new Option<bool>("--negative-sampling") { Description = "plain negative sampling: no log-expected-count correction of the logits" };
        var withReplacement = new Option<bool>("--sample-with-replacement") { Description = "candidates may repeat (TF's unique=False)" };
        var removeHits = new Option<bool>("--remove-accidental-hits") { Description = "drop a candidate that equals the example's label" };
        var reportEvery = new Option<int>("--report-every") { Description = "print the average loss every N steps", DefaultValueFactory = _ => 2000 };
        var evalEvery = new Option<int>("--eval-every") { Description = "print nearest words every N steps (0: only at the end)", DefaultValueFactory = _ => 10000 };
        var probes = new Option<string>("--probes") { Description = "comma-separated words whose nearest words are printed", DefaultValueFactory = _ => "one,two,three,four,five,king,water,house" };
        var run = new RunOptions(defaultSaveEvery: 10000, defaultHistogramEvery: 10000);
        var command = new Command("word2vec", "Train skip-gram word embeddings with NCE (TensorFlow's word2vec_basic) and print nearest words.")
        {
            data, vocabSize, embeddingSize, batchSize, numSampled, skipWindow, numSkips, steps, learningRate,
            negative, withReplacement, removeHits, reportEvery, evalEvery, probes,
        };
        run.AddTo(command);
        command.SetAction(parse =>
        {
            int target = parse.GetValue(steps);
            if (target < 1) throw new ArgumentException($"--steps must be positive; got {target}");
            int reportPeriod = parse.GetValue(reportEvery), evalPeriod = parse.GetValue(evalEvery);
            if (reportPeriod < 1) throw new ArgumentException($"--report-every must be positive; got {reportPeriod}");
            if (evalPeriod < 0) throw new ArgumentException($"--eval-every must not be negative; got {evalPeriod}");
            float lr = parse.GetValue(learningRate);
            if (!(lr > 0f) || !float.IsFinite(lr)) throw new ArgumentException($"--learning-rate must be positive; got {lr}");
            var settings = run.Read(parse, "word2vec");
            string[] probeWords = parse.GetValue(probes)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            string path = parse.GetValue(data) ?? Path.Combine(RepositoryData.Find("text8", BundledCorpus), BundledCorpus);
            var corpus = Text8Corpus.Load(path, ConsoleProgress.ForConsole().Phase($"reading {Path.GetFileName(path)} (bytes)"));
            var (vocabulary, ids) = Vocabulary.Build(corpus, parse.GetValue(vocabSize));
            Console.WriteLine($"data: {corpus}; vocabulary {vocabulary.Size} words, UNK replaces {vocabulary.Counts[0]}");
            // The default probes are examples (a small vocabulary may lack some); words the user typed must exist.
            if (parse.GetResult(probes) is { Implicit: false } && probeWords.FirstOrDefault(w => vocabulary.IdOf(w) is null) is { } unknown)
                throw new ArgumentException($"--probes: '{unknown}' is not in the vocabulary ({vocabulary.Size} most frequent words of {path})");
            var global = new SkipGramBatcher(ids, parse.GetValue(batchSize), parse.GetValue(numSkips), parse.GetValue(skipWindow), settings.Seed);
            var world = Communicator.World;
            var batches = world.IsDistributed ? RankShare.Of(global, world) : (IBatchSource<WordPairBatch>)global;
            int rankBatch = global.BatchSize / world.Size;
            var options = new NceOptions
            {
                NumSampled = parse.GetValue(numSampled),
                Unique = !parse.GetValue(withReplacement),
                SubtractLogExpectedCount = !parse.GetValue(negative),
                RemoveAccidentalHits = parse.GetValue(removeHits),
            };

            DataParallel.ShareHostCores(world);
            using var dev = DeviceOption.Open(settings.Device);
            Console.WriteLine($"device: {dev.Info.Describe()}");
            using var model = new SkipGramNce(dev, vocabulary.Size, parse.GetValue(embeddingSize), rankBatch, options, settings.Seed);
            using var sgd = new RowSparseSgd(lr);
            var trainer = new Trainer<WordPairBatch>(model, sgd, settings.Seed);
            using var parallel = DataParallel.Start(world, trainer, rankBatch);
            if (world.IsDistributed)
                Console.WriteLine($"data-parallel: {world.Description}; {rankBatch} of every {global.BatchSize} pairs per rank, row gradients gathered, {DataParallel.HostCores} host cores each");
            using var checkpoint = new Checkpoint(trainer, [batches], settings.Saver, world);
            settings.ResumeOrRefuse(dir => checkpoint.RestoreLatest(dir, RunSettings.ReportResume) is { } restored
                ? RestoredOnEveryRank.Verified(parallel, restored) : null, () => trainer.GlobalStep);
            if (world.IsRoot)
            {
                ProjectorFiles.Write(settings.LogDir, model.Embeddings.Name, vocabulary, settings.CheckpointDir);
                Directory.CreateDirectory(settings.CheckpointDir);
                vocabulary.WriteMetadata(Path.Combine(settings.CheckpointDir, ProjectorFiles.MetadataName));
            }

            // Rank 0 alone logs, prints and reports; every rank takes part in the loss mean and the saves.
            using var log = world.IsRoot ? new SummaryWriter(settings.LogDir) : null;
            var progress = ConsoleProgress.ForConsole();
            var loop = new TrainingLoop<WordPairBatch>(trainer, batches) { Report = progress.Message, Phases = progress.Phase };
            if (world.IsDistributed) loop.Observers.Add(new RankMeanLoss(world));
            if (log is not null)
            {
                loop.Observers.AddRange([
                    new ProgressObserver(progress),
                    new TensorBoardObserver(log) { Graph = SkipGramGraph.Of(model), Scalars = [StepScalar.Loss], HistogramEvery = settings.HistogramEvery },
                    new SkipGramReport(model, vocabulary) { ReportEvery = reportPeriod, EvalEvery = evalPeriod, Probes = probeWords },
                ]);
            }
            loop.Observers.Add(new CheckpointObserver(checkpoint, settings.CheckpointPrefix, settings.SaveEvery, log));
            var summary = loop.Run(target);
            if (parallel.ExchangeReport() is { } exchange) Console.WriteLine(exchange);
            Console.WriteLine(DoneLine.Of(summary,
                $"average loss {summary.Result("average_loss"):F4}, {summary.StepsPerSecond:F0} steps/s, {summary.MeanStepMs:F2} ms/step; " +
                $"projector files in {settings.LogDir}"));
            if (world.IsRoot && settings.SummaryJson is { } json) File.WriteAllText(json, summary.ToJson() + Environment.NewLine);
            return 0;
        });
        return command;
    }
}
