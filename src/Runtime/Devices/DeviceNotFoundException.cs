namespace GpuTrain.Runtime.Devices;

/// <summary>
/// Thrown when a device specification names a device that is not on this machine; the message lists
/// what is, and <see cref="ArgumentException.ParamName"/> names the parameter that carried it.
/// </summary>
public sealed class DeviceNotFoundException : ArgumentException
{
    /// <summary>Creates the error for <paramref name="requested"/>, listing the devices that exist.</summary>
    /// <param name="requested">The specification given.</param>
    /// <param name="available">The devices on this machine.</param>
    /// <param name="parameterName">The parameter that carried <paramref name="requested"/>.</param>
    public DeviceNotFoundException(string requested, IReadOnlyList<DeviceInfo> available, string parameterName)
        : base($"'{requested}': no such device on this machine. Available devices:{Environment.NewLine}" +
               string.Join(Environment.NewLine, available.Select(d => "  " + d.Describe())) +
               $"{Environment.NewLine}Use one of: auto, cuda, opencl, cpu, or an id above.", parameterName)
    {
        Requested = requested;
    }

    /// <summary>The device specification the user gave.</summary>
    public string Requested { get; }
}
