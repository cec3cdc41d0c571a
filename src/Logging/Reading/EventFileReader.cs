using Google.Protobuf;
using GpuTrain.Logging.Proto;
using GpuTrain.Logging.Records;

namespace GpuTrain.Logging.Reading;

/// <summary>Reads the events of a TensorBoard event file (TFRecord framing, CRCs checked).</summary>
internal static class EventFileReader
{
    /// <summary>
    /// The events of <paramref name="path"/> in file order. Throws <see cref="TruncatedRecordException"/> when
    /// the file ends inside a record (after yielding every complete one) and <see cref="InvalidDataException"/>
    /// for a CRC mismatch or a record that is not an Event.
    /// </summary>
    public static IEnumerable<Event> Read(string path)
    {
        int index = 0;
        foreach (byte[] record in TfRecordReader.ReadAll(path))
        {
            Event e;
            try { e = Event.Parser.ParseFrom(record); }
            catch (InvalidProtocolBufferException ex)
            {
                throw new InvalidDataException($"{path}: record {index} is not an Event proto: {ex.Message}", ex);
            }
            index++;
            yield return e;
        }
    }
}
