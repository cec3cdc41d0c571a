using System.Runtime.InteropServices;
using System.Text;

namespace GpuTrain.Runtime.Distributed;

/// <summary>
/// The few MPI C functions GpuTrain calls, bound at run time from whichever libmpi the launcher's
/// family provides (Open MPI's libmpi.so.40, MPICH's libmpi.so.12/libmpich.so.12, or the file named
/// by GPUTRAIN_MPI_LIBRARY), with that library's handle ABI. Every call's return code is checked.
/// </summary>
internal sealed unsafe class MpiLibrary
{
    /// <summary>MPI_THREAD_MULTIPLE, the same value in every MPI.</summary>
    public const int ThreadMultiple = 3;

    /// <summary>The variable that names the library when the search does not find the right one.</summary>
    public const string LibraryVariable = "GPUTRAIN_MPI_LIBRARY";

    private readonly delegate* unmanaged<int*, nint, int, int*, int> _initThread;
    private readonly delegate* unmanaged<int*, int> _initialized;
    private readonly delegate* unmanaged<int*, int> _finalized;
    private readonly delegate* unmanaged<int> _finalize;
    private readonly delegate* unmanaged<nint, int*, int> _commRank;
    private readonly delegate* unmanaged<nint, int*, int> _commSize;
    private readonly delegate* unmanaged<nint, nint*, int> _commDup;
    private readonly delegate* unmanaged<nint*, int> _commFree;
    private readonly delegate* unmanaged<void*, void*, int, nint, nint, nint, int> _allreduce;
    private readonly delegate* unmanaged<void*, int, nint, int, nint, int> _bcast;
    private readonly delegate* unmanaged<void*, int, nint, void*, int, nint, int, nint, int> _gather;
    private readonly delegate* unmanaged<void*, int, nint, void*, int*, int*, nint, int, nint, int> _gatherv;
    private readonly delegate* unmanaged<void*, int, nint, void*, int, nint, nint, int> _allgather;
    private readonly delegate* unmanaged<nint, int> _barrier;
    private readonly delegate* unmanaged<nint, int, int> _abort;
    private readonly delegate* unmanaged<int, byte*, int*, int> _errorString;
    private readonly delegate* unmanaged<byte*, int*, int> _libraryVersion;

    private MpiLibrary(string path, nint library)
    {
        Path = path;
        Handles = MpiHandles.For(library);
        nint F(string name) => NativeLibrary.GetExport(library, name);
        _initThread = (delegate* unmanaged<int*, nint, int, int*, int>)F("MPI_Init_thread");
        _initialized = (delegate* unmanaged<int*, int>)F("MPI_Initialized");
        _finalized = (delegate* unmanaged<int*, int>)F("MPI_Finalized");
        _finalize = (delegate* unmanaged<int>)F("MPI_Finalize");
        _commRank = (delegate* unmanaged<nint, int*, int>)F("MPI_Comm_rank");
        _commSize = (delegate* unmanaged<nint, int*, int>)F("MPI_Comm_size");
        _commDup = (delegate* unmanaged<nint, nint*, int>)F("MPI_Comm_dup");
        _commFree = (delegate* unmanaged<nint*, int>)F("MPI_Comm_free");
        _allreduce = (delegate* unmanaged<void*, void*, int, nint, nint, nint, int>)F("MPI_Allreduce");
        _bcast = (delegate* unmanaged<void*, int, nint, int, nint, int>)F("MPI_Bcast");
        _gather = (delegate* unmanaged<void*, int, nint, void*, int, nint, int, nint, int>)F("MPI_Gather");
        _gatherv = (delegate* unmanaged<void*, int, nint, void*, int*, int*, nint, int, nint, int>)F("MPI_Gatherv");
        _allgather = (delegate* unmanaged<void*, int, nint, void*, int, nint, nint, int>)F("MPI_Allgather");
        _barrier = (delegate* unmanaged<nint, int>)F("MPI_Barrier");
        _abort = (delegate* unmanaged<nint, int, int>)F("MPI_Abort");
        _errorString = (delegate* unmanaged<int, byte*, int*, int>)F("MPI_Error_string");
        _libraryVersion = (delegate* unmanaged<byte*, int*, int>)F("MPI_Get_library_version");
    }

    /// <summary>The library file loaded.</summary>
    public string Path { get; }

    /// <summary>Its handle ABI and predefined handles.</summary>
    public MpiHandles Handles { get; }

    /// <summary>Loads the MPI library for <paramref name="launch"/>: the named one, else the launcher family's first.</summary>
    /// <exception cref="InvalidOperationException">No MPI library can be loaded.</exception>
    public static MpiLibrary Load(MpiLaunch launch, string? namedLibrary)
    {
        string[] candidates = namedLibrary is { Length: > 0 } ? [namedLibrary]
            : launch.IsOpenMpi ? ["libmpi.so.40", "libmpi.so", "libmpi.so.12", "libmpich.so.12"]
            : ["libmpi.so.12", "libmpich.so.12", "libmpi.so", "libmpi.so.40"];
        foreach (string name in candidates)
        {
            if (NativeLibrary.TryLoad(name, out nint library) && NativeLibrary.TryGetExport(library, "MPI_Init_thread", out _))
                return new MpiLibrary(name, library);
        }
        throw new InvalidOperationException(
            $"started by {launch.Launcher} ({launch.SizeVariable}={launch.Size}) but no MPI library loads (tried {string.Join(", ", candidates)}); " +
            $"install the launcher's MPI (Debian: apt-get install openmpi-bin) or name its libmpi in {LibraryVariable}");
    }

    /// <summary>MPI_Init_thread without arguments; returns the thread level provided.</summary>
    public int InitThread(int required)
    {
        int provided;
        Check(_initThread(null, 0, required, &provided), "MPI_Init_thread");
        return provided;
    }

    /// <summary>MPI_Initialized.</summary>
    public bool Initialized()
    {
        int flag;
        Check(_initialized(&flag), "MPI_Initialized");
        return flag != 0;
    }

    /// <summary>MPI_Finalized.</summary>
    public bool Finalized()
    {
        int flag;
        Check(_finalized(&flag), "MPI_Finalized");
        return flag != 0;
    }

    /// <summary>MPI_Finalize.</summary>
    public void FinalizeMpi() => Check(_finalize(), "MPI_Finalize");

    /// <summary>MPI_Comm_rank.</summary>
    public int Rank(nint comm)
    {
        int rank;
        Check(_commRank(comm, &rank), "MPI_Comm_rank");
        return rank;
    }

    /// <summary>MPI_Comm_size.</summary>
    public int Size(nint comm)
    {
        int size;
        Check(_commSize(comm, &size), "MPI_Comm_size");
        return size;
    }

    /// <summary>MPI_Comm_dup. The new handle is read as a pointer-sized value zeroed first, so an MPICH int lands in its low half.</summary>
    public nint Duplicate(nint comm)
    {
        nint copy = 0;
        Check(_commDup(comm, &copy), "MPI_Comm_dup");
        return copy;
    }

    /// <summary>MPI_Comm_free.</summary>
    public void Free(nint comm) => Check(_commFree(&comm), "MPI_Comm_free");

    /// <summary>MPI_Allreduce with MPI_IN_PLACE on <paramref name="count"/> elements at <paramref name="data"/>.</summary>
    public void AllreduceInPlace(void* data, int count, nint type, nint op, nint comm) =>
        Check(_allreduce((void*)Handles.InPlace, data, count, type, op, comm), "MPI_Allreduce");

    /// <summary>MPI_Bcast.</summary>
    public void Broadcast(void* data, int count, nint type, int root, nint comm) =>
        Check(_bcast(data, count, type, root, comm), "MPI_Bcast");

    /// <summary>MPI_Gather.</summary>
    public void Gather(void* send, int sendCount, nint sendType, void* receive, int receiveCount, nint receiveType, int root, nint comm) =>
        Check(_gather(send, sendCount, sendType, receive, receiveCount, receiveType, root, comm), "MPI_Gather");

    /// <summary>MPI_Gatherv.</summary>
    public void Gatherv(void* send, int sendCount, nint sendType, void* receive, int* counts, int* displacements, nint receiveType, int root, nint comm) =>
        Check(_gatherv(send, sendCount, sendType, receive, counts, displacements, receiveType, root, comm), "MPI_Gatherv");

    /// <summary>MPI_Allgather.</summary>
    public void Allgather(void* send, int sendCount, nint sendType, void* receive, int receiveCount, nint receiveType, nint comm) =>
        Check(_allgather(send, sendCount, sendType, receive, receiveCount, receiveType, comm), "MPI_Allgather");

    /// <summary>MPI_Barrier.</summary>
    public void Barrier(nint comm) => Check(_barrier(comm), "MPI_Barrier");

    /// <summary>MPI_Abort: ends every process of the job with <paramref name="code"/>; does not return on a working MPI.</summary>
    public void Abort(nint comm, int code) => _abort(comm, code);

    /// <summary>MPI_Get_library_version, first line.</summary>
    public string Version()
    {
        // MPI_MAX_LIBRARY_VERSION_STRING is 256 in Open MPI and 8192 in MPICH.
        var text = new byte[8192];
        int length;
        fixed (byte* p = text)
            Check(_libraryVersion(p, &length), "MPI_Get_library_version");
        return Encoding.UTF8.GetString(text, 0, Math.Clamp(length, 0, text.Length)).Split('\n', 2)[0].Trim().TrimEnd('\0');
    }

    private void Check(int code, string function)
    {
        if (code == 0) return;
        throw new InvalidOperationException($"{function} failed in {Path}: {ErrorString(code)} (MPI error {code})");
    }

    private string ErrorString(int code)
    {
        var text = new byte[1024];
        int length;
        fixed (byte* p = text)
            if (_errorString(code, p, &length) != 0) return "unknown error";
        return Encoding.UTF8.GetString(text, 0, Math.Clamp(length, 0, text.Length));
    }
}
