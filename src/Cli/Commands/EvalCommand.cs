using System.CommandLine;
using GpuTrain.Examples.Mnist;
using GpuTrain.Examples.Ptb;
using GpuTrain.Runtime.Checkpointing;
using GpuTrain.Runtime.Data;
using GpuTrain.Runtime.Models;
using GpuTrain.Runtime.Training;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Cli.Commands;

/// <summary>
/// <c>gputrain eval mnist-cnn|mnist-mlp|ptb-lstm [--checkpoint PATH] [--step N] [--data DIR]</c>: restores a
/// trained model's parameters from a checkpoint (a prefix, or a folder whose latest checkpoint or
/// checkpoint of step N is taken; default: the model's newest run) and reports its accuracy on the test set of the data (default: the repository's digits20),
/// or, for the language model, its valid and test perplexity (default data: data/ptb-brown).
/// </summary>
public static class EvalCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "mnist-cnn, mnist-mlp or ptb-lstm" };
        model.AcceptOnlyFromAmong(TrainMnistCommand.Cnn.Name, TrainMnistCommand.Mlp.Name, TrainPtbCommand.Name);
        var checkpoint = new Option<string?>("--checkpoint")
        {
            Description = "a checkpoint prefix (runs/X/model.ckpt-1500) or a folder (its latest checkpoint); default: the model's newest run under ./runs",
        };
        var step = StepOption.Create();
        var data = new Option<string?>("--data")
        {
            Description = "an MNIST-style or digits20 directory (default: data/digits20), or for ptb-lstm a PTB folder (default: data/ptb-brown)",
        };
        var batchSize = new Option<int>("--batch-size") { Description = "examples per forward pass (MNIST models)", DefaultValueFactory = _ => 100 };
        var config = new Option<string>("--config") { Description = "ptb-lstm: the configuration it was trained with", DefaultValueFactory = _ => "small" };
        config.AcceptOnlyFromAmong("small", "medium", "large");
        var device = DeviceOption.Create();
        var command = new Command("eval", "Evaluate a trained model: accuracy on the test set, or the language model's perplexity.")
        {
            model, checkpoint, step, data, batchSize, config, device,
        };
        command.SetAction(parse =>
        {
            int batch = parse.GetValue(batchSize);
            if (batch < 1) throw new ArgumentException($"--batch-size must be positive; got {batch}");
            string prefix = RunLocator.Checkpoint(parse.GetValue(checkpoint), parse.GetValue(step), parse.GetValue(model)!);
            if (parse.GetValue(model) == TrainPtbCommand.Name)
                return EvaluateLanguageModel(prefix, parse.GetValue(data), PtbConfig.Named(parse.GetValue(config)!), parse.GetValue(device)!);
            var split = DataDirectory.LoadDigits(parse.GetValue(data));
            using var dev = DeviceOption.Open(parse.GetValue(device)!);
            Console.WriteLine($"device: {dev.Info.Describe()}");
            using var net = parse.GetValue(model) == TrainMnistCommand.Cnn.Name ? DeepMnistCnn.Create(dev) : MnistMlp.Create(dev);
            Checkpoint.RestoreParameters(prefix, net.Parameters);
            net.Plan(batch);
            double accuracy = ClassifierEvaluation.Accuracy(net, split.Test.Pixels, split.Test.Labels, progress: ConsoleProgress.ForConsole().Phase("accuracy"));
            Console.WriteLine($"{prefix}: accuracy {accuracy:P2} on {split.Test.Count} examples ({split.Test.Name})");
            return 0;
        });
        return command;
    }

    private static int EvaluateLanguageModel(string prefix, string? data, PtbConfig config, string device)
    {
        string dir = data ?? RepositoryData.Find("ptb-brown", "ptb.train.txt.gz");
        var corpus = PtbCorpus.Load(dir);
        using var dev = DeviceOption.Open(device);
        Console.WriteLine($"device: {dev.Info.Describe()}");
        using var lm = new LstmLanguageModel(dev, config, corpus.Vocabulary.Count, seed: 0);
        Checkpoint.RestoreParameters(prefix, lm.Parameters);
        var progress = ConsoleProgress.ForConsole();
        double valid = LstmEvaluation.ValidPerplexity(lm, corpus.Valid, progress.Phase("valid perplexity"));
        Console.WriteLine($"{prefix}: valid perplexity {valid:F3} ({corpus.Valid.Length} words, {config.BatchSize} x {config.NumSteps} batches)");
        double test = LstmEvaluation.TestPerplexity(lm, corpus.Test, progress.Phase("test perplexity (batch 1)"));
        Console.WriteLine($"{prefix}: test perplexity {test:F3} ({corpus.Test.Length} words, batch 1)");
        return 0;
    }
}
