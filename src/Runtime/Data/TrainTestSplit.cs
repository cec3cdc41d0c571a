namespace GpuTrain.Runtime.Data;

/// <summary>A training set and its held-out test set.</summary>
/// <param name="Train">The images to train on.</param>
/// <param name="Test">The images to evaluate on, never trained on.</param>
public sealed record TrainTestSplit(ImageDataset Train, ImageDataset Test);
