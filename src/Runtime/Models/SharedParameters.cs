using GpuTrain.Kernels;
using GpuTrain.Runtime.Gemm;
using GpuTrain.Runtime.Layers;
using GpuTrain.Runtime.Tensors;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Models;

/// <summary>
/// The trainable tensors of a model composed by hand (an embedding, stacked LSTM layers, a softmax)
/// rather than stacked in a <see cref="Sequential"/>, in one parameter arena with a gradient arena of
/// the same layout, and the means to plan several graphs over them. A language model trains on one
/// batch shape (20 streams x 35 steps) and evaluates on others (1 x 1) with the same weights: each
/// graph plans its own layer instances here, so each owns its activations and carried state while
/// all of them read and accumulate into these arenas.
/// <para>
/// Declare the tensors with <see cref="Declare"/> (or a block's <c>Parameters</c>), construct the set,
/// then <see cref="Plan{TLayer}"/> fresh layers of the same names for each graph.
/// </para>
/// </summary>
public sealed class SharedParameters : IDisposable
{
    /// <summary>Lays out <paramref name="tensors"/> in order and fills each with its initializer.</summary>
    /// <param name="device">Where the arenas live.</param>
    /// <param name="tensors">The tensors, in checkpoint order; names must be distinct.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="initializerStream">
    /// Tensor i draws its initial values from the Philox key (seed, stream, i): a model keeps its own
    /// stream so that two models of one seed do not start from correlated values, and a model that must
    /// reproduce its earlier initial values keeps the stream it had.
    /// </param>
    /// <exception cref="ArgumentException">No tensors, or two share a name.</exception>
    public SharedParameters(Device device, IEnumerable<ParameterSpec> tensors, ulong seed, ulong initializerStream)
    {
        var specs = tensors.ToList();
        if (specs.Count == 0) throw new ArgumentException("a model needs at least one trainable tensor", nameof(tensors));
        var duplicate = specs.GroupBy(s => s.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"two tensors are named '{duplicate.Key}'", nameof(tensors));
        var layout = new ArenaLayout();
        foreach (var spec in specs) layout.Add(spec.Name, spec.Shape);
        Device = device;
        Tensors = specs;
        Parameters = new ParameterArena(device, layout);
        Gradients = new ParameterArena(device, layout);
        Gemm = GemmEngines.For(device);
        for (int i = 0; i < specs.Count; i++)
            specs[i].Initializer.Fill(Parameters, Parameters[specs[i].Name], Philox.Bits64(seed, initializerStream, (ulong)i));
    }

    /// <summary>
    /// The tensors <paramref name="layer"/> declares when it reads examples of <paramref name="inputShape"/>
    /// (a layer's tensor shapes depend on its input: an LSTM's kernel is [inputs + units, 4·units]).
    /// The layer keeps its requested name, or its prefix alone (<c>lstm</c>, <c>dense</c>) without one.
    /// </summary>
    /// <exception cref="ArgumentException">The layer rejects the shape.</exception>
    public static IReadOnlyList<ParameterSpec> Declare(Layer layer, params int[] inputShape)
    {
        layer.Build(new Shape(inputShape), prefix => prefix);
        return layer.Parameters;
    }

    /// <summary>The device.</summary>
    public Device Device { get; }

    /// <summary>The tensors, in arena order.</summary>
    public IReadOnlyList<ParameterSpec> Tensors { get; }

    /// <summary>The parameters.</summary>
    public ParameterArena Parameters { get; }

    /// <summary>Their gradients (same layout); backward passes accumulate here.</summary>
    public ParameterArena Gradients { get; }

    /// <summary>The device's GEMM engine, shared by every graph planned here.</summary>
    public IGemmEngine Gemm { get; }

    /// <summary>What a block binds to for batches of <paramref name="steps"/> time steps (see <see cref="ModelContext.Steps"/>).</summary>
    public ModelContext Context(int steps = 1) => new(Device, Parameters, Gradients, Gemm) { Steps = steps };

    /// <summary>
    /// Binds <paramref name="layer"/>, reading examples of <paramref name="inputShape"/>, to these
    /// arenas and plans its buffers for <paramref name="rows"/> rows: <paramref name="rows"/> examples,
    /// or <c>rows / steps</c> streams of <paramref name="steps"/> time steps, time-major.
    /// </summary>
    /// <returns>The layer, ready for Forward and Backward.</returns>
    /// <exception cref="ArgumentException">A size is not positive, or the layer declares a tensor this set does not hold with that shape.</exception>
    public TLayer Plan<TLayer>(TLayer layer, int[] inputShape, int rows, int steps = 1) where TLayer : Layer
    {
        if (rows < 1) throw new ArgumentException($"a batch needs at least one row; got {rows}", nameof(rows));
        if (steps < 1) throw new ArgumentException($"time steps must be positive; got {steps}", nameof(steps));
        foreach (var spec in Declare(layer, inputShape))
        {
            var held = Parameters.Layout.Slices.FirstOrDefault(s => s.Name == spec.Name);
            if (held is null || !held.Shape.Equals(spec.Shape))
                throw new ArgumentException($"layer {layer.Name} declares '{spec.Name}' {spec.Shape}, which these parameters do not hold"
                    + (held is null ? "" : $" (they hold {held.Shape})"), nameof(layer));
        }
        layer.Plan(Context(steps), rows);
        return layer;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Parameters.Dispose();
        Gradients.Dispose();
        Gemm.Dispose();
    }
}
