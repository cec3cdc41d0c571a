using System.Buffers.Binary;
using GpuTrain.Logging.Reading;
using GpuTrain.Logging.Records;
using GpuTrain.Logging.Summaries;
using GpuTrain.Logging.Writing;
using GpuTrain.Persistence.Hashing;
using GpuTrain.TestSupport;

namespace GpuTrain.Logging.Tests;

/// <summary>Event files that lie about a record's size, or are not files: a clear error, at once, never a hang or a silent cut.</summary>
public sealed class HostileEventFileTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private (string Path, List<long> RecordStarts) WriteEvents(int count)
    {
        var starts = new List<long>();
        string path;
        using (var file = new EventFileWriter(_dir.Path))
        {
            path = file.Path;
            for (int step = 0; step < count; step++)
            {
                file.Flush();
                starts.Add(new FileInfo(path).Length);
                file.Write(SummaryEvents.Scalar("loss", step, step, 1e9));
            }
        }
        return (path, starts);
    }

    [Theory]
    [InlineData(1L << 40)]
    [InlineData(ulong.MaxValue)]
    [InlineData((ulong)int.MaxValue + 1)]
    public void AMidFileRecordClaimingAnImpossibleLengthIsCorruptionNotATruncatedTail(ulong length)
    {
        var (path, starts) = WriteEvents(10);
        byte[] bytes = File.ReadAllBytes(path);
        int at = (int)starts[4]; // record 5 of 11 (record 0 is the file_version event)
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(at), length);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 8), Crc32C.ComputeMasked(bytes.AsSpan(at, 8)));
        File.WriteAllBytes(path, bytes);

        int read = 0;
        var e = Assert.Throws<InvalidDataException>(() => { foreach (var _ in EventFileReader.Read(path)) read++; });
        Assert.IsNotType<TruncatedRecordException>(e, exactMatch: false);
        Assert.Equal(5, read);
        Assert.Contains($"record 5 at offset {at} claims {length} data bytes", e.Message);
        Assert.Contains("file corrupt", e.Message);
    }

    [Fact]
    public void AFifoAsAnEventFileIsRefusedWithoutWaiting()
    {
        string fifo = _dir.Combine("events.out.tfevents.1.host.1.0");
        SpecialFiles.MakeFifo(fifo);
        var e = SpecialFiles.ThrownWithin(() => EventFileReader.Read(fifo).ToList());
        Assert.IsType<InvalidDataException>(e);
        Assert.Contains($"{fifo} is a FIFO, not a regular file", e.Message);
    }

    [Fact]
    public void DevZeroAsAnEventFileIsRefusedAtOnce()
    {
        string zero = _dir.Combine("events.out.tfevents.1.host.1.0");
        File.CreateSymbolicLink(zero, "/dev/zero");
        var e = SpecialFiles.ThrownWithin(() => EventFileReader.Read(zero).ToList());
        Assert.IsType<InvalidDataException>(e);
        Assert.Contains("is a character device", e.Message);
    }
}
