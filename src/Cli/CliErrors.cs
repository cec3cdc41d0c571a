using GpuTrain.Cli.Commands;

namespace GpuTrain.Cli;

/// <summary>
/// Turns the errors a user can cause (bad device, unreadable file, corrupt checkpoint) and failures of
/// the device or its driver into one clear message and exit code 1, never a stack trace. Anything else
/// is a bug and keeps its trace.
/// </summary>
public static class CliErrors
{
    /// <summary>Runs <paramref name="body"/> and maps user-facing exceptions to "error: ..." on stderr.</summary>
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (DeviceFailure.Find(e) is { } failure)
        {
            Console.Error.WriteLine("error: " + DeviceFailure.Describe(e, failure, DeviceOption.InUse));
            return 1;
        }
        catch (Exception e) when (IsUserError(e))
        {
            Console.Error.WriteLine("error: " + Describe(e));
            return 1;
        }
    }

    // A library names its parameter; the user typed a flag, so the message names that instead, and
    // drops .NET's "(Parameter 'x')" suffix, which means nothing on a command line.
    private static string Describe(Exception e)
    {
        if (e is not ArgumentException { ParamName: { } parameter } argument) return e.Message;
        string message = argument.Message;
        int suffix = message.IndexOf($" (Parameter '{parameter}')", StringComparison.Ordinal);
        if (suffix >= 0) message = message[..suffix];
        return RunOptions.FlagOf(parameter) is { } flag ? $"{flag}: {message}" : message;
    }

    private static bool IsUserError(Exception e) =>
        e is IOException or UnauthorizedAccessException or InvalidDataException
            or FormatException or ArgumentException or KeyNotFoundException;
}
