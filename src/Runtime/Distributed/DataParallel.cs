using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using GpuTrain.Runtime.Devices;
using GpuTrain.Runtime.Tensors;
using GpuTrain.Runtime.Training;
using ILGPU;
using ILGPU.Runtime;

namespace GpuTrain.Runtime.Distributed;

/// <summary>
/// Data-parallel training of one <see cref="Trainer{TBatch}"/> over the ranks of a communicator. The
/// global batch is split: rank r of N trains on examples [r x b, (r + 1) x b) of every global batch
/// of N x b examples (<see cref="RankShare"/>), its first example's global index keys its dropout
/// masks (<see cref="Trainer{TBatch}.FirstExample"/>), the <see cref="GradientAllreduce"/> at stage 0
/// makes every rank's gradient the global batch's mean, and every rank applies the same update. The
/// training state starts from rank 0's (<see cref="BroadcastState"/>), and a checksum shows that every
/// rank holds the same state at the start and after a restore.
/// </summary>
public sealed class DataParallel : IDisposable
{
    private readonly Communicator _world;
    private readonly ITrainer _trainer;
    private readonly IDisposable? _stage;

    private DataParallel(Communicator world, ITrainer trainer, IDisposable? stage)
    {
        _world = world;
        _trainer = trainer;
        _stage = stage;
    }

    /// <summary>
    /// Makes <paramref name="trainer"/> one of <paramref name="world"/>'s data-parallel replicas, each
    /// training on <paramref name="rankBatch"/> examples of every global batch: inserts the gradient
    /// exchange at stage 0 (<see cref="GradientAllreduce"/> of a dense gradient arena, or
    /// <see cref="GatheredRowGradients"/> of row-sparse gradients), sets the trainer's first example,
    /// and broadcasts rank 0's training state (checked by checksum). Every rank calls it at the same
    /// point. In a world of one it changes nothing.
    /// </summary>
    /// <exception cref="ArgumentException">The model has neither a dense gradient arena nor row-sparse gradients.</exception>
    /// <exception cref="InvalidOperationException">The ranks disagree on the state after the broadcast.</exception>
    public static DataParallel Start<TBatch>(Communicator world, Trainer<TBatch> trainer, int rankBatch)
    {
        if (!world.IsDistributed) return new DataParallel(world, trainer, null);
        IGradientStage stage = trainer.Model switch
        {
            { Gradients: not null } => new GradientAllreduce(world),
            IRowSparseGradients => new GatheredRowGradients(world),
            _ => throw new ArgumentException($"{trainer.Model.GetType().Name} has neither a dense gradient arena nor row-sparse gradients to exchange", nameof(trainer)),
        };
        trainer.GradientStages.Insert(0, stage);
        trainer.FirstExample = (long)world.Rank * rankBatch;
        trainer.GlobalBatch = checked(world.Size * rankBatch);
        var parallel = new DataParallel(world, trainer, (IDisposable)stage);
        parallel.BroadcastState("at the start");
        return parallel;
    }

    /// <summary>
    /// Gives each rank its share of the machine's cores for host kernels (the cores divided by the
    /// ranks on this node), so that N ranks do not run N x cores threads. Call before opening the device.
    /// </summary>
    public static void ShareHostCores(Communicator world)
    {
        if (!world.IsDistributed) return;
        int local = RanksOnThisNode(Environment.GetEnvironmentVariable) ?? world.Size;
        HostParallel.Cores = Math.Max(1, Environment.ProcessorCount / Math.Max(1, local));
    }

    /// <summary>The host cores each rank's kernels use.</summary>
    public static int HostCores => HostParallel.Cores;

    /// <summary>
    /// Copies rank 0's parameters, optimizer state and global step to every rank, then checks by
    /// checksum that every rank holds the same; returns the checksum. <paramref name="when"/> names the
    /// moment in the error.
    /// </summary>
    /// <exception cref="InvalidOperationException">The ranks hold different states after the broadcast.</exception>
    public ulong BroadcastState(string when)
    {
        using var purpose = Communicator.For($"the broadcast of rank 0's training state {when}");
        var arenas = Arenas(_trainer);
        _trainer.Model.Device.Synchronize();
        foreach (var arena in arenas)
        {
            var values = arena.DownloadAll();
            _world.Broadcast<float>(values);
            arena.View.CopyFromCPU(values);
        }
        var step = new[] { _trainer.GlobalStep };
        _world.Broadcast<long>(step);
        _trainer.GlobalStep = step[0];
        ulong checksum = Checksum(_trainer);
        long asLong = unchecked((long)checksum);
        if (_world.Min(asLong) != asLong || _world.Max(asLong) != asLong)
            throw new InvalidOperationException(
                $"rank {_world.Rank} of {_world.Size}: the ranks hold different training states {when} (checksum here {checksum:x16}), although rank 0's was broadcast");
        return checksum;
    }

    /// <summary>
    /// Checks that every rank restored the same training state (a checksum of parameters, optimizer
    /// state and global step), then broadcasts rank 0's; returns the checksum.
    /// </summary>
    /// <exception cref="InvalidOperationException">The ranks restored different states.</exception>
    public ulong VerifyRestored(string prefix)
    {
        if (!_world.IsDistributed) return Checksum(_trainer);
        using var purpose = Communicator.For($"comparing the states restored from {prefix}");
        long mine = unchecked((long)Checksum(_trainer));
        if (_world.Min(mine) != mine || _world.Max(mine) != mine)
            throw new InvalidOperationException(
                $"rank {_world.Rank} of {_world.Size}: the ranks restored different training states from {prefix} (checksum here {unchecked((ulong)mine):x16})");
        return BroadcastState($"after restoring {prefix}");
    }

    /// <summary>A hash of the trainer's parameters, optimizer state and global step.</summary>
    public static ulong Checksum(ITrainer trainer)
    {
        var hash = new XxHash64();
        trainer.Model.Device.Synchronize();
        foreach (var arena in Arenas(trainer)) hash.Append(MemoryMarshal.AsBytes(arena.DownloadAll().AsSpan()));
        hash.Append(BitConverter.GetBytes(trainer.GlobalStep));
        return hash.GetCurrentHashAsUInt64();
    }

    /// <summary>What the gradient exchange has cost this rank so far (all zero in a world of one).</summary>
    public GradientExchangeTime ExchangeTime => _stage switch
    {
        GradientAllreduce allreduce => allreduce.Time,
        GatheredRowGradients rows => rows.Time,
        _ => default,
    };

    /// <summary>
    /// One line for the end of a data-parallel run: the gradient exchange's mean time per step and
    /// bytes (this rank's); null in a world of one.
    /// </summary>
    public string? ExchangeReport() => _world.IsDistributed && ExchangeTime is { Steps: > 0 } t
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"data-parallel: gradient exchange {t.MeanMilliseconds:F2} ms/step on rank {_world.Rank} over {t.Steps} steps, {t.BytesPerStep / 1e6:F3} MB a step from each rank")
        : null;

    /// <summary>Frees the gradient exchange's buffers.</summary>
    public void Dispose() => _stage?.Dispose();

    // Open MPI and MPICH's Hydra say how many ranks share this node.
    private static int? RanksOnThisNode(Func<string, string?> environment)
    {
        foreach (string variable in new[] { "OMPI_COMM_WORLD_LOCAL_SIZE", "MPI_LOCALNRANKS" })
            if (int.TryParse(environment(variable), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0) return n;
        return null;
    }

    private static List<ParameterArena> Arenas(ITrainer trainer) =>
        [.. new[] { trainer.Model.Parameters }.Concat(trainer.Optimizer.Variables.Select(v => v.Arena)).Distinct()];
}
