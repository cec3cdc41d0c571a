using System.Numerics.Tensors;
using GpuTrain.Persistence.Bundle;
using GpuTrain.Runtime.Text;

namespace GpuTrain.Examples.Word2Vec;

/// <summary>
/// The tutorial's evaluation: the words whose embeddings have the highest cosine similarity with a
/// probe word's (its <c>normalized_embeddings</c> and <c>similarity</c>), computed on the host from
/// a copy of the table, so it serves both the training loop and <c>gputrain similar</c>.
/// </summary>
public sealed class NearestWords
{
    private readonly float[] _unit;
    private readonly int _dim;

    /// <summary>Normalizes each row of <paramref name="embeddings"/> (V x <paramref name="dim"/>, row-major).</summary>
    /// <exception cref="ArgumentException">The table is not V x dim for the vocabulary.</exception>
    public NearestWords(Vocabulary vocabulary, float[] embeddings, int dim)
    {
        if (dim < 1 || embeddings.Length != (long)vocabulary.Size * dim)
            throw new ArgumentException($"an embedding table for {vocabulary.Size} words of width {dim} needs {(long)vocabulary.Size * dim} values; got {embeddings.Length}", nameof(embeddings));
        Vocabulary = vocabulary;
        _dim = dim;
        _unit = new float[embeddings.Length];
        for (int w = 0; w < vocabulary.Size; w++)
        {
            var row = embeddings.AsSpan(w * dim, dim);
            float norm = MathF.Sqrt(TensorPrimitives.Dot(row, row));
            TensorPrimitives.Divide(row, norm > 0f ? norm : 1f, _unit.AsSpan(w * dim, dim));
        }
    }

    /// <summary>
    /// The table <paramref name="tensorName"/> of the checkpoint <paramref name="prefix"/> (no device
    /// needed), its rows named by <paramref name="vocabulary"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">The tensor is not [vocabulary size, D], or the checkpoint is unreadable.</exception>
    /// <exception cref="IOException">The checkpoint's files cannot be read.</exception>
    public static NearestWords FromCheckpoint(string prefix, Vocabulary vocabulary, string tensorName = "embeddings")
    {
        var embeddings = TensorBundleReader.Open(prefix).Read(tensorName);
        if (embeddings.Shape.Count != 2 || embeddings.Shape[0] != vocabulary.Size)
            throw new InvalidDataException(
                $"checkpoint '{prefix}': '{tensorName}' has shape [{string.Join(", ", embeddings.Shape)}], not [{vocabulary.Size}, D] for the {vocabulary.Size}-word vocabulary");
        return new NearestWords(vocabulary, embeddings.ToArray<float>(), (int)embeddings.Shape[1]);
    }

    /// <summary>The words of the table's rows.</summary>
    public Vocabulary Vocabulary { get; }

    /// <summary>The <paramref name="top"/> words nearest to <paramref name="word"/> (itself excluded), nearest first, with their cosine similarity.</summary>
    /// <exception cref="KeyNotFoundException">The word is not in the vocabulary.</exception>
    public IReadOnlyList<(string Word, float Similarity)> Of(string word, int top = 8)
    {
        int id = Vocabulary.IdOf(word) ?? throw new KeyNotFoundException($"'{word}' is not in the vocabulary of {Vocabulary.Size} words");
        var probe = _unit.AsSpan(id * _dim, _dim);
        var best = new PriorityQueue<int, float>();
        for (int w = 0; w < Vocabulary.Size; w++)
        {
            if (w == id) continue;
            float s = TensorPrimitives.Dot(probe, _unit.AsSpan(w * _dim, _dim));
            if (best.Count < top) best.Enqueue(w, s);
            else if (top > 0 && s > Similarity(best)) best.EnqueueDequeue(w, s);
        }
        var result = new List<(string, float)>(best.Count);
        while (best.TryDequeue(out int w, out float s)) result.Add((Vocabulary.Words[w], s));
        result.Reverse();
        return result;
    }

    private static float Similarity(PriorityQueue<int, float> queue) => queue.TryPeek(out _, out float s) ? s : float.NegativeInfinity;
}
