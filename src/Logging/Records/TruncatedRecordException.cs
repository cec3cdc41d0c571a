namespace GpuTrain.Logging.Records;

/// <summary>
/// The file ends inside a record: what a writer killed mid-write leaves behind. Every record before
/// <see cref="Offset"/> was complete and has been returned already.
/// </summary>
public sealed class TruncatedRecordException : EndOfStreamException
{
    /// <summary>Creates the exception for the record starting at <paramref name="offset"/>.</summary>
    public TruncatedRecordException(string path, long offset, int completeRecords, string detail)
        : base($"{path}: truncated record at offset {offset} after {completeRecords} complete record(s): {detail}")
    {
        Path = path;
        Offset = offset;
        CompleteRecords = completeRecords;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Where the incomplete record starts.</summary>
    public long Offset { get; }

    /// <summary>How many complete records precede it.</summary>
    public int CompleteRecords { get; }
}
