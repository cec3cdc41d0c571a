using GpuTrain.Runtime.Tensors;
using ILGPU;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Optimizers;

/// <summary>
/// Base of the optimizers: applies one fused update kernel over the parameter arena, owns its slot
/// arenas (same layout as the parameters, created on <see cref="Attach"/>), counts steps, and lists
/// its state under TF1's checkpoint names so a saver can store and restore it.
/// </summary>
public abstract class Optimizer : IDisposable
{
    private readonly List<ParameterArena> _owned = [];
    private readonly List<OptimizerVariable> _variables = [];
    private ArenaLayout? _layout;

    /// <summary>Sets the learning-rate schedule (a float converts to a constant one).</summary>
    protected Optimizer(LearningRateSchedule learningRate) => LearningRate = learningRate;

    /// <summary>The learning rate as a function of the global step.</summary>
    public LearningRateSchedule LearningRate { get; }

    /// <summary>The slot and non-slot variables, with checkpoint names; empty before <see cref="Attach"/>.</summary>
    public IReadOnlyList<OptimizerVariable> Variables => _variables;

    /// <summary>
    /// Creates the optimizer state for <paramref name="parameters"/> (idempotent). Call before
    /// restoring a checkpoint; the first update calls it.
    /// </summary>
    /// <exception cref="ArgumentException">Already attached to a different layout.</exception>
    public void Attach(ParameterArena parameters)
    {
        if (_layout is not null)
        {
            if (!ReferenceEquals(_layout, parameters.Layout))
                throw new ArgumentException($"{GetType().Name} is already attached to another parameter layout", nameof(parameters));
            return;
        }
        _layout = parameters.Layout;
        CreateState(parameters.Device, parameters.Layout);
    }

    /// <summary>
    /// Applies the update of global step <paramref name="step"/> to <paramref name="model"/>'s
    /// parameters from its dense gradients (a row-sparse optimizer overrides this).
    /// </summary>
    /// <exception cref="ArgumentException">The model has no dense gradients.</exception>
    public virtual void Apply(Training.ITrainable model, long step) =>
        Apply(model.Parameters, model.Gradients ?? throw new ArgumentException(
            $"{GetType().Name} updates from dense gradients; this model's loss leaves row-sparse ones", nameof(model)), step);

    /// <summary>Applies the update of global step <paramref name="step"/> from <paramref name="gradients"/> to <paramref name="parameters"/>.</summary>
    /// <exception cref="ArgumentException">The gradients' layout is not the parameters'.</exception>
    public void Apply(ParameterArena parameters, ParameterArena gradients, long step)
    {
        if (gradients.Layout.TotalSize != parameters.Layout.TotalSize)
            throw new ArgumentException(
                $"gradient arena ({gradients.Layout.TotalSize} floats) does not match the parameter arena ({parameters.Layout.TotalSize})",
                nameof(gradients));
        Attach(parameters);
        Update(parameters.Device, parameters.View, gradients.View, LearningRate.At(step));
    }

    /// <summary>Allocates the slots (via <see cref="AddSlot"/> and <see cref="AddNonSlot"/>).</summary>
    protected abstract void CreateState(Device device, ArenaLayout layout);

    /// <summary>Launches the update kernel for one step at <paramref name="learningRate"/>.</summary>
    protected abstract void Update(Device device, ArrayView<float> parameters, ArrayView<float> gradients, float learningRate);

    /// <summary>
    /// A slot arena with the parameters' layout, every element <paramref name="initialValue"/>,
    /// listed as <c>&lt;var&gt;/<paramref name="suffix"/></c> for each parameter.
    /// </summary>
    protected ParameterArena AddSlot(Device device, ArenaLayout layout, string suffix, float initialValue)
    {
        var arena = Own(new ParameterArena(device, layout), initialValue);
        foreach (var slice in layout.Slices) _variables.Add(new OptimizerVariable($"{slice.Name}/{suffix}", arena, slice));
        return arena;
    }

    /// <summary>Scalar variables not tied to a parameter (Adam's beta powers), one arena for all.</summary>
    protected ParameterArena AddNonSlot(Device device, params (string Name, float Initial)[] scalars)
    {
        var layout = new ArenaLayout();
        foreach (var (name, _) in scalars) layout.Add(name, Shape.Scalar);
        var arena = Own(new ParameterArena(device, layout), 0f);
        foreach (var (name, initial) in scalars)
        {
            arena.Upload(arena[name], [initial]);
            _variables.Add(new OptimizerVariable(name, arena, arena[name]));
        }
        return arena;
    }

    private ParameterArena Own(ParameterArena arena, float initialValue)
    {
        _owned.Add(arena);
        if (initialValue != 0f)
        {
            var fill = new float[arena.Layout.TotalSize];
            Array.Fill(fill, initialValue);
            arena.View.CopyFromCPU(fill);
        }
        return arena;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var arena in _owned) arena.Dispose();
        _owned.Clear();
        GC.SuppressFinalize(this);
    }
}
