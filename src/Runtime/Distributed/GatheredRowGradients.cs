using System.Runtime.InteropServices;
using GpuTrain.Kernels;
using GpuTrain.Runtime.Losses;
using GpuTrain.Runtime.Ops;
using GpuTrain.Runtime.Tensors;
using GpuTrain.Runtime.Training;
using ILGPU;
using ILGPU.Runtime;

namespace GpuTrain.Runtime.Distributed;

/// <summary>
/// The data-parallel gradient stage of a model with row-sparse gradients (<see cref="IRowSparseGradients"/>,
/// the sampled NCE): every rank's rows are gathered rather than the tables allreduced densely, which
/// perf/RESULTS.md measured (a dense allreduce moves both whole tables every step, tens of MB, for a step
/// that touches a few hundred rows). Each rank trains on its share b of the global batch B = N x b;
/// the candidates are keyed by the step, so every rank drew the same ones. One MPI_Allgather brings
/// every rank's centre and context ids, label-logit gradients, candidate-logit gradients (b x S) and
/// input-row gradients (b x D) to every rank, in rank order, which is the order of the global batch;
/// one allreduce sums the candidates' weight-row gradients (S x D). Scaled by 1/N (each rank's were
/// of its own batch mean), they are the factored gradients of the global batch, which the loss's
/// gather (rows and duplicate links of the global batch, from tables every rank holds alike) completes;
/// the optimizer then applies them (<see cref="RowSparseGradients.Applied"/>) as one process would.
/// </summary>
public sealed class GatheredRowGradients : IGradientStage, IDisposable
{
    private readonly Communicator _world;
    private readonly List<IDisposable> _owned = [];
    private RowSparseGradients? _planned;
    private NceViews _local, _global;
    private int[] _sampled = [];
    private float[] _mine = [], _all = [], _sampledGrads = [], _inputGrads = [], _logitGrads = [], _labelGrads = [];
    private int[] _inputs = [], _labels = [];
    private long _steps, _ticks;

    /// <summary>Gathers over <paramref name="world"/>.</summary>
    public GatheredRowGradients(Communicator world) => _world = world;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The model's gradients are not row-sparse.</exception>
    public void Process(ITrainable model, long step)
    {
        var gradients = (model as IRowSparseGradients)?.RowSparseGradients
            ?? throw new ArgumentException($"{model.GetType().Name} has dense gradients; gather rows only of a row-sparse model", nameof(model));
        if (!_world.IsDistributed) return;
        if (!ReferenceEquals(gradients, _planned)) Plan(gradients);
        var device = gradients.Device;
        device.Synchronize();
        var v = _local;
        int b = v.Batch, s = v.NumSampled, d = v.Dim, n = _world.Size;

        // This rank's part: ids (as their bits), label-logit gradients, candidate-logit gradients, input-row gradients.
        var mine = _mine.AsSpan();
        v.Inputs.CopyToCPU(MemoryMarshal.Cast<float, int>(mine[..b]));
        v.Labels.CopyToCPU(MemoryMarshal.Cast<float, int>(mine.Slice(b, b)));
        v.LabelLogitGrads.CopyToCPU(mine.Slice(2 * b, b));
        v.Logits.CopyToCPU(mine.Slice(3 * b, b * s));
        v.InputGrads.CopyToCPU(mine.Slice(3 * b + b * s, b * d));
        v.SampledGrads.CopyToCPU(_sampledGrads);
        v.Sampled.CopyToCPU(_sampled);
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        using (Communicator.For($"the row gather of step {step}"))
        {
            _world.AllGather<float>(_mine, _all);
            _world.AllreduceSum(_sampledGrads);
        }
        _ticks += System.Diagnostics.Stopwatch.GetElapsedTime(start).Ticks;
        _steps++;

        // 1/N is a power of two for 2, 4, 8 ranks: the scaling is then exact.
        float scale = 1f / n;
        int part = _mine.Length;
        for (int r = 0; r < n; r++)
        {
            var from = _all.AsSpan(r * part, part);
            MemoryMarshal.Cast<float, int>(from[..b]).CopyTo(_inputs.AsSpan(r * b, b));
            MemoryMarshal.Cast<float, int>(from.Slice(b, b)).CopyTo(_labels.AsSpan(r * b, b));
            Scaled(from.Slice(2 * b, b), _labelGrads.AsSpan(r * b, b), scale);
            Scaled(from.Slice(3 * b, b * s), _logitGrads.AsSpan(r * b * s, b * s), scale);
            Scaled(from.Slice(3 * b + b * s, b * d), _inputGrads.AsSpan(r * b * d, b * d), scale);
        }
        foreach (ref float g in _sampledGrads.AsSpan()) g *= scale;

        var g2 = _global;
        g2.Inputs.CopyFromCPU(_inputs);
        g2.Labels.CopyFromCPU(_labels);
        g2.Sampled.CopyFromCPU(_sampled);
        g2.LabelLogitGrads.CopyFromCPU(_labelGrads);
        g2.Logits.CopyFromCPU(_logitGrads);
        g2.InputGrads.CopyFromCPU(_inputGrads);
        g2.SampledGrads.CopyFromCPU(_sampledGrads);
        NceOps.Gather(device, g2);
        gradients.Applied = g2;
    }

    /// <summary>The steps exchanged so far, the mean time per step in the allgather and allreduce, and this rank's bytes.</summary>
    public GradientExchangeTime Time => new(_steps, _steps == 0 ? 0 : TimeSpan.FromTicks(_ticks).TotalMilliseconds / _steps,
        ((long)_mine.Length + _sampledGrads.Length) * sizeof(float));

    /// <summary>Frees the global batch's buffers.</summary>
    public void Dispose() => Release();

    private static void Scaled(ReadOnlySpan<float> from, Span<float> to, float scale)
    {
        for (int i = 0; i < from.Length; i++) to[i] = from[i] * scale;
    }

    // Buffers for the global batch of N x b examples over the same tables, planned once per loss plan.
    private void Plan(RowSparseGradients gradients)
    {
        Release();
        var device = gradients.Device;
        var v = gradients.Views;
        int n = _world.Size, b = v.Batch, s = v.NumSampled, d = v.Dim, batch = checked(n * b);
        ArrayView<float> Floats(int count) => Own(new Tensor<float>(device, new Shape(count))).View;
        ArrayView<int> Ints(int count) => Own(new Tensor<int>(device, new Shape(count))).View;
        _local = v;
        _global = NceBatchBuffers.For(v, batch, s, d, Floats, Ints);
        _mine = new float[checked(b * (3 + s + d))];
        _all = new float[checked(_mine.Length * n)];
        _sampled = new int[s];
        _sampledGrads = new float[s * d];
        _inputs = new int[batch];
        _labels = new int[batch];
        _labelGrads = new float[batch];
        _logitGrads = new float[batch * s];
        _inputGrads = new float[batch * d];
        _planned = gradients;
    }

    private T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    private void Release()
    {
        if (_planned is not null) _planned.Applied = _planned.Views;
        foreach (var owned in _owned) owned.Dispose();
        _owned.Clear();
        _planned = null;
    }
}
