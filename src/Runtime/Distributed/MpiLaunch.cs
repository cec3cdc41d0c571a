using System.Globalization;

namespace GpuTrain.Runtime.Distributed;

/// <summary>
/// What the launcher that started this process says about the job, read from its environment
/// variables before any MPI library is loaded: outside a launcher there is none, and nothing loads
/// libmpi.
/// </summary>
/// <param name="Launcher">The launcher family, for messages.</param>
/// <param name="SizeVariable">The variable the size came from.</param>
/// <param name="Size">The number of processes the launcher started.</param>
internal sealed record MpiLaunch(string Launcher, string SizeVariable, int Size)
{
    // Open MPI's mpirun/orterun/prterun; MPICH's Hydra, Intel MPI and Slurm with PMI; MVAPICH.
    private static readonly (string Launcher, string SizeVariable)[] Known =
    [
        ("Open MPI", "OMPI_COMM_WORLD_SIZE"),
        ("an MPICH-family launcher (PMI)", "PMI_SIZE"),
        ("MVAPICH", "MV2_COMM_WORLD_SIZE"),
    ];

    /// <summary>The launch described by <paramref name="environment"/>, or null outside a launcher.</summary>
    /// <exception cref="InvalidOperationException">A launcher variable holds no positive process count.</exception>
    public static MpiLaunch? Detect(Func<string, string?> environment)
    {
        foreach (var (launcher, variable) in Known)
        {
            string? value = environment(variable);
            if (value is null) continue;
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int size) || size < 1)
                throw new InvalidOperationException($"the launcher's {variable}={value} is not a process count");
            return new MpiLaunch(launcher, variable, size);
        }
        return null;
    }

    /// <summary>Open MPI's launcher: its library is tried first.</summary>
    public bool IsOpenMpi => SizeVariable == "OMPI_COMM_WORLD_SIZE";
}
