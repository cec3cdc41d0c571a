using System.Text;
using GpuTrain.Persistence.Bundle;
using GpuTrain.Persistence.Protos;
using GpuTrain.Persistence.Saving;

namespace GpuTrain.Persistence.Sharding;

/// <summary>
/// Writes one checkpoint across the ranks of a job: the tensors are split over one data file per rank
/// (<c>PREFIX.data-0000r-of-0000N</c>, the same whole-tensor plan on every rank; with more ranks than
/// tensors, one file per tensor and the ranks beyond write none), each rank writes
/// and fsyncs its own file in parallel and sends rank 0 its index entries; only when every shard is
/// durable does rank 0 write the index, which a <see cref="Saver"/> on rank 0 then follows with the
/// state file (the savers of the other ranks write no state file and delete nothing). Every rank learns the outcome: a failure on any rank fails the save on all of them,
/// with that rank's error, and no index names the checkpoint.
/// </summary>
public sealed class ShardedBundleWriter : IBundleWriter
{
    private readonly IShardGroup _group;

    /// <summary>Writes with the ranks of <paramref name="group"/>, which must all hold the same tensors.</summary>
    public ShardedBundleWriter(IShardGroup group)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(group.Size, 1, nameof(group));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(group.Size, SaverOptions.MaxShards, nameof(group));
        _group = group;
    }

    /// <summary>
    /// Writes this rank's shard of the checkpoint and, on rank 0, the index; called by every rank at
    /// the same point (through each rank's <see cref="Saver"/>, or directly). Rank 0's
    /// <paramref name="prefix"/> names the files; another rank's must be the same.
    /// </summary>
    /// <exception cref="IOException">A rank could not write its shard or saves elsewhere, or rank 0 could not write the index.</exception>
    public void Write(string prefix, IReadOnlyList<BundleTensor> tensors) => Run(prefix, tensors);

    private void Run(string myPrefix, IReadOnlyList<BundleTensor> tensors)
    {
        // Starting with a collective also keeps rank 0's first-save cleanup of stale temporaries
        // (Saver.AdoptDirectory, before its writer runs) ahead of every rank's shard temporaries.
        string prefix = Encoding.UTF8.GetString(_group.BroadcastFromRoot(Encoding.UTF8.GetBytes(myPrefix)));
        var sorted = TensorBundleWriter.InKeyOrder(tensors);
        // Each shard holds whole tensors; ranks beyond the tensor count write no file (an empty data
        // file is one the checker warns about, since TensorFlow never writes one).
        int shards = Math.Min(_group.Size, Math.Max(1, sorted.Count));
        int[] shardOf = ShardPlanner.Assign(sorted.Select(t => t.Data.LongLength).ToList(), shards);
        var entries = new BundleEntryProto[sorted.Count];
        string? error = prefix == myPrefix ? null : $"it saves to {myPrefix}, rank 0 to {prefix}";
        if (error is null)
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(prefix))!);
                if (_group.Rank < shards) TensorBundleWriter.WriteShard(prefix, _group.Rank, shards, sorted, shardOf, entries);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error = e.Message;
            }
        }
        var mine = new ShardReport(error, Enumerable.Range(0, sorted.Count)
            .Where(i => error is null && shardOf[i] == _group.Rank)
            .Select(i => (sorted[i].Name, entries[i]))
            .ToList());

        var reports = _group.GatherToRoot(mine.ToBytes());
        string verdict = reports is null ? "" : Commit(prefix, sorted, shards, shardOf, reports);
        verdict = Encoding.UTF8.GetString(_group.BroadcastFromRoot(Encoding.UTF8.GetBytes(verdict)));
        if (verdict.Length > 0) throw new IOException($"checkpoint {prefix} was not committed: {verdict}");
    }

    // Rank 0: check that every shard is durable and that the ranks wrote the plan, then write the
    // index. Returns "" on success, else the reason (the first failing rank's error).
    private static string Commit(string prefix, List<BundleTensor> sorted, int shards, int[] shardOf, byte[][] reports)
    {
        var entries = new BundleEntryProto?[sorted.Count];
        var indexOf = Enumerable.Range(0, sorted.Count).ToDictionary(i => sorted[i].Name, StringComparer.Ordinal);
        for (int rank = 0; rank < reports.Length; rank++)
        {
            var report = ShardReport.FromBytes(reports[rank], rank);
            if (report.Error is not null) return rank < shards ? $"rank {rank} could not write {BundleNaming.DataFile(prefix, rank, shards)}: {report.Error}" : $"rank {rank}: {report.Error}";
            foreach (var (name, entry) in report.Entries)
            {
                if (!indexOf.TryGetValue(name, out int i) || shardOf[i] != rank || entry.ShardId != rank || entries[i] is not null)
                    return $"rank {rank} wrote tensor '{name}', which the plan of rank 0 does not give it: the ranks hold different tensors";
                entries[i] = entry;
            }
        }
        int missing = Array.FindIndex(entries, e => e is null);
        if (missing >= 0) return $"no rank wrote tensor '{sorted[missing].Name}' (shard {shardOf[missing]}): the ranks hold different tensors";
        try
        {
            TensorBundleWriter.WriteIndex(prefix, shards, sorted, entries!);
            return "";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"rank 0 could not write {BundleNaming.IndexFile(prefix)}: {e.Message}";
        }
    }
}
