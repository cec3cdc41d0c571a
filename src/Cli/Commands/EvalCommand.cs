using System.CommandLine;
using GpuTrain.Persistence.Inspection;
using GpuTrain.Persistence.Variables;
using GpuTrain.Runtime.Checkpointing;
using GpuTrain.Runtime.Models;
using GpuTrain.Runtime.Training;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Cli.Commands;

/// <summary>
/// <c>gputrain eval mnist-cnn|mnist-mlp --checkpoint PATH [--data DIR]</c>: restores a trained
/// model's parameters from a checkpoint (a prefix, or a folder whose latest checkpoint is taken)
/// and reports its accuracy on the test set of the data (default: the repository's digits20).
/// </summary>
public static class EvalCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "mnist-cnn or mnist-mlp" };
        model.AcceptOnlyFromAmong(TrainMnistCommand.Cnn.Name, TrainMnistCommand.Mlp.Name);
        var checkpoint = new Option<string>("--checkpoint")
        {
            Description = "a checkpoint prefix (runs/X/model.ckpt-1500) or a folder (its latest checkpoint)",
            Required = true,
        };
        var data = new Option<string?>("--data") { Description = "an MNIST-style or digits20 directory; default: the repository's data/digits20" };
        var batchSize = new Option<int>("--batch-size") { Description = "examples per forward pass", DefaultValueFactory = _ => 100 };
        var device = DeviceOption.Create();
        var command = new Command("eval", "Evaluate a trained model's accuracy on the test set.") { model, checkpoint, data, batchSize, device };
        command.SetAction(parse =>
        {
            int batch = parse.GetValue(batchSize);
            if (batch < 1) throw new ArgumentException($"--batch-size must be positive; got {batch}");
            string prefix = CheckpointInspector.ResolvePrefix(parse.GetValue(checkpoint)!);
            var split = DataDirectory.LoadDigits(parse.GetValue(data));
            using var dev = Device.Open(parse.GetValue(device)!);
            Console.WriteLine($"device: {dev.Info.Describe()}");
            using var net = parse.GetValue(model) == TrainMnistCommand.Cnn.Name ? DeepMnistCnn.Create(dev) : MnistMlp.Create(dev);
            CheckpointRestorer.Restore(prefix, ArenaVariables.Of(net.Parameters).ToDictionary(v => v.Name));
            net.Plan(batch);
            double accuracy = ClassifierEvaluation.Accuracy(net, split.Test.Pixels, split.Test.Labels);
            Console.WriteLine($"{prefix}: accuracy {accuracy:P2} on {split.Test.Count} examples ({split.Test.Name})");
            return 0;
        });
        return command;
    }
}
