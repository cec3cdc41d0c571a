using System.Text;
using GpuTrain.Files;
using GpuTrain.Persistence.Hashing;
using GpuTrain.Persistence.Protos;
using GpuTrain.Persistence.Table;
using Google.Protobuf;

namespace GpuTrain.Persistence.Bundle;

/// <summary>
/// Reads a V2 tensor bundle: the whole index is parsed and validated on open (header, versions, every
/// entry's dtype, shape and size), and every tensor read is checked against its CRC32C. Corrupt or
/// truncated files raise <see cref="InvalidDataException"/> naming the file and tensor.
/// </summary>
public sealed class TensorBundleReader
{
    private readonly Dictionary<string, BundleEntry> _byName;

    private TensorBundleReader(string prefix, int numShards, List<BundleEntry> entries)
    {
        Prefix = prefix;
        NumShards = numShards;
        Entries = entries;
        _byName = entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
    }

    /// <summary>The bundle's prefix.</summary>
    public string Prefix { get; }

    /// <summary>Number of data files.</summary>
    public int NumShards { get; }

    /// <summary>The tensors in key order (slice entries of partitioned variables excluded).</summary>
    public IReadOnlyList<BundleEntry> Entries { get; }

    /// <summary>Opens the bundle at <paramref name="prefixOrIndex"/> (a prefix or its .index file).</summary>
    /// <exception cref="FileNotFoundException">No index file.</exception>
    /// <exception cref="InvalidDataException">The index is corrupt.</exception>
    public static TensorBundleReader Open(string prefixOrIndex)
    {
        string prefix = BundleNaming.PrefixOf(prefixOrIndex);
        string indexFile = BundleNaming.IndexFile(prefix);
        var (handle, length) = RegularFile.OpenRead(indexFile, "checkpoint index");
        using (handle)
        {
            return FromRecords(prefix, TableReader.ReadAll(length, (offset, size) => ReadExactly(handle, offset, size, indexFile), indexFile));
        }
    }

    /// <summary>Parses index bytes (exposed for tests that mutate the index in memory).</summary>
    public static TensorBundleReader Parse(string prefix, byte[] indexBytes) =>
        FromRecords(prefix, TableReader.ReadAll(indexBytes, BundleNaming.IndexFile(prefix)));

    private static TensorBundleReader FromRecords(string prefix, List<KeyValuePair<byte[], byte[]>> records)
    {
        string indexFile = BundleNaming.IndexFile(prefix);
        if (records.Count == 0 || records[0].Key.Length != 0)
            throw new InvalidDataException($"{indexFile}: no bundle header entry (empty key) first");
        var header = ParseProto(BundleHeaderProto.Parser, records[0].Value, indexFile, "header");
        int numShards = CheckHeader(header, indexFile);

        var entries = new List<BundleEntry>(records.Count - 1);
        foreach (var (key, value) in records.Skip(1))
        {
            if (key[0] == 0) continue; // a slice of a partitioned variable, reached through its full entry
            string name = Encoding.UTF8.GetString(key);
            string what = $"{indexFile}: tensor '{name}'";
            var proto = ParseProto(BundleEntryProto.Parser, value, indexFile, $"tensor '{name}'");
            entries.Add(CheckEntry(name, proto, numShards, what));
        }
        return new TensorBundleReader(prefix, numShards, entries);
    }

    /// <summary>True when the bundle has a tensor named <paramref name="name"/>.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>The entry of <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such tensor.</exception>
    public BundleEntry Entry(string name) => _byName.TryGetValue(name, out var e)
        ? e : throw new KeyNotFoundException($"checkpoint {Prefix} has no tensor '{name}'");

    /// <summary>Reads and verifies the tensor <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such tensor.</exception>
    /// <exception cref="InvalidDataException">The data file is missing bytes or they fail the checksum.</exception>
    public BundleTensor Read(string name)
    {
        var entry = Entry(name);
        if (entry.IsPartitioned)
            throw new InvalidDataException($"{Prefix}: tensor '{name}' is a partitioned variable; GpuTrain reads only whole tensors");
        string dataFile = BundleNaming.DataFile(Prefix, entry.Proto.ShardId, NumShards);
        string what = $"{dataFile}: tensor '{name}'";
        byte[] data = ReadRange(dataFile, entry.Proto.Offset, entry.Proto.Size, what);

        uint crc;
        if (entry.DType == DataType.DtString) crc = StringTensorCodec.Decode(data, entry.ElementCount, what).EntryCrc;
        else crc = Crc32C.Compute(data);
        if (crc != Crc32C.Unmask(entry.Proto.Crc32C))
            throw new InvalidDataException($"{what}: checksum does not match (data corrupt)");
        return BundleTensor.Verified(name, entry.DType, entry.Shape.ToArray(), data, crc);
    }

    private static byte[] ReadRange(string dataFile, long offset, long size, string what)
    {
        if (!File.Exists(dataFile)) throw new FileNotFoundException($"{what}: data file is missing", dataFile);
        var (handle, length) = RegularFile.OpenRead(dataFile, "checkpoint data file");
        using (handle)
        {
            // The declared range is checked against the real file before anything is allocated.
            if (offset > length || size > length - offset)
                throw new InvalidDataException($"{what}: bytes {offset}..{offset + size} lie beyond the end of the file ({length} bytes); file truncated?");
            if (size > Array.MaxLength) throw new InvalidDataException($"{what}: {size} bytes is larger than GpuTrain can read into one array");
            return ReadExactly(handle, offset, (int)size, what);
        }
    }

    // A file that shrinks while it is read ends early: that is a truncation, not a crash.
    private static byte[] ReadExactly(Microsoft.Win32.SafeHandles.SafeFileHandle handle, long offset, int size, string what)
    {
        var data = new byte[size];
        int done = 0;
        while (done < size)
        {
            int read = RandomAccess.Read(handle, data.AsSpan(done), offset + done);
            if (read == 0) throw new InvalidDataException($"{what}: the file ended after {done} of {size} bytes at offset {offset}; truncated while reading?");
            done += read;
        }
        return data;
    }

    private static int CheckHeader(BundleHeaderProto header, string indexFile)
    {
        if (header.NumShards < 1) throw new InvalidDataException($"{indexFile}: header declares {header.NumShards} shards");
        if (header.Endianness != BundleHeaderProto.Types.Endianness.Little)
            throw new InvalidDataException($"{indexFile}: big-endian bundles are not supported");
        var v = header.Version ?? new VersionDef();
        if (v.Producer < 0 || v.MinConsumer > TensorBundleWriter.BundleVersion || v.BadConsumers.Contains(TensorBundleWriter.BundleVersion))
            throw new InvalidDataException($"{indexFile}: bundle version (producer {v.Producer}, min_consumer {v.MinConsumer}) is not readable by version {TensorBundleWriter.BundleVersion}");
        return header.NumShards;
    }

    private static BundleEntry CheckEntry(string name, BundleEntryProto proto, int numShards, string what)
    {
        if (!DTypeInfo.IsStorable(proto.Dtype)) throw new InvalidDataException($"{what}: unsupported dtype {DTypeInfo.Name(proto.Dtype)}");
        long[] shape = TensorShapes.FromProto(proto.Shape, what);
        var entry = new BundleEntry(name, proto.Dtype, shape, proto);
        if (entry.IsPartitioned) return entry;
        if (proto.ShardId < 0 || proto.ShardId >= numShards) throw new InvalidDataException($"{what}: shard {proto.ShardId} of {numShards}");
        if (proto.Offset < 0 || proto.Size < 0) throw new InvalidDataException($"{what}: negative offset or size");
        long count = entry.ElementCount;
        int elementSize = DTypeInfo.ElementSize(proto.Dtype);
        bool sizeOk = elementSize == 0 ? proto.Size >= count + 4 : count <= long.MaxValue / elementSize && proto.Size == count * elementSize;
        if (!sizeOk)
            throw new InvalidDataException($"{what}: {proto.Size} bytes do not fit {DTypeInfo.Name(proto.Dtype)} {TensorShapes.Format(shape)}");
        return entry;
    }

    private static T ParseProto<T>(MessageParser<T> parser, byte[] bytes, string indexFile, string what) where T : IMessage<T>
    {
        try { return parser.ParseFrom(bytes); }
        catch (InvalidProtocolBufferException e) { throw new InvalidDataException($"{indexFile}: {what}: corrupt entry: {e.Message}", e); }
    }
}
