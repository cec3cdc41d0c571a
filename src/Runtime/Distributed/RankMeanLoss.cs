using GpuTrain.Runtime.Training;

namespace GpuTrain.Runtime.Distributed;

/// <summary>
/// Makes the loss every observer sees the global batch's: the mean over the ranks of their batch
/// losses (each rank's share is the same size). Add it first, on every rank: it is a collective.
/// </summary>
/// <param name="world">The ranks.</param>
public sealed class RankMeanLoss(Communicator world) : ITrainingObserver
{
    private readonly double[] _loss = new double[1];

    /// <inheritdoc />
    public void OnStep(TrainingRun run)
    {
        if (!world.IsDistributed) return;
        _loss[0] = run.Loss;
        using (Communicator.For($"the loss mean of step {run.GlobalStep}"))
            world.AllreduceSum(_loss.AsSpan());
        run.Loss = (float)(_loss[0] / world.Size);
    }
}
