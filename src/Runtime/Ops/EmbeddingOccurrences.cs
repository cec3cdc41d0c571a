using ILGPU;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Ops;

/// <summary>
/// Where each id occurs in a batch, in the compressed form the embedding gradient reads: the
/// distinct ids in increasing order, for each the start of its run in a list of positions, and the
/// positions grouped by id, increasing within a group. Built on the host once per batch (a counting
/// sort, O(positions + distinct)), uploaded into buffers sized for the batch.
/// </summary>
internal sealed class EmbeddingOccurrences : IDisposable
{
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _rows, _starts, _positions;
    private readonly int[] _hostRows, _hostStarts, _hostPositions;
    private readonly Dictionary<int, int> _countById = [];

    /// <summary>Buffers for batches of <paramref name="positions"/> ids on <paramref name="device"/>.</summary>
    public EmbeddingOccurrences(Device device, int positions)
    {
        if (positions < 1) throw new ArgumentException($"an embedding batch needs at least one position; got {positions}", nameof(positions));
        _hostRows = new int[positions];
        _hostStarts = new int[positions + 1];
        _hostPositions = new int[positions];
        _rows = device.Accelerator.Allocate1D<int>(positions);
        _starts = device.Accelerator.Allocate1D<int>(positions + 1);
        _positions = device.Accelerator.Allocate1D<int>(positions);
    }

    /// <summary>How many ids a batch holds.</summary>
    public int Positions => _hostPositions.Length;

    /// <summary>Distinct ids in the uploaded batch.</summary>
    public int DistinctRows { get; private set; }

    /// <summary>The distinct ids, increasing (the first <see cref="DistinctRows"/> entries are valid).</summary>
    public ArrayView<int> Rows => _rows.View;

    /// <summary>Run starts into <see cref="PositionList"/>, one per distinct id plus the end.</summary>
    public ArrayView<int> Starts => _starts.View;

    /// <summary>The positions grouped by id.</summary>
    public ArrayView<int> PositionList => _positions.View;

    /// <summary>Groups <paramref name="ids"/> (one per position) and uploads the result.</summary>
    /// <exception cref="ArgumentException">The batch has another length than planned.</exception>
    public void Upload(ReadOnlySpan<int> ids)
    {
        if (ids.Length != Positions)
            throw new ArgumentException($"embedding occurrences were planned for {Positions} ids; got {ids.Length}", nameof(ids));
        _countById.Clear();
        foreach (int id in ids) _countById[id] = _countById.GetValueOrDefault(id) + 1;
        DistinctRows = _countById.Count;
        _countById.Keys.CopyTo(_hostRows, 0);
        Array.Sort(_hostRows, 0, DistinctRows);
        // Prefix sums give each id's run; the dictionary then holds each run's next free slot.
        int start = 0;
        for (int u = 0; u < DistinctRows; u++)
        {
            _hostStarts[u] = start;
            int count = _countById[_hostRows[u]];
            _countById[_hostRows[u]] = start;
            start += count;
        }
        _hostStarts[DistinctRows] = start;
        for (int p = 0; p < ids.Length; p++)
            _hostPositions[_countById[ids[p]]++] = p;
        _rows.View.BaseView.SubView(0, DistinctRows).CopyFromCPU(_hostRows.AsSpan(0, DistinctRows));
        _starts.View.BaseView.SubView(0, DistinctRows + 1).CopyFromCPU(_hostStarts.AsSpan(0, DistinctRows + 1));
        _positions.View.CopyFromCPU(_hostPositions);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _rows.Dispose();
        _starts.Dispose();
        _positions.Dispose();
    }
}
