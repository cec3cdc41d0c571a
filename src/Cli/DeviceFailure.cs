using System.Diagnostics;
using System.Reflection;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;

namespace GpuTrain.Cli;

/// <summary>
/// Recognizes a failure of the device, its driver or ILGPU's compiler (CLException, CudaException,
/// CuBlasException, any exception ILGPU throws) and describes it in one line: the device, the GpuTrain
/// operation that failed, the driver's words, and what to try.
/// </summary>
internal static class DeviceFailure
{
    /// <summary>The device failure in <paramref name="e"/> or its inner exceptions, or null if there is none.</summary>
    public static Exception? Find(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is AcceleratorException || IsIlgpu(x.TargetSite?.DeclaringType?.Assembly)) return x;
        return null;
    }

    /// <summary>One line for <paramref name="failure"/>, found in <paramref name="thrown"/>, on <paramref name="device"/> (null: none opened yet).</summary>
    public static string Describe(Exception thrown, Exception failure, string? device)
    {
        string operation = Operation(failure) ?? Operation(thrown) ?? "the device";
        string words = failure switch
        {
            CLException cl => $"OpenCL error {cl.Error}",
            CudaException cuda => $"CUDA error {cuda.Error}",
            _ => $"{failure.GetType().Name}: {failure.Message.Split('\n', 2)[0].Trim()}",
        };
        // On the CPU accelerator there is no other device to try: the failure is a bug to report.
        string advice = device?.StartsWith("cpu", StringComparison.Ordinal) == true
            ? "this is a bug in GpuTrain or ILGPU; please report it with the command"
            : "the device, its driver or the kernel compiler failed; try --device cpu";
        return $"device {device ?? "(not yet opened)"}: {operation} failed: {words}; {advice}";
    }

    private static bool IsIlgpu(Assembly? assembly) => assembly?.GetName().Name is "ILGPU" or "ILGPU.Algorithms";

    // The innermost GpuTrain method on the stack, as Type.Method (lambdas and iterators named after their method).
    private static string? Operation(Exception e)
    {
        foreach (var frame in new StackTrace(e).GetFrames())
        {
            if (frame.GetMethod() is not { DeclaringType: { } type } method) continue;
            if (type.Namespace?.StartsWith("GpuTrain.", StringComparison.Ordinal) != true) continue;
            string name = method.Name == "MoveNext" && type.Name.StartsWith('<') ? type.Name : method.Name;
            while (type.IsNested && type.Name.StartsWith('<')) type = type.DeclaringType!;
            if (name.StartsWith('<')) name = name[1..name.IndexOf('>')];
            return $"{type.Name}.{name}";
        }
        return null;
    }
}
