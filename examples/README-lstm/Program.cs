using System.IO.Compression;
using GpuTrain.Logging;
using GpuTrain.Runtime.Checkpointing;
using GpuTrain.Runtime.Data;
using GpuTrain.Runtime.Layers;
using GpuTrain.Runtime.Losses;
using GpuTrain.Runtime.Models;
using GpuTrain.Runtime.Optimizers;
using GpuTrain.Runtime.Tensors;
using GpuTrain.Runtime.Training;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

// dotnet run -- TEXT.gz RUN_DIR [STEPS]: e.g. the checkout's data/ptb-brown/ptb.train.txt.gz and runs/my-lstm
string runDir = args[1];
int steps = args.Length > 2 ? int.Parse(args[2]) : 300;
using var reader = new StreamReader(new GZipStream(File.OpenRead(args[0]), CompressionMode.Decompress));
string text = reader.ReadToEnd()[..1_100_000];
char[] alphabet = [.. text.Distinct().Order()];              // a character-level model: ids are characters
int[] ids = [.. text.Select(c => Array.BinarySearch(alphabet, c))];
const int Streams = 32, Unroll = 32;                         // 32 streams of the text, 32 characters per step
var batches = new PtbBatchStream(new PtbBatches(ids[..1_000_000], Streams, Unroll));
var heldOut = new PtbBatchStream(new PtbBatches(ids[1_000_000..], Streams, Unroll));

using var device = Device.Open("auto");
Sequential Network(ulong seed)
{
    var net = new Sequential(device, inputShape: [alphabet.Length], seed,
        new Lstm(128, forgetBias: 1f), new Dense(alphabet.Length)); // Dense applies to every time step
    net.Plan(Streams, Unroll);                               // time-major rows: step t, stream s is row t·Streams + s
    return net;
}
using var net = Network(seed: 1);
using var loss = new SequenceSoftmaxCrossEntropy(device, Streams, Unroll, alphabet.Length);
using var adam = new Adam(3e-3f);
var trainer = new Trainer<SequenceBatch>(new CharModel(net, loss), adam);
using var checkpoint = new Checkpoint(trainer, [batches]);
using var log = new SummaryWriter(Path.Combine(runDir, "logs"));

var losses = new LossHistory();
var loop = new TrainingLoop<SequenceBatch>(trainer, batches);
loop.Observers.AddRange([losses, new TensorBoardObserver(log),
    new CheckpointObserver(checkpoint, Path.Combine(runDir, "model.ckpt"), saveEvery: 100, log)]);
var summary = loop.Run(steps);
double first = losses.Mean(0, 10) / Unroll, last = losses.Mean(steps - 10, steps) / Unroll; // the loss sums the steps
Console.WriteLine($"loss per character: first 10 steps {first:F4}, last 10 steps {last:F4}");
Console.WriteLine($"checkpoint: {summary.LatestCheckpoint}");

using var fresh = Network(seed: 2);                          // restored from the checkpoint, scored on held-out text
Checkpoint.RestoreParameters(summary.LatestCheckpoint!, fresh.Parameters);
var restored = new CharModel(fresh, loss);
double heldOutLoss = Enumerable.Range(0, 20).Average(_ => restored.Loss(heldOut.Next(), new PassContext(false, 1, 0))) / Unroll;
Console.WriteLine($"restored model: held-out perplexity per character {Math.Exp(heldOutLoss):F2}");

/// <summary>One-hot characters in, the sequence loss out: a language model the trainer can step.</summary>
sealed class CharModel(Sequential net, SequenceSoftmaxCrossEntropy loss) : ITrainable<SequenceBatch>
{
    private readonly float[] _oneHot = new float[net.Rows * net.InputShape[0]];
    private readonly int[] _targets = new int[net.Rows];

    public Device Device => net.Device;
    public ParameterArena Parameters => net.Parameters;
    public ParameterArena? Gradients => net.Gradients;

    public float ComputeGradients(SequenceBatch batch, PassContext pass)
    {
        float value = Loss(batch, pass);
        loss.Backward().CopyTo(net.OutputGrad);
        net.Backward(pass);
        return value;
    }

    public float Loss(SequenceBatch batch, PassContext pass)
    {
        if (batch.StartsEpoch) ((Lstm)net.Layers[0]).ResetState();
        Array.Clear(_oneHot);
        ReadOnlySpan<int> inputs = batch.Inputs.Span, targets = batch.Targets.Span; // [stream, step]: make them time-major
        for (int s = 0; s < net.Batch; s++)
            for (int t = 0; t < net.Steps; t++)
            {
                int row = t * net.Batch + s;
                _oneHot[row * net.InputShape[0] + inputs[s * net.Steps + t]] = 1f;
                _targets[row] = targets[s * net.Steps + t];
            }
        net.Input.CopyFromCPU(_oneHot);
        net.Forward(pass);
        return loss.Forward(net.Output, _targets);
    }
}

/// <summary>Every step's training loss, to see it fall.</summary>
sealed class LossHistory : ITrainingObserver
{
    private readonly List<float> _losses = [];

    public void OnStep(TrainingRun run) => _losses.Add(run.Loss);

    public double Mean(int from, int to) => _losses[from..to].Average();
}
