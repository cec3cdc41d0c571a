using System.CommandLine;
using System.Globalization;
using GpuTrain.Examples.Word2Vec;
using GpuTrain.Runtime.Text;

namespace GpuTrain.Cli.Commands;

/// <summary>
/// <c>gputrain similar [--checkpoint PATH] [--step N] WORD...</c>: the nearest words (cosine similarity) of a word in
/// a trained word2vec checkpoint (default: the newest word2vec run's latest), read from its <c>embeddings</c> tensor and the <c>metadata.tsv</c>
/// that training writes beside it. No device is needed.
/// </summary>
public static class SimilarCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var checkpoint = new Option<string?>("--checkpoint") { Description = "a checkpoint prefix (model.ckpt-100000) or a folder (its latest checkpoint); default: the newest word2vec run under ./runs" };
        var step = StepOption.Create();
        var vocabulary = new Option<string?>("--vocabulary") { Description = "the words of the rows, one a line (default: metadata.tsv beside the checkpoint)" };
        var top = new Option<int>("--top") { Description = "how many neighbours", DefaultValueFactory = _ => 8 };
        var tensor = new Option<string>("--tensor") { Description = "the embedding variable", DefaultValueFactory = _ => "embeddings" };
        var word = new Argument<string[]>("WORD") { Description = "the words to look up", Arity = ArgumentArity.OneOrMore };
        var command = new Command("similar", "Print the nearest words of WORD in a trained word2vec checkpoint.") { checkpoint, step, vocabulary, top, tensor, word };
        command.SetAction(parse =>
        {
            int n = parse.GetValue(top);
            if (n < 1) throw new ArgumentException($"--top must be positive; got {n}");
            string prefix = RunLocator.Checkpoint(parse.GetValue(checkpoint), parse.GetValue(step), "word2vec");
            var words = Vocabulary.ReadMetadata(parse.GetValue(vocabulary) ?? Path.Combine(RunLocator.FolderOf(prefix), ProjectorFiles.MetadataName));
            var nearest = NearestWords.FromCheckpoint(prefix, words, parse.GetValue(tensor)!);
            foreach (string w in parse.GetValue(word)!)
            {
                var neighbours = nearest.Of(w, n);
                Console.WriteLine($"{w}: " + string.Join(", ", neighbours.Select(x => x.Word + string.Create(CultureInfo.InvariantCulture, $" ({x.Similarity:F3})"))));
            }
            return 0;
        });
        return command;
    }
}
