namespace GpuTrain.Runtime.Training;

/// <summary>A batch of (input word, label word) id pairs, e.g. skip-gram's (centre, context).</summary>
/// <param name="Inputs">One input id per example.</param>
/// <param name="Labels">One label id per example.</param>
public readonly record struct WordPairBatch(ReadOnlyMemory<int> Inputs, ReadOnlyMemory<int> Labels);
