namespace GpuTrain.Examples.Word2Vec;

/// <summary>One "Average loss at step N" line of a skip-gram run.</summary>
/// <param name="Step">The global step it was printed at.</param>
/// <param name="Steps">How many steps it averages (the report period, or fewer for a run's first or last window).</param>
/// <param name="Loss">The mean loss of those steps.</param>
public sealed record AverageLossReport(long Step, int Steps, double Loss);
