using System.CommandLine;
using GpuTrain.Runtime.Devices;

namespace GpuTrain.Cli.Commands;

/// <summary><c>gputrain devices</c>: lists what ILGPU sees and marks the device "auto" picks.</summary>
public static class DevicesCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("devices", "List the accelerators ILGPU sees; '*' marks the one --device auto picks.");
        command.SetAction(_ =>
        {
            using var context = DeviceCatalog.CreateContext();
            var infos = DeviceCatalog.Enumerate(context).Select(d => d.Info).ToList();
            string auto = DeviceCatalog.AutoId(infos);
            foreach (var info in infos)
                Console.WriteLine((info.Id == auto ? "* " : "  ") + info.Describe());
            return 0;
        });
        return command;
    }
}
