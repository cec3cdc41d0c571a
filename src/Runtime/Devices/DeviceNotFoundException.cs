namespace GpuTrain.Runtime.Devices;

/// <summary>Thrown when <c>--device</c> names a device that is not on this machine; the message lists what is.</summary>
public sealed class DeviceNotFoundException : Exception
{
    /// <summary>Creates the error for <paramref name="requested"/>, listing the devices that exist.</summary>
    public DeviceNotFoundException(string requested, IReadOnlyList<DeviceInfo> available)
        : base($"--device '{requested}': no such device on this machine. Available devices:{Environment.NewLine}" +
               string.Join(Environment.NewLine, available.Select(d => "  " + d.Describe())) +
               $"{Environment.NewLine}Use one of: auto, cuda, opencl, cpu, or an id above.")
    {
        Requested = requested;
    }

    /// <summary>The device specification the user gave.</summary>
    public string Requested { get; }
}
