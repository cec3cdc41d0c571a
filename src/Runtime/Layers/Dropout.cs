using GpuTrain.Runtime.Ops;
using GpuTrain.Runtime.Tensors;
using ILGPU;
using ILGPU.Runtime;

namespace GpuTrain.Runtime.Layers;

/// <summary>
/// Inverted dropout (<c>tf.nn.dropout</c>): in training each element is zeroed with probability
/// <c>rate</c> and the survivors scaled by 1/(1 - rate); in evaluation it is the identity. Masks come
/// from Philox keyed by (run seed, layer, step, element), so a resumed run draws the same masks; the
/// backward pass draws them again, or on host threads reuses the forward pass's draws of the same
/// key (a byte an element), which are the same. The element counter is the element's
/// index in the global batch (for a time-major sequence batch: step t, then the stream's index among
/// the global batch's streams), so data-parallel ranks draw one process's masks.
/// </summary>
public sealed class Dropout : Layer
{
    private readonly float _keepProb;
    private readonly ulong? _maskKey;
    private ModelContext? _model;
    private ulong _layerKey;
    private int _batch;
    // On host threads: the last single-launch draw (its seed, stream, first counter and length), which
    // the backward pass of the same step reuses instead of drawing every element again.
    private byte[]? _kept;
    private (ulong Seed, ulong Stream, ulong First, long Length)? _keptDraw;

    /// <summary>Drops each element with probability <paramref name="rate"/> (TF2's rate; keep_prob = 1 - rate).</summary>
    /// <param name="rate">The probability of dropping an element.</param>
    /// <param name="name">Overrides the automatic name (dropout1, dropout2, ...).</param>
    /// <param name="maskKey">
    /// Keys the masks in place of the name's hash: a hand-composed model numbers its dropout sites so
    /// the masks do not depend on names (sites sharing a key share masks).
    /// </param>
    /// <exception cref="ArgumentException">The rate is not in [0, 1).</exception>
    public Dropout(float rate, string? name = null, ulong? maskKey = null)
        : this(name, maskKey, rate >= 0f && rate < 1f ? 1f - rate : throw new ArgumentException($"dropout rate must be in [0, 1); got {rate}", nameof(rate)))
    {
    }

    private Dropout(string? name, ulong? maskKey, float keepProb) : base(name)
    {
        _keepProb = keepProb;
        _maskKey = maskKey;
    }

    /// <summary>
    /// Keeps each element with probability <paramref name="keepProb"/> (TF1's keep_prob, given as is:
    /// 1 - (1 - 0.35f) is not 0.35f in float); other parameters as the constructor's.
    /// </summary>
    /// <exception cref="ArgumentException">The probability is not in (0, 1].</exception>
    public static Dropout Keeping(float keepProb, string? name = null, ulong? maskKey = null) =>
        keepProb > 0f && keepProb <= 1f ? new(name, maskKey, keepProb)
            : throw new ArgumentException($"keep probability must be in (0, 1]; got {keepProb}", nameof(keepProb));

    /// <summary>The probability of keeping an element.</summary>
    public float KeepProb => _keepProb;

    /// <inheritdoc />
    protected override string NamePrefix => "dropout";

    /// <inheritdoc />
    protected override Shape ComputeOutputShape(Shape input) => input;

    /// <inheritdoc />
    protected internal override void Plan(ModelContext model, int batch)
    {
        _model = model;
        _batch = batch;
        _kept = model.Device.RunsKernelsOnHost ? new byte[batch * InputShape.Size] : null;
        _keptDraw = null;
        // Two dropout layers in one model must not share masks: key them by a hash of the name.
        _layerKey = _maskKey ?? (ulong)(uint)Name.Aggregate(17, (h, ch) => h * 31 + ch) << 32;
    }

    /// <inheritdoc />
    public override void Forward(PassContext pass, ArrayView<float> x, ArrayView<float> y)
    {
        if (pass.Training) Apply(pass, x, y);
        else x.CopyTo(y);
    }

    /// <inheritdoc />
    public override void Backward(PassContext pass, ArrayView<float> x, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx)
    {
        if (dx.Length == 0) return;
        if (pass.Training) Apply(pass, dy, dx);
        else dy.CopyTo(dx);
    }

    private void Apply(PassContext pass, ArrayView<float> input, ArrayView<float> output)
    {
        var device = _model!.Device;
        ulong stream = _layerKey ^ (ulong)pass.Step;
        long width = input.Length / _batch;
        int steps = _model.Steps, streams = _batch / steps;
        int global = pass.GlobalBatch > 0 ? pass.GlobalBatch : streams;
        if (steps == 1 || (global == streams && pass.FirstExample == 0))
        {
            // One launch: the rows are the global batch's from its first example on.
            ulong first = (ulong)(pass.FirstExample * width);
            var draw = (pass.Seed, stream, first, input.Length);
            if (_kept == null) DropoutOps.Apply(device, input, output, pass.Seed, stream, _keepProb, first);
            else if (_keptDraw == draw) DropoutOps.ApplyKept(device, input, output, _kept, _keepProb);
            else
            {
                DropoutOps.Apply(device, input, output, pass.Seed, stream, _keepProb, first, _kept);
                _keptDraw = draw;
            }
            return;
        }
        // A rank's streams are a block within each time step of the global batch: one launch per step.
        long block = streams * width;
        for (int t = 0; t < steps; t++)
        {
            ulong first = (ulong)(((long)t * global + pass.FirstExample) * width);
            DropoutOps.Apply(device, input.SubView(t * block, block), output.SubView(t * block, block), pass.Seed, stream, _keepProb, first);
        }
    }
}
