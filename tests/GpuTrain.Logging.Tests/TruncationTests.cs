using GpuTrain.Logging.Proto;
using GpuTrain.Logging.Reading;
using GpuTrain.Logging.Records;
using GpuTrain.Logging.Summaries;
using GpuTrain.Logging.Writing;
using GpuTrain.TestSupport;

namespace GpuTrain.Logging.Tests;

/// <summary>
/// A process killed mid-write leaves a file that ends inside a record. Cutting a written file at random
/// points must give back exactly the records that were complete before the cut, then a clear truncation error.
/// </summary>
public class TruncationTests
{
    [Fact]
    public void EveryCompleteRecordBeforeARandomCutReadsBack()
    {
        using var dir = new TempDir();
        string path;
        var recordEnds = new List<long>();
        using (var file = new EventFileWriter(dir.Path))
        {
            path = file.Path;
            file.Flush();
            recordEnds.Add(new FileInfo(path).Length);
            for (int step = 0; step < 40; step++)
            {
                file.Write(step % 5 == 0
                    ? SummaryEvents.Histogram("h", Enumerable.Range(0, step + 1).Select(i => (float)i).ToArray(), step, 1e9)
                    : SummaryEvents.Scalar("loss", step * 0.5f, step, 1e9));
                file.Flush();
                recordEnds.Add(new FileInfo(path).Length);
            }
        }
        byte[] whole = File.ReadAllBytes(path);
        var rng = new Random(12345);
        string cut = dir.Combine("cut.tfevents");
        for (int trial = 0; trial < 60; trial++)
        {
            int length = trial == 0 ? whole.Length : rng.Next(0, whole.Length);
            File.WriteAllBytes(cut, whole[..length]);
            int complete = recordEnds.Count(end => end <= length);
            var read = new List<Event>();
            TruncatedRecordException? truncated = null;
            try { foreach (var e in EventFileReader.Read(cut)) read.Add(e); }
            catch (TruncatedRecordException ex) { truncated = ex; }

            Assert.Equal(complete, read.Count);
            bool atBoundary = length == 0 || recordEnds.Contains(length);
            Assert.Equal(atBoundary, truncated is null);
            for (int i = 1; i < read.Count; i++) Assert.Equal(i - 1, read[i].Step);
            if (truncated is not null)
            {
                Assert.Equal(complete, truncated.CompleteRecords);
                Assert.Contains(cut, truncated.Message);
            }
        }
    }

    [Fact]
    public void FlippedDataByteIsACrcErrorNamingTheRecord()
    {
        using var dir = new TempDir();
        string path;
        using (var file = new EventFileWriter(dir.Path))
        {
            path = file.Path;
            file.Write(SummaryEvents.Scalar("loss", 1f, 1, 1e9));
        }
        byte[] bytes = File.ReadAllBytes(path);
        bytes[^6] ^= 0x40;  // inside the last record's data
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<InvalidDataException>(() => EventFileReader.Read(path).ToList());
        Assert.Contains("record 1", ex.Message);
        Assert.Contains("data CRC mismatch", ex.Message);
    }

    [Fact]
    public void NotAnEventFileIsALengthCrcError()
    {
        using var dir = new TempDir();
        string path = dir.Combine("events.out.tfevents.bogus");
        File.WriteAllText(path, "this is plainly not a TFRecord file");
        var ex = Assert.Throws<InvalidDataException>(() => EventFileReader.Read(path).ToList());
        Assert.Contains("length CRC mismatch", ex.Message);
    }

    [Fact]
    public void MissingFileIsFileNotFound() =>
        Assert.Throws<FileNotFoundException>(() => EventFileReader.Read("/nonexistent/events.out.tfevents.1").ToList());

    [Fact]
    public void ScalarLogKeepsCompleteRecordsOfATruncatedFileAndReportsIt()
    {
        using var dir = new TempDir();
        string path;
        using (var w = new SummaryWriter(dir.Path))
        {
            path = w.FilePath;
            for (int step = 0; step < 10; step++) w.Scalar("loss", step, step);
        }
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^3]);
        var reported = new List<TruncatedRecordException>();
        var points = ScalarLog.Load(dir.Path, onTruncated: reported.Add);
        Assert.Equal(Enumerable.Range(0, 9).Select(i => (long)i), points.Select(p => p.Step));
        Assert.Single(reported);
        Assert.Throws<TruncatedRecordException>(() => ScalarLog.Load(dir.Path));
    }
}
