using System.Runtime.InteropServices;

namespace GpuTrain.Runtime.Distributed;

/// <summary>
/// The predefined handles of one MPI ABI. Open MPI's handles are pointers to exported objects
/// (<c>MPI_COMM_WORLD</c> is <c>&amp;ompi_mpi_comm_world</c>); MPICH's (and Intel MPI's, MVAPICH's)
/// are 32-bit integer constants from its mpi.h. Both travel as pointer-sized integers: an MPICH
/// handle widened to 64 bits is read back as the int by the callee, since the x86-64 and AArch64
/// calling conventions pass an int in the low half of a register or stack slot.
/// </summary>
internal sealed record MpiHandles(string Abi, nint World, nint Byte, nint Float, nint Double, nint Int64, nint Sum, nint Max, nint Min, nint InPlace)
{
    /// <summary>Open MPI's handles if <paramref name="library"/> exports them, else MPICH's constants.</summary>
    public static MpiHandles For(nint library)
    {
        if (!NativeLibrary.TryGetExport(library, "ompi_mpi_comm_world", out nint world))
        {
            return new MpiHandles("MPICH", World: 0x44000000, Byte: 0x4c00010d, Float: 0x4c00040a, Double: 0x4c00080b,
                Int64: 0x4c00083a, Sum: 0x58000003, Max: 0x58000001, Min: 0x58000002, InPlace: -1);
        }
        nint Export(string name) => NativeLibrary.GetExport(library, name);
        return new MpiHandles("Open MPI", world, Export("ompi_mpi_byte"), Export("ompi_mpi_float"), Export("ompi_mpi_double"),
            Export("ompi_mpi_int64_t"), Export("ompi_mpi_op_sum"), Export("ompi_mpi_op_max"), Export("ompi_mpi_op_min"), InPlace: 1);
    }
}
