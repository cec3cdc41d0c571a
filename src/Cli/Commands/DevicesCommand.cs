using System.CommandLine;
using GpuTrain.Runtime.Devices;

namespace GpuTrain.Cli.Commands;

/// <summary><c>gputrain devices</c>: lists what ILGPU sees and marks the device "auto" picks.</summary>
public static class DevicesCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var device = DeviceOption.Create();
        var command = new Command("devices", "List the accelerators ILGPU sees; '*' marks the one --device (default auto) picks.")
        {
            device,
        };
        command.SetAction(parse =>
        {
            using var context = DeviceCatalog.CreateContext();
            var infos = DeviceCatalog.Enumerate(context).Select(d => d.Info).ToList();
            string picked = DeviceCatalog.Resolve(context, parse.GetValue(device)!).Info.Id;
            foreach (var info in infos)
                Console.WriteLine((info.Id == picked ? "* " : "  ") + info.Describe());
            return 0;
        });
        return command;
    }
}
