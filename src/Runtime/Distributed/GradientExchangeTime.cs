namespace GpuTrain.Runtime.Distributed;

/// <summary>
/// What a data-parallel run's gradient exchange cost this rank: the steps exchanged, the mean time in
/// the collectives per step (waiting for slower ranks included) and the bytes this rank sends per step.
/// </summary>
/// <param name="Steps">Steps whose gradients were exchanged.</param>
/// <param name="MeanMilliseconds">Mean milliseconds per step inside the exchange's collectives.</param>
/// <param name="BytesPerStep">Bytes this rank contributes to the collectives per step.</param>
public readonly record struct GradientExchangeTime(long Steps, double MeanMilliseconds, long BytesPerStep);
