using GpuTrain.Kernels;
using GpuTrain.Runtime.Models;
using GpuTrain.Runtime.Ops;
using GpuTrain.Runtime.Tensors;
using ILGPU;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Losses;

/// <summary>
/// Mean softmax cross-entropy over integer class labels
/// (<c>tf.nn.sparse_softmax_cross_entropy_with_logits</c> followed by <c>reduce_mean</c>).
/// It writes the gradient of the mean loss with respect to the logits, (softmax - onehot) / batch,
/// straight into the model's output gradient, and holds the one small buffer it needs for the
/// per-example losses and the probabilities (<see cref="Softmax"/>).
/// </summary>
public sealed class SoftmaxCrossEntropy : IDisposable
{
    private Tensor<float>? _losses, _probs;
    private float[] _host = [];

    /// <summary>
    /// Computes the mean loss of the model's current output against <paramref name="labels"/>
    /// ([batch] ints on the device) and writes dLoss/dLogits into <see cref="Sequential.OutputGrad"/>.
    /// </summary>
    public float Compute(Sequential model, ArrayView<int> labels)
    {
        int batch = model.Rows, classes = checked((int)model.OutputShape.Size);
        Prepare(model.Device, batch, classes);
        SoftmaxOps.CrossEntropy(model.Device, model.Output, labels, classes, _probs!.View, _losses!.View);
        SoftmaxOps.CrossEntropyGrad(model.Device, _probs.View, labels, classes, model.OutputGrad);
        _losses.View.CopyToCPU(_host);
        double sum = 0;
        foreach (float l in _host) sum += l;
        return (float)(sum / batch);
    }

    private void Prepare(Device device, int batch, int classes)
    {
        if (_losses is not null && _losses.Size == batch && _probs!.Size == batch * classes) return;
        Dispose();
        _losses = new Tensor<float>(device, new Shape(batch));
        _probs = new Tensor<float>(device, new Shape(batch, classes));
        _host = new float[batch];
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _losses?.Dispose();
        _probs?.Dispose();
    }
}
