using System.Text;
using GpuTrain.Runtime.Text;

namespace GpuTrain.Examples.Word2Vec;

/// <summary>
/// What TensorBoard's embedding projector reads from a log folder: <c>projector_config.pbtxt</c>
/// (a text-format ProjectorConfig naming the checkpoint variable that holds the vectors) and
/// <c>metadata.tsv</c> (one word a line, in row order). The vectors themselves come from the
/// folder's latest checkpoint, so nothing else is exported.
/// </summary>
public static class ProjectorFiles
{
    /// <summary>The config file's name.</summary>
    public const string ConfigName = "projector_config.pbtxt";

    /// <summary>The metadata file's name.</summary>
    public const string MetadataName = "metadata.tsv";

    /// <summary>
    /// Writes both files into <paramref name="logDir"/> for the variable <paramref name="tensorName"/>;
    /// when the checkpoints live elsewhere, the config points at <paramref name="checkpointDir"/>.
    /// </summary>
    public static void Write(string logDir, string tensorName, Vocabulary vocabulary, string checkpointDir)
    {
        Directory.CreateDirectory(logDir);
        vocabulary.WriteMetadata(Path.Combine(logDir, MetadataName));
        var config = new StringBuilder();
        if (Path.GetFullPath(checkpointDir) != Path.GetFullPath(logDir))
            config.Append("model_checkpoint_dir: ").Append(Quote(Path.GetFullPath(checkpointDir))).Append('\n');
        config.Append("embeddings {\n")
            .Append("  tensor_name: ").Append(Quote(tensorName)).Append('\n')
            .Append("  metadata_path: ").Append(Quote(MetadataName)).Append('\n')
            .Append("}\n");
        File.WriteAllText(Path.Combine(logDir, ConfigName), config.ToString());
    }

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
