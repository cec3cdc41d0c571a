using GpuTrain.Runtime.Tensors;
using ILGPU;

namespace GpuTrain.Runtime.Layers;

/// <summary>
/// One layer of a model: a small class whose Forward and Backward launch kernels over buffers that
/// <see cref="Models.Sequential"/> planned once for the batch shape (the training step allocates nothing).
/// <para>
/// Gradient convention (llm.c): Backward <b>accumulates</b> (+=) into parameter gradients, so the
/// trainer clears the gradient arena once per step, and <b>overwrites</b> the input gradient dX.
/// A layer that writes a whole parameter gradient in one go may take it through
/// <see cref="ParameterArena.Accumulator"/>, which says whether it is the first contribution since
/// the clear (write with beta 0) or must add (beta 1).
/// An empty dX view means nobody needs the input gradient (the first layer) and it is not computed.
/// </para>
/// </summary>
public abstract class Layer : IDisposable
{
    private readonly string? _requestedName;

    /// <summary>Creates a layer; <paramref name="name"/> overrides the automatic one (conv1, dense2, ...).</summary>
    protected Layer(string? name) => _requestedName = name;

    /// <summary>The layer's name, the prefix of its parameter names (<c>conv1/kernel</c>).</summary>
    public string Name { get; private set; } = "";

    /// <summary>The per-example input shape (without the batch dimension).</summary>
    public Shape InputShape { get; private set; } = Shape.Scalar;

    /// <summary>The per-example output shape (without the batch dimension).</summary>
    public Shape OutputShape { get; private set; } = Shape.Scalar;

    /// <summary>The prefix of automatic names, numbered from 1 per model: "conv" gives conv1, conv2.</summary>
    protected abstract string NamePrefix { get; }

    /// <summary>The trainable tensors this layer declares, named <c>&lt;layer&gt;/&lt;tensor&gt;</c>.</summary>
    public virtual IReadOnlyList<ParameterSpec> Parameters => [];

    /// <summary>Computes the per-example output shape for <paramref name="input"/> (and validates it).</summary>
    protected abstract Shape ComputeOutputShape(Shape input);

    /// <summary>Binds the layer to its model: arena slices, the GEMM engine, buffers for <paramref name="batch"/> examples.</summary>
    protected internal virtual void Plan(ModelContext model, int batch) { }

    /// <summary>Y = f(X) for the planned batch.</summary>
    public abstract void Forward(PassContext pass, ArrayView<float> x, ArrayView<float> y);

    /// <summary>
    /// dX = (∂Y/∂X)ᵀ dY (overwritten; skipped when <paramref name="dx"/> is empty) and parameter
    /// gradients += (∂Y/∂θ)ᵀ dY. <paramref name="x"/> and <paramref name="y"/> are this step's forward values;
    /// <paramref name="dy"/> belongs to this layer and may serve as scratch (a recurrent layer's does).
    /// </summary>
    public abstract void Backward(PassContext pass, ArrayView<float> x, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx);

    /// <summary>
    /// Whether <see cref="Forward"/> may write Y over X and <see cref="Backward"/> dX over dY (an
    /// element-wise layer such as ReLU), so that <see cref="Models.Sequential"/> may give it its
    /// input's buffers; it does so only where the layer before does not read its own output in its
    /// backward pass (<see cref="BackwardReadsOutput"/>), and then sets <see cref="InPlace"/>.
    /// </summary>
    internal virtual bool CanRunInPlace => false;

    /// <summary>
    /// Whether Y is X itself, reshaped (Flatten): <see cref="Models.Sequential"/> then gives the layer
    /// its input's buffers and sets <see cref="InPlace"/>, and the layer has nothing to do.
    /// </summary>
    internal virtual bool IsView => false;

    /// <summary>
    /// Whether <see cref="Backward"/> reads this layer's forward output Y, which a following in-place
    /// layer would have overwritten. True unless a layer says otherwise (a layer written elsewhere may).
    /// </summary>
    internal virtual bool BackwardReadsOutput => true;

    /// <summary>Set by the model's plan: Y shares X's buffer and dX shares dY's (see <see cref="CanRunInPlace"/>, <see cref="IsView"/>).</summary>
    internal bool InPlace { get; set; }

    internal Shape Build(Shape input, Func<string, string> autoName)
    {
        Name = _requestedName ?? autoName(NamePrefix);
        InputShape = input;
        OutputShape = ComputeOutputShape(input);
        return OutputShape;
    }

    /// <summary>Releases buffers the layer planned (scratch such as im2col matrices).</summary>
    public virtual void Dispose() => GC.SuppressFinalize(this);
}
