using System.Buffers;
using System.Numerics.Tensors;
using GpuTrain.Runtime.Devices;
using ILGPU;

namespace GpuTrain.Runtime.Host;

/// <summary>
/// The fused BasicLSTMCell of <see cref="Kernels.LstmKernels"/> on host threads, a batch row at a
/// time. The gate activations (sigmoid, tanh: five transcendentals an element) are vectorized with
/// TensorPrimitives over each gate's contiguous run of units; the rest is the kernel's arithmetic in
/// the kernel's order. Through the per-index launcher a PTB small step spent 11 ms of its 50 in
/// 80 cell calls (137 us each for 4,000 elements). The vectorized exp rounds differently from the
/// kernel's scalar one, so results match the emulator to rounding, not bit for bit; they are
/// deterministic (a row never straddles two threads).
/// </summary>
internal static unsafe class HostLstmCell
{
    // Five transcendentals and a dozen flops an element: a row of a few hundred units is worth a thread.
    private const int CostPerElement = 16;

    public static void Forward(ArrayView<float> gates, ArrayView<float> previousCell, int units, float forgetBias,
        ArrayView<float> cell, ArrayView<float> hidden)
    {
        nint pg = (nint)HostMemory.Pointer(gates), pp = (nint)HostMemory.Pointer(previousCell);
        nint pc = (nint)HostMemory.Pointer(cell), ph = (nint)HostMemory.Pointer(hidden);
        int batch = checked((int)(cell.Length / units));
        HostParallel.ForRows(batch, units * CostPerElement,
            (lo, hi) => ForwardRows((float*)pg, (float*)pp, units, forgetBias, (float*)pc, (float*)ph, lo, hi));
    }

    public static void Backward(ArrayView<float> gates, ArrayView<float> previousCell, ArrayView<float> cell,
        ArrayView<float> dHidden, int units, float forgetBias, ArrayView<float> dCell, ArrayView<float> dGates)
    {
        nint pg = (nint)HostMemory.Pointer(gates), pp = (nint)HostMemory.Pointer(previousCell), pc = (nint)HostMemory.Pointer(cell);
        nint pdh = (nint)HostMemory.Pointer(dHidden), pdc = (nint)HostMemory.Pointer(dCell), pdg = (nint)HostMemory.Pointer(dGates);
        int batch = checked((int)(cell.Length / units));
        var states = new States((float*)pg, (float*)pp, (float*)pc);
        HostParallel.ForRows(batch, units * CostPerElement,
            (lo, hi) => BackwardRows(states, (float*)pdh, units, forgetBias, (float*)pdc, (float*)pdg, lo, hi));
    }

    private readonly struct States(float* gates, float* previousCell, float* cell)
    {
        public readonly float* Gates = gates, PreviousCell = previousCell, Cell = cell;
    }

    private static void ForwardRows(float* gates, float* previousCell, int units, float forgetBias, float* cell, float* hidden, int lo, int hi)
    {
        float[] rented = ArrayPool<float>.Shared.Rent(4 * units);
        try
        {
            var activations = rented.AsSpan(0, 4 * units);
            for (int b = lo; b < hi; b++)
            {
                Activate(gates + (long)b * 4 * units, units, forgetBias, activations);
                var i = activations[..units];
                var j = activations.Slice(units, units);
                var f = activations.Slice(2 * units, units);
                var o = activations.Slice(3 * units, units);
                float* p = previousCell + (long)b * units, c = cell + (long)b * units, h = hidden + (long)b * units;
                for (int k = 0; k < units; k++) c[k] = p[k] * f[k] + i[k] * j[k];
                var hRow = new Span<float>(h, units);
                TensorPrimitives.Tanh(new ReadOnlySpan<float>(c, units), hRow);
                TensorPrimitives.Multiply(hRow, o, hRow);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    private static void BackwardRows(States s, float* dHidden, int units, float forgetBias, float* dCell, float* dGates, int lo, int hi)
    {
        float[] rented = ArrayPool<float>.Shared.Rent(5 * units);
        try
        {
            var activations = rented.AsSpan(0, 4 * units);
            var tanhCell = rented.AsSpan(4 * units, units);
            for (int b = lo; b < hi; b++)
            {
                Activate(s.Gates + (long)b * 4 * units, units, forgetBias, activations);
                TensorPrimitives.Tanh(new ReadOnlySpan<float>(s.Cell + (long)b * units, units), tanhCell);
                float* p = s.PreviousCell + (long)b * units, dh = dHidden + (long)b * units, dc = dCell + (long)b * units;
                float* dg = dGates + (long)b * 4 * units;
                for (int k = 0; k < units; k++)
                {
                    float i = activations[k], j = activations[units + k], f = activations[2 * units + k], o = activations[3 * units + k];
                    float tc = tanhCell[k];
                    float d = dc[k] + dh[k] * o * (1f - tc * tc);
                    dg[k] = d * j * i * (1f - i);
                    dg[units + k] = d * i * (1f - j * j);
                    dg[2 * units + k] = d * p[k] * f * (1f - f);
                    dg[3 * units + k] = dh[k] * tc * o * (1f - o);
                    dc[k] = d * f;
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    // i = sigmoid, j = tanh, f = sigmoid(+ forget bias), o = sigmoid, over one row's four gate runs.
    private static void Activate(float* gates, int units, float forgetBias, Span<float> activations)
    {
        var g = new ReadOnlySpan<float>(gates, 4 * units);
        TensorPrimitives.Sigmoid(g[..units], activations[..units]);
        TensorPrimitives.Tanh(g.Slice(units, units), activations.Slice(units, units));
        TensorPrimitives.Add(g.Slice(2 * units, units), forgetBias, activations.Slice(2 * units, units));
        TensorPrimitives.Sigmoid(activations.Slice(2 * units, units), activations.Slice(2 * units, units));
        TensorPrimitives.Sigmoid(g.Slice(3 * units, units), activations.Slice(3 * units, units));
    }
}
