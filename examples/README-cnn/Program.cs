using GpuTrain.Logging;
using GpuTrain.Runtime.Checkpointing;
using GpuTrain.Runtime.Data;
using GpuTrain.Runtime.Devices;
using GpuTrain.Runtime.Layers;
using GpuTrain.Runtime.Losses;
using GpuTrain.Runtime.Models;
using GpuTrain.Runtime.Optimizers;
using GpuTrain.Runtime.Training;

// dotnet run -- DIGITS_DIR RUN_DIR [STEPS]: e.g. the checkout's data/digits20 and runs/my-cnn
string runDir = args[1];
int steps = args.Length > 2 ? int.Parse(args[2]) : 300;
var digits = MnistData.LoadDigits20(args[0]);                // 4,500 train and 500 held-out 28x28 digits

using var device = Device.Open("auto");                      // CUDA, else an OpenCL GPU, else CPU
using var model = new Sequential(device, inputShape: [28, 28, 1], seed: 1,
    new Conv2D(16, 3, Padding.Same), new ReLU(), new MaxPool2D(2),
    new Flatten(), new Dense(64), new ReLU(), new Dropout(0.5f), new Dense(10));
using var adam = new Adam(1e-3f);
using var trainer = new Trainer(model, new SoftmaxCrossEntropy(), adam);
var batches = new ShuffledBatcher(digits.Train, batchSize: 50, shuffleSeed: 1);
using var checkpoint = new Checkpoint(trainer, [batches]);   // parameters, Adam's slots, global_step, cursor
using var log = new SummaryWriter(Path.Combine(runDir, "logs")); // tensorboard --logdir RUN_DIR/logs

var losses = new LossHistory();
var loop = new TrainingLoop<LabeledBatch>(trainer, batches);
loop.Observers.AddRange([
    losses,
    new TensorBoardObserver(log) { Graph = ModelGraph.Of(model) },
    new CheckpointObserver(checkpoint, Path.Combine(runDir, "model.ckpt"), saveEvery: 100, log),
    new AccuracyEvaluation(model, digits.Test, every: 100, batch: 50),
]);
var summary = loop.Run(steps);
Console.WriteLine($"loss: first 10 steps {losses.Mean(0, 10):F4}, last 10 steps {losses.Mean(steps - 10, steps):F4}");
Console.WriteLine($"held-out accuracy: {summary.Result("eval_accuracy"):P1}");
Console.WriteLine($"checkpoint: {summary.LatestCheckpoint}");

/// <summary>Every step's training loss, to see it fall.</summary>
sealed class LossHistory : ITrainingObserver
{
    private readonly List<float> _losses = [];

    public void OnStep(TrainingRun run) => _losses.Add(run.Loss);

    public double Mean(int from, int to) => _losses[from..to].Average();
}
