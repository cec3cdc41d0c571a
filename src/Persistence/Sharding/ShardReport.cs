using GpuTrain.Persistence.Protos;
using Google.Protobuf;

namespace GpuTrain.Persistence.Sharding;

/// <summary>
/// What one rank sends rank 0 after writing its data file: the index entries of its tensors, or why
/// it could not write them.
/// </summary>
/// <param name="Error">Null when the shard is durable.</param>
/// <param name="Entries">The shard's tensors: name and index entry (shard, offset, size, CRC).</param>
internal sealed record ShardReport(string? Error, IReadOnlyList<(string Name, BundleEntryProto Entry)> Entries)
{
    public byte[] ToBytes()
    {
        using var memory = new MemoryStream();
        using (var w = new BinaryWriter(memory))
        {
            w.Write(Error is not null);
            if (Error is not null) w.Write(Error);
            w.Write(Entries.Count);
            foreach (var (name, entry) in Entries)
            {
                w.Write(name);
                byte[] proto = entry.ToByteArray();
                w.Write(proto.Length);
                w.Write(proto);
            }
        }
        return memory.ToArray();
    }

    /// <exception cref="InvalidDataException">The bytes are not a report (a rank of another program or version).</exception>
    public static ShardReport FromBytes(byte[] bytes, int rank)
    {
        try
        {
            using var r = new BinaryReader(new MemoryStream(bytes));
            string? error = r.ReadBoolean() ? r.ReadString() : null;
            int count = r.ReadInt32();
            if (count < 0 || count > bytes.Length) throw new InvalidDataException($"{count} entries");
            var entries = new List<(string, BundleEntryProto)>(count);
            for (int i = 0; i < count; i++)
            {
                string name = r.ReadString();
                int length = r.ReadInt32();
                if (length < 0 || length > bytes.Length) throw new InvalidDataException($"an entry of {length} bytes");
                entries.Add((name, BundleEntryProto.Parser.ParseFrom(r.ReadBytes(length))));
            }
            return new ShardReport(error, entries);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidProtocolBufferException or InvalidDataException)
        {
            throw new InvalidDataException($"rank {rank} sent an unreadable shard report ({e.Message})", e);
        }
    }
}
