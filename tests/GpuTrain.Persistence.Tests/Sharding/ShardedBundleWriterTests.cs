using GpuTrain.Persistence.Bundle;
using GpuTrain.Persistence.Protos;
using GpuTrain.Persistence.Saving;
using GpuTrain.Persistence.Sharding;
using GpuTrain.Persistence.State;
using GpuTrain.Persistence.Variables;
using GpuTrain.TestSupport;

namespace GpuTrain.Persistence.Tests.Sharding;

/// <summary>
/// One checkpoint written by N ranks (threads here; the mpirun tests run the same code in processes):
/// one data file per rank, the index and state file by rank 0, readable in one process and by the
/// checker; a failing rank fails the save everywhere and leaves nothing that looks like a checkpoint.
/// </summary>
public sealed class ShardedBundleWriterTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    // The same variables on every rank (data parallel), with values that differ per tensor.
    private static ICheckpointVariable[] Variables(long step, bool filled = true)
    {
        var kernel = new HostVariable<float>("dense/kernel", DataType.DtFloat, [4, 3]);
        var bias = new HostVariable<float>("dense/bias", DataType.DtFloat, [3]);
        var slot = new HostVariable<float>("dense/kernel/Adam", DataType.DtFloat, [4, 3]);
        var global = new HostVariable<long>("global_step", DataType.DtInt64, []);
        if (!filled) return [kernel, bias, slot, global];
        for (int i = 0; i < 12; i++) (kernel.Values[i], slot.Values[i]) = (i * 0.5f - 1f, i * i);
        bias.Values[1] = -7.25f;
        global.Value = step;
        return [kernel, bias, slot, global];
    }

    private string?[] SaveOn(int ranks, Func<ThreadShardGroup, ICheckpointVariable[]>? variables = null, bool expectFailure = false)
    {
        var outcomes = ThreadShardGroup.Run(ranks, group =>
        {
            var vars = variables?.Invoke(group) ?? Variables(100);
            // The savers of ranks other than 0 write no state file and keep no rotation.
            var options = group.Rank == 0 ? new SaverOptions() : new SaverOptions { WriteState = false, MaxToKeep = 0 };
            return new Saver(vars, options) { BundleWriter = new ShardedBundleWriter(group) }.Save(_dir.Combine("model.ckpt"), 100);
        });
        if (!expectFailure) Assert.All(outcomes, o => Assert.Null(o.Error));
        else Assert.All(outcomes, o => Assert.IsType<IOException>(o.Error));
        return outcomes.Select(o => o.Result ?? o.Error?.Message).ToArray();
    }

    [SharedFact]
    public void ThreeRanksWriteOneShardEachAndOneProcessReadsItBack()
    {
        var prefixes = SaveOn(3);
        string prefix = _dir.Combine("model.ckpt-100");
        Assert.All(prefixes, p => Assert.Equal(prefix, p));
        for (int shard = 0; shard < 3; shard++) Assert.True(File.Exists(BundleNaming.DataFile(prefix, shard, 3)));
        Assert.Equal(prefix, CheckpointStateFile.LatestCheckpoint(_dir.Path));
        TfCheck.AssertClean("ckpt", prefix);

        var reader = TensorBundleReader.Open(prefix);
        Assert.Equal(3, reader.NumShards);
        Assert.Equal(3, reader.Entries.Select(e => e.Proto.ShardId).Distinct().Count());
        var restored = Variables(0, filled: false);
        CheckpointRestorer.Restore(prefix, VariableMap.ByName(restored));
        var expected = Variables(100);
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(Bytes(expected[i]), Bytes(restored[i]));
        Assert.Equal(100L, ((HostVariable<long>)restored[3]).Value);
    }

    [SharedFact]
    public void WithMoreRanksThanTensorsEachTensorGetsAShardAndNoShardIsEmpty()
    {
        SaveOn(6);
        string prefix = _dir.Combine("model.ckpt-100");
        Assert.Equal(4, Directory.EnumerateFiles(_dir.Path, "model.ckpt-100.data-*").Count());
        Assert.All(Enumerable.Range(0, 4), shard => Assert.True(new FileInfo(BundleNaming.DataFile(prefix, shard, 4)).Length > 0));
        TfCheck.AssertClean("ckpt", prefix);
        Assert.Equal(4, TensorBundleReader.Open(prefix).Entries.Count);
    }

    [Fact]
    public void ARankThatCannotWriteFailsTheSaveOnEveryRankAndNoIndexIsWritten()
    {
        // Shard 1's name is taken by a folder: rank 1's rename fails, as on a full or broken disk.
        Directory.CreateDirectory(_dir.Combine("model.ckpt-100.data-00001-of-00003"));
        var errors = SaveOn(3, expectFailure: true);
        Assert.All(errors, e => Assert.Contains("was not committed: rank 1 could not write", e));
        Assert.False(File.Exists(_dir.Combine("model.ckpt-100.index")));
        Assert.False(File.Exists(_dir.Combine("checkpoint")));
        // Rank 0's saver removed the shards the other ranks did write.
        Assert.Empty(Directory.EnumerateFiles(_dir.Path, "model.ckpt-100.data-*"));
    }

    [Fact]
    public void RanksHoldingDifferentTensorsAreRefused()
    {
        var errors = SaveOn(2, group => group.Rank == 0 ? Variables(100) : Variables(100)[..3], expectFailure: true);
        Assert.All(errors, e => Assert.Contains("the ranks hold different tensors", e));
        Assert.False(File.Exists(_dir.Combine("model.ckpt-100.index")));
    }

    [Fact]
    public void ARankSavingElsewhereIsRefused()
    {
        var outcomes = ThreadShardGroup.Run(2, group =>
        {
            var options = group.Rank == 0 ? new SaverOptions() : new SaverOptions { WriteState = false, MaxToKeep = 0 };
            return new Saver(Variables(100), options) { BundleWriter = new ShardedBundleWriter(group) }.Save(_dir.Combine(group.Rank == 0 ? "model.ckpt" : "other.ckpt"), 100);
        });
        Assert.All(outcomes, o => Assert.Contains($"rank 1 could not write {_dir.Combine("model.ckpt-100.data-00001-of-00002")}: it saves to {_dir.Combine("other.ckpt-100")}, rank 0 to {_dir.Combine("model.ckpt-100")}", Assert.IsType<IOException>(o.Error).Message));
        Assert.Empty(Directory.EnumerateFiles(_dir.Path));
    }

    private static byte[] Bytes(ICheckpointVariable v)
    {
        var data = new byte[TensorShapes.ElementCount(v.Shape, v.Name) * DTypeInfo.ElementSize(v.DType)];
        v.ReadInto(data);
        return data;
    }
}
