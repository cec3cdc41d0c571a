using GpuTrain.TestSupport;

namespace GpuTrain.Cli.Tests;

/// <summary>A small, learnable corpus in PTB format: 15 words with &lt;eos&gt;, 6 batches of 20 x 20 for the small config.</summary>
internal static class TinyPtbCorpus
{
    private static readonly string[] Sentences =
    [
        "the cat sat on the mat", "a dog ran to the park", "the bird sang in the tree",
        "a cat ran to the tree", "the dog sat on the mat",
    ];

    /// <summary>Writes ptb.train.txt, ptb.valid.txt and ptb.test.txt into <paramref name="dir"/>.</summary>
    public static void Write(TempDir dir)
    {
        // Train holds 6 batches of 20 x 20 for the small config; valid one; test about 100 words.
        File.WriteAllText(dir.Combine("ptb.train.txt"), Lines(360));
        File.WriteAllText(dir.Combine("ptb.valid.txt"), Lines(80));
        File.WriteAllText(dir.Combine("ptb.test.txt"), Lines(15));
    }

    private static string Lines(int count) =>
        string.Concat(Enumerable.Range(0, count).Select(i => " " + Sentences[(i * 3 + i / 5) % Sentences.Length] + " \n"));
}
