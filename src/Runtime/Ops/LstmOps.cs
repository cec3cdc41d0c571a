using GpuTrain.Kernels;
using GpuTrain.Runtime.Host;
using ILGPU;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Ops;

/// <summary>
/// Launches the fused <see cref="LstmKernels"/> cell for one time step over a [batch, units] state
/// (on host threads: <see cref="HostLstmCell"/>).
/// </summary>
internal static class LstmOps
{
    private static readonly Action<Index1D, ArrayView<float>, ArrayView<float>, int, float, ArrayView<float>, ArrayView<float>> ForwardKernel =
        LstmKernels.CellForward;
    private static readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, float, ArrayView<float>, ArrayView<float>> BackwardKernel =
        LstmKernels.CellBackward;

    /// <summary>
    /// <c>cell, hidden = BasicLSTMCell(gates, previousCell)</c>: <paramref name="gates"/> is
    /// [batch, 4·units] (i, j, f, o pre-activations), the states [batch, units].
    /// </summary>
    public static void CellForward(Device device, ArrayView<float> gates, ArrayView<float> previousCell, int units, float forgetBias,
        ArrayView<float> cell, ArrayView<float> hidden)
    {
        ViewChecks.Positive(units, nameof(units));
        int batch = ViewChecks.Rows(gates, 4 * units, nameof(gates));
        ViewChecks.Length(previousCell, (long)batch * units, nameof(previousCell));
        ViewChecks.Length(cell, (long)batch * units, nameof(cell));
        ViewChecks.Length(hidden, (long)batch * units, nameof(hidden));
        if (batch == 0) return;
        if (device.RunsKernelsOnHost)
        {
            HostLstmCell.Forward(gates, previousCell, units, forgetBias, cell, hidden);
            return;
        }
        device.Kernel(ForwardKernel, acc => acc.LoadAutoGroupedStreamKernel(ForwardKernel))(
            ViewChecks.Extent(cell, nameof(cell)), gates, previousCell, units, forgetBias, cell, hidden);
    }

    /// <summary>
    /// One step back: <paramref name="dCell"/> enters as dL/dc' (from step t+1) and leaves as
    /// dL/dc (for step t-1); <paramref name="dGates"/> gets dL/d(gate pre-activations).
    /// </summary>
    public static void CellBackward(Device device, ArrayView<float> gates, ArrayView<float> previousCell, ArrayView<float> cell,
        ArrayView<float> dHidden, int units, float forgetBias, ArrayView<float> dCell, ArrayView<float> dGates)
    {
        ViewChecks.Positive(units, nameof(units));
        int batch = ViewChecks.Rows(gates, 4 * units, nameof(gates));
        ViewChecks.Length(previousCell, (long)batch * units, nameof(previousCell));
        ViewChecks.Length(cell, (long)batch * units, nameof(cell));
        ViewChecks.Length(dHidden, (long)batch * units, nameof(dHidden));
        ViewChecks.Length(dCell, (long)batch * units, nameof(dCell));
        ViewChecks.SameLength(gates, dGates, nameof(gates), nameof(dGates));
        if (batch == 0) return;
        if (device.RunsKernelsOnHost)
        {
            HostLstmCell.Backward(gates, previousCell, cell, dHidden, units, forgetBias, dCell, dGates);
            return;
        }
        device.Kernel(BackwardKernel, acc => acc.LoadAutoGroupedStreamKernel(BackwardKernel))(
            ViewChecks.Extent(cell, nameof(cell)), gates, previousCell, cell, dHidden, units, forgetBias, dCell, dGates);
    }
}
