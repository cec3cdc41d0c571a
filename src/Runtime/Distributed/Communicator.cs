using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace GpuTrain.Runtime.Distributed;

/// <summary>
/// The processes of one training job and the collectives GpuTrain needs between them. Under an MPI
/// launcher (<c>mpirun -np N</c>) <see cref="World"/> is MPI_COMM_WORLD of the launcher's MPI, bound
/// at run time; in a process started any other way it is a world of one whose collectives return
/// their input, and no MPI library is loaded. Collectives are called by every rank in the same order;
/// one communicator is used by one thread at a time (<see cref="Duplicate"/> gives another thread its own).
/// Under a launcher every MPI call, on any thread and on duplicates too, is subject to one deadline
/// (<see cref="DeadlineVariable"/> seconds, default 10 minutes): a collective that waits longer for
/// the other ranks ends the job with one line naming the rank, the call and the limit.
/// </summary>
public sealed unsafe class Communicator : IDisposable
{
    private static readonly Lazy<Communicator> LazyWorld = new(() => Start(Environment.GetEnvironmentVariable), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly MpiLibrary? _mpi;
    private readonly CollectiveDeadline? _deadline;
    private readonly nint _comm;
    private readonly bool _isWorld;
    private bool _disposed;

    private Communicator(MpiLibrary? mpi, CollectiveDeadline? deadline, nint comm, int rank, int size, string description, bool isWorld)
    {
        _mpi = mpi;
        _deadline = deadline;
        _comm = comm;
        Rank = rank;
        Size = size;
        Description = description;
        _isWorld = isWorld;
    }

    /// <summary>
    /// This job's processes: MPI_COMM_WORLD under a launcher (initialized on first use with
    /// MPI_THREAD_MULTIPLE and finalized at process exit), else a world of one.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// Under a launcher, no MPI library loads, it lacks MPI_THREAD_MULTIPLE, or it does not see the
    /// processes the launcher started (a launcher of one MPI running another MPI's library).
    /// </exception>
    public static Communicator World => LazyWorld.Value;

    /// <summary>The number of processes the MPI launcher started, or null outside a launcher (read from its environment; loads nothing).</summary>
    /// <exception cref="InvalidOperationException">A launcher variable holds no process count.</exception>
    public static int? LaunchedProcesses => MpiLaunch.Detect(Environment.GetEnvironmentVariable)?.Size;

    /// <summary>True when this process was started by an MPI launcher (read from its environment; loads nothing).</summary>
    public static bool UnderLauncher => MpiLaunch.Detect(Environment.GetEnvironmentVariable) is not null;

    /// <summary>The variable that sets how long a rank waits for the others in any collective, in seconds (default 600).</summary>
    public const string DeadlineVariable = CollectiveDeadline.Variable;

    /// <summary>This process's rank, 0 to <see cref="Size"/> - 1.</summary>
    public int Rank { get; }

    /// <summary>The number of processes.</summary>
    public int Size { get; }

    /// <summary>True on rank 0, the one that prints, logs and commits checkpoints.</summary>
    public bool IsRoot => Rank == 0;

    /// <summary>True when there is more than one process.</summary>
    public bool IsDistributed => Size > 1;

    /// <summary>What carries the collectives, e.g. "Open MPI v4.1.4 (libmpi.so.40, Open MPI ABI), 2 processes".</summary>
    public string Description { get; }

    /// <summary>Replaces every rank's <paramref name="data"/> by the element-wise sum over the ranks, in place.</summary>
    public void AllreduceSum(Span<float> data)
    {
        fixed (float* p = data) AllreduceSum(p, data.Length);
    }

    /// <summary>Replaces every rank's <paramref name="data"/> by the element-wise sum over the ranks, in place.</summary>
    public void AllreduceSum(Span<double> data)
    {
        if (_mpi is null || data.IsEmpty) return;
        using var wait = Watch("MPI_Allreduce");
        fixed (double* p = data) _mpi.AllreduceInPlace(p, data.Length, _mpi.Handles.Double, _mpi.Handles.Sum, _comm);
    }

    /// <summary>The largest of every rank's <paramref name="value"/>, on every rank.</summary>
    public long Max(long value) => Reduce(value, max: true);

    /// <summary>The smallest of every rank's <paramref name="value"/>, on every rank.</summary>
    public long Min(long value) => Reduce(value, max: false);

    /// <summary>Copies <paramref name="data"/> of rank <paramref name="root"/> into every rank's <paramref name="data"/>.</summary>
    public void Broadcast<T>(Span<T> data, int root = 0) where T : unmanaged
    {
        CheckRoot(root);
        var bytes = MemoryMarshal.AsBytes(data);
        if (_mpi is null || bytes.IsEmpty) return;
        using var wait = Watch("MPI_Bcast");
        fixed (byte* p = bytes)
        {
            for (long done = 0; done < bytes.Length; done += int.MaxValue)
                _mpi.Broadcast(p + done, (int)Math.Min(int.MaxValue, bytes.Length - done), _mpi.Handles.Byte, root, _comm);
        }
    }

    /// <summary>Rank <paramref name="root"/>'s <paramref name="value"/>, on every rank (the others' values are ignored).</summary>
    public string Broadcast(string value, int root = 0)
    {
        CheckRoot(root);
        if (_mpi is null) return value;
        var bytes = Rank == root ? System.Text.Encoding.UTF8.GetBytes(value) : [];
        var length = new long[] { bytes.LongLength };
        Broadcast<long>(length, root);
        if (Rank != root) bytes = new byte[checked((int)length[0])];
        Broadcast<byte>(bytes, root);
        return System.Text.Encoding.UTF8.GetString(bytes);
    }

    /// <summary>
    /// Collects every rank's <paramref name="mine"/> (any length) on rank <paramref name="root"/>, in
    /// rank order; other ranks get null.
    /// </summary>
    public byte[][]? Gather(ReadOnlySpan<byte> mine, int root = 0)
    {
        CheckRoot(root);
        if (_mpi is null) return [mine.ToArray()];
        var h = _mpi.Handles;
        long length = mine.Length;
        var lengths = new long[Size];
        using (Watch("MPI_Gather"))
        {
            fixed (long* pl = lengths) _mpi.Gather(&length, 1, h.Int64, pl, 1, h.Int64, root, _comm);
        }
        var counts = new int[Size];
        var displacements = new int[Size];
        long total = 0;
        for (int r = 0; r < Size; r++)
        {
            counts[r] = checked((int)lengths[r]);
            displacements[r] = checked((int)total);
            total += lengths[r];
        }
        var all = new byte[Rank == root ? checked((int)total) : 0];
        using (Watch("MPI_Gatherv"))
        fixed (byte* ps = mine)
        fixed (byte* pa = all)
        fixed (int* pc = counts)
        fixed (int* pd = displacements)
            _mpi.Gatherv(ps, mine.Length, h.Byte, pa, pc, pd, h.Byte, root, _comm);
        if (Rank != root) return null;
        return Enumerable.Range(0, Size).Select(r => all.AsSpan(displacements[r], counts[r]).ToArray()).ToArray();
    }

    /// <summary>
    /// Every rank's <paramref name="mine"/> (the same length on every rank), in rank order, into every
    /// rank's <paramref name="all"/> (<see cref="Size"/> times as long).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="all"/> is not <see cref="Size"/> x <paramref name="mine"/> long.</exception>
    public void AllGather<T>(ReadOnlySpan<T> mine, Span<T> all) where T : unmanaged
    {
        if (all.Length != (long)mine.Length * Size)
            throw new ArgumentException($"all holds {all.Length} elements; {Size} ranks of {mine.Length} need {(long)mine.Length * Size}", nameof(all));
        var send = MemoryMarshal.AsBytes(mine);
        if (_mpi is null)
        {
            mine.CopyTo(all);
            return;
        }
        if (send.IsEmpty) return;
        using var wait = Watch("MPI_Allgather");
        fixed (byte* ps = send)
        fixed (byte* pa = MemoryMarshal.AsBytes(all))
            _mpi.Allgather(ps, send.Length, _mpi.Handles.Byte, pa, send.Length, _mpi.Handles.Byte, _comm);
    }

    /// <summary>Waits until every rank has called it.</summary>
    public void Barrier()
    {
        if (_mpi is null) return;
        using var wait = Watch("MPI_Barrier");
        _mpi.Barrier(_comm);
    }

    /// <summary>A communicator over the same processes with its own message space, for another thread's collectives.</summary>
    public Communicator Duplicate()
    {
        if (_mpi is null) return new Communicator(null, null, 0, Rank, Size, Description, isWorld: false);
        using var wait = Watch("MPI_Comm_dup");
        return new Communicator(_mpi, _deadline, _mpi.Duplicate(_comm), Rank, Size, Description, isWorld: false);
    }

    /// <summary>Ends every process of the job with exit code <paramref name="code"/> (MPI_Abort); in a world of one, this process.</summary>
    [DoesNotReturn]
    public void Abort(int code)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        _mpi?.Abort(_comm, code);
        Environment.Exit(code);
        throw new UnreachableException();
    }

    /// <summary>Frees a duplicate; finalizes MPI for the world (which is also done at process exit).</summary>
    public void Dispose()
    {
        if (_disposed || _mpi is null) return;
        _disposed = true;
        if (!_isWorld)
        {
            using var wait = Watch("MPI_Comm_free");
            _mpi.Free(_comm);
        }
        else if (!_mpi.Finalized())
        {
            using var wait = Watch("MPI_Finalize");
            _mpi.FinalizeMpi();
        }
    }

    /// <summary>The world for the environment <paramref name="environment"/>: MPI under a launcher, else one process.</summary>
    internal static Communicator Start(Func<string, string?> environment)
    {
        var launch = MpiLaunch.Detect(environment);
        if (launch is null) return new Communicator(null, null, 0, 0, 1, "one process (not started by an MPI launcher)", isWorld: true);

        var limit = CollectiveDeadline.FromEnvironment(environment);
        var mpi = MpiLibrary.Load(launch, environment(MpiLibrary.LibraryVariable));
        var h = mpi.Handles;
        int provided = mpi.Initialized() ? MpiLibrary.ThreadMultiple : mpi.InitThread(MpiLibrary.ThreadMultiple);
        int size = mpi.Size(h.World), rank = mpi.Rank(h.World);
        string version = mpi.Version().Split(',')[0];
        if (size != launch.Size)
        {
            mpi.FinalizeMpi();
            throw new InvalidOperationException(
                $"{launch.Launcher} started {launch.Size} processes ({launch.SizeVariable}={launch.Size}), but the MPI library {mpi.Path} " +
                $"({version}, {h.Abi} ABI) sees this one as rank {rank} of {size}: the launcher and the library belong to different MPIs; " +
                $"launch with the mpirun of {version} or name the launcher's libmpi in {MpiLibrary.LibraryVariable}");
        }
        if (provided < MpiLibrary.ThreadMultiple)
        {
            mpi.FinalizeMpi();
            throw new InvalidOperationException(
                $"the MPI library {mpi.Path} ({version}) provides thread level {provided}, but GpuTrain needs MPI_THREAD_MULTIPLE (checkpoints commit on their own thread)");
        }
        Communicator? world = null;
        var deadline = new CollectiveDeadline(rank, size, limit, code => world!.Abort(code));
        world = new Communicator(mpi, deadline, h.World, rank, size, $"{version} ({mpi.Path}, {h.Abi} ABI), {size} processes", isWorld: true);
        // A rank that returns from Main without MPI_Finalize makes the launcher report it as failed.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => world.Dispose();
        return world;
    }

    private void AllreduceSum(float* data, long count)
    {
        if (_mpi is null) return;
        using var wait = Watch("MPI_Allreduce");
        for (long done = 0; done < count; done += int.MaxValue)
            _mpi.AllreduceInPlace(data + done, (int)Math.Min(int.MaxValue, count - done), _mpi.Handles.Float, _mpi.Handles.Sum, _comm);
    }

    private long Reduce(long value, bool max)
    {
        if (_mpi is null) return value;
        using var wait = Watch(max ? "MPI_Allreduce(MPI_MAX)" : "MPI_Allreduce(MPI_MIN)");
        _mpi.AllreduceInPlace(&value, 1, _mpi.Handles.Int64, max ? _mpi.Handles.Max : _mpi.Handles.Min, _comm);
        return value;
    }

    /// <summary>
    /// Names what this thread's collectives are for until the scope ends (e.g. "the gradient
    /// allreduce of step 12"): a collective past the deadline says it.
    /// </summary>
    internal static CollectiveDeadline.Purpose For(string purpose) => CollectiveDeadline.For(purpose);

    private CollectiveDeadline.Scope? Watch(string call) => _deadline?.Watch(call);

    private void CheckRoot(int root)
    {
        if ((uint)root >= (uint)Size) throw new ArgumentOutOfRangeException(nameof(root), $"root {root} is not a rank of {Size} processes");
    }
}
