using GpuTrain.Logging;
using GpuTrain.Runtime.Tensors;

namespace GpuTrain.Runtime.Training;

/// <summary>TensorBoard histograms of every tensor of a parameter arena and, when given, of its gradients.</summary>
internal static class ParameterHistograms
{
    /// <summary>Logs <c>NAME</c> for each parameter and <c>NAME/gradient</c> for each gradient at <paramref name="step"/>.</summary>
    public static void Log(SummaryWriter writer, ParameterArena parameters, ParameterArena? gradients, long step)
    {
        foreach (var slice in parameters.Layout.Slices)
        {
            writer.Histogram(slice.Name, parameters.Download(slice), step);
            if (gradients is not null) writer.Histogram(slice.Name + "/gradient", gradients.Download(slice), step);
        }
    }
}
