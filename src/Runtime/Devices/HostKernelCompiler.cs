using System.Linq.Expressions;
using System.Reflection;
using ILGPU;

namespace GpuTrain.Runtime.Devices;

/// <summary>
/// Turns an implicitly grouped kernel (a static method whose first parameter is <see cref="Index1D"/>
/// and which reads no Grid/Group state) into a launcher with the signature ILGPU's
/// <c>LoadAutoGroupedStreamKernel</c> returns, <c>(extent, args...)</c>, that calls the kernel
/// method for every index on host threads (<see cref="HostParallel"/>). The loop is compiled once
/// per kernel from an expression tree so the kernel is a direct (inlinable) call per index, not a
/// delegate invocation; the arguments are copied into locals once per chunk.
/// </summary>
internal static class HostKernelCompiler
{
    private static readonly MethodInfo ParallelFor = typeof(HostParallel).GetMethod(nameof(HostParallel.For))!;
    private static readonly ConstructorInfo IndexCtor = typeof(Index1D).GetConstructor([typeof(int)])!;

    /// <summary>
    /// The host launcher for <paramref name="key"/> (a kernel delegate or its MethodInfo), or null
    /// when the kernel cannot run this way (explicitly grouped, not 1-D, or a launcher type that
    /// does not match the method).
    /// </summary>
    public static TKernel? TryCompile<TKernel>(object key) where TKernel : class
    {
        var method = key switch
        {
            Delegate { Target: null } d => d.Method,
            MethodInfo m => m,
            _ => null,
        };
        if (method is null || !method.IsStatic || method.ReturnType != typeof(void)) return null;
        var invoke = typeof(TKernel).GetMethod("Invoke");
        if (!typeof(Delegate).IsAssignableFrom(typeof(TKernel)) || invoke is null) return null;
        var kernelParams = method.GetParameters().Select(p => p.ParameterType).ToArray();
        var launcherParams = invoke.GetParameters().Select(p => p.ParameterType).ToArray();
        if (kernelParams.Length == 0 || kernelParams[0] != typeof(Index1D) || !kernelParams.SequenceEqual(launcherParams))
            return null;

        var extent = Expression.Parameter(typeof(Index1D), "extent");
        var args = kernelParams.Skip(1).Select((t, i) => Expression.Parameter(t, "arg" + i)).ToArray();
        var chunk = ChunkLoop(method, args);
        var body = Expression.Call(ParallelFor, Expression.PropertyOrField(extent, nameof(Index1D.X)), chunk);
        return Expression.Lambda<TKernel>(body, [extent, .. args]).Compile();
    }

    /// <summary><c>(lo, hi) => { var a0 = arg0; ...; for (i = lo; i &lt; hi; i++) kernel(i, a0, ...); }</c></summary>
    private static Expression<Action<int, int>> ChunkLoop(MethodInfo method, ParameterExpression[] args)
    {
        var lo = Expression.Parameter(typeof(int), "lo");
        var hi = Expression.Parameter(typeof(int), "hi");
        var i = Expression.Variable(typeof(int), "i");
        // Locals, not the captured closure slots, so the loop reads registers rather than heap boxes.
        var locals = args.Select(a => Expression.Variable(a.Type, a.Name + "Local")).ToArray();
        var end = Expression.Label("end");
        var call = Expression.Call(method, [Expression.New(IndexCtor, i), .. locals]);
        var loop = Expression.Loop(
            Expression.IfThenElse(Expression.LessThan(i, hi),
                Expression.Block(call, Expression.PreIncrementAssign(i)),
                Expression.Break(end)),
            end);
        var block = Expression.Block([i, .. locals],
            [.. locals.Zip(args, (l, a) => (Expression)Expression.Assign(l, a)), Expression.Assign(i, lo), loop]);
        return Expression.Lambda<Action<int, int>>(block, lo, hi);
    }
}
