using Google.Protobuf;
using GpuTrain.Logging.Graphs;
using GpuTrain.Logging.Images;
using GpuTrain.Logging.Proto;

namespace GpuTrain.Logging.Summaries;

/// <summary>
/// Builds the Event protos TensorBoard expects for each kind of summary. Scalars, histograms and images
/// use the legacy fields (simple_value, histo, image) that every TensorBoard reads; text has no legacy
/// form and goes out as a DT_STRING tensor with the "text" plugin, as tf.summary.text writes it.
/// </summary>
internal static class SummaryEvents
{
    /// <summary>What every GpuTrain event file starts with.</summary>
    public const string FileVersion = "brain.Event:2";

    /// <summary>The first event of a file: whole seconds of wall time, as TensorFlow writes it.</summary>
    public static Event FileVersionEvent(double wallTime) => new()
    {
        WallTime = Math.Floor(wallTime),
        FileVersion = FileVersion,
        SourceMetadata = new SourceMetadata { Writer = "gputrain" },
    };

    /// <summary>A scalar as simple_value.</summary>
    public static Event Scalar(string tag, float value, long step, double wallTime) =>
        Wrap(new Summary.Types.Value { Tag = tag, SimpleValue = value }, step, wallTime);

    /// <summary>A histogram of <paramref name="values"/> with TensorFlow's default buckets.</summary>
    public static Event Histogram(string tag, ReadOnlySpan<float> values, long step, double wallTime) =>
        Wrap(new Summary.Types.Value { Tag = tag, Histo = DefaultHistogram.Build(values, tag) }, step, wallTime);

    /// <summary>A text summary: rank-0 DT_STRING tensor, plugin "text" (TensorBoard renders it as markdown).</summary>
    public static Event Text(string tag, string text, long step, double wallTime)
    {
        var tensor = new TensorProto { Dtype = DataType.DtString, TensorShape = new TensorShapeProto() };
        tensor.StringVal.Add(ByteString.CopyFromUtf8(text));
        var metadata = new SummaryMetadata
        {
            PluginData = new SummaryMetadata.Types.PluginData { PluginName = "text" },
            DataClass = DataClass.Tensor,
        };
        return Wrap(new Summary.Types.Value { Tag = tag, Metadata = metadata, Tensor = tensor }, step, wallTime);
    }

    /// <summary>An image from 8-bit pixels laid out height x width x channels (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA).</summary>
    public static Event Image(string tag, ReadOnlySpan<byte> pixels, int height, int width, int channels, long step, double wallTime)
    {
        var image = new Summary.Types.Image
        {
            Height = height,
            Width = width,
            Colorspace = channels,
            EncodedImageString = ByteString.CopyFrom(PngEncoder.Encode(pixels, width, height, channels)),
        };
        return Wrap(new Summary.Types.Value { Tag = tag, Image = image }, step, wallTime);
    }

    /// <summary>The model graph for TensorBoard's Graphs tab.</summary>
    public static Event Graph(IEnumerable<GraphNode> nodes, double wallTime) => new()
    {
        WallTime = wallTime,
        GraphDef = GraphDefBuilder.Build(nodes).ToByteString(),
    };

    /// <summary>
    /// SessionLog START at <paramref name="step"/>: TensorBoard then drops the points of this run whose step is
    /// at or past it, so a resumed run does not show the stale tail the crashed run wrote after its checkpoint.
    /// </summary>
    public static Event SessionStart(long step, double wallTime) => new()
    {
        WallTime = wallTime,
        Step = step,
        SessionLog = new SessionLog { Status = SessionLog.Types.SessionStatus.Start },
    };

    private static Event Wrap(Summary.Types.Value value, long step, double wallTime)
    {
        var summary = new Summary();
        summary.Value.Add(value);
        return new Event { WallTime = wallTime, Step = step, Summary = summary };
    }
}
