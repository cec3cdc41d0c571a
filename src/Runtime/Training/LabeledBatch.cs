namespace GpuTrain.Runtime.Training;

/// <summary>A classifier's batch: examples of the model's input shape, row after row, and one class per example.</summary>
/// <param name="Images">Batch x input-size floats.</param>
/// <param name="Labels">One class per example.</param>
public readonly record struct LabeledBatch(ReadOnlyMemory<float> Images, ReadOnlyMemory<int> Labels);
