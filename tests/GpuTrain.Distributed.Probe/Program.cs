using System.Globalization;
using GpuTrain.Runtime.Distributed;

namespace GpuTrain.Distributed.Probe;

/// <summary>
/// A small program the MPI tests start under <c>mpirun</c>: each mode exercises the communicator the
/// way training does and prints what every rank saw, for the test to check against values it computes.
/// </summary>
public static class Program
{
    /// <summary>Runs the mode named by the first argument; a failing rank aborts the job with its error.</summary>
    public static int Main(string[] args)
    {
        Communicator world;
        try
        {
            world = Communicator.World;
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 2;
        }
        try
        {
            switch (args.FirstOrDefault())
            {
                case "collectives": Collectives(world); break;
                case "fail": Fail(world); break;
                case "save": Save(world, args[1], long.Parse(args[2], CultureInfo.InvariantCulture)); break;
                case "restore": Restore(world, args[1]); break;
                case "stall-save": StallSave(world, args[1]); break;
                case "allreduce-time": AllreduceTime(world, args.Skip(1).Select(a => long.Parse(a, CultureInfo.InvariantCulture))); break;
                case "row-gather-time": RowGatherTime(world, [.. args.Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture))]); break;
                default: throw new ArgumentException($"unknown mode '{args.FirstOrDefault()}' (collectives, fail, save DIR STEP, restore DIR, stall-save DIR, allreduce-time FLOATS..., row-gather-time GLOBAL-BATCH SAMPLED DIM)");
            }
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"error: rank {world.Rank} of {world.Size}: {e.Message}");
            world.Abort(3);
        }
        world.Dispose();
        return 0;
    }

    // Rank r contributes (r + 1) * i at element i of a 3-million-float vector (12 MB: more than one
    // eager message), broadcasts a value from rank 0, gathers a rank-sized string, and min/max its rank.
    private static void Collectives(Communicator world)
    {
        const int n = 3_000_000;
        var data = new float[n];
        for (int i = 0; i < n; i++) data[i] = (world.Rank + 1) * (float)(i % 1000);
        world.AllreduceSum(data);
        double checksum = 0;
        for (int i = 0; i < n; i++) checksum += data[i] * (double)(1 + i % 7);

        var doubles = new[] { world.Rank + 0.5, 1.0 };
        world.AllreduceSum(doubles);

        var seed = new long[] { world.IsRoot ? 1234567890123L : -1 };
        world.Broadcast<long>(seed);

        var gathered = world.Gather(System.Text.Encoding.UTF8.GetBytes(new string((char)('a' + world.Rank), world.Rank + 1)));
        using var dup = world.Duplicate();
        dup.Barrier();
        long max = dup.Max(world.Rank), min = dup.Min(world.Rank);
        string text = gathered is null ? "-" : string.Join(",", gathered.Select(g => System.Text.Encoding.UTF8.GetString(g)));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rank {world.Rank} of {world.Size}: sum-checksum {checksum:R} doubles {doubles[0]:R},{doubles[1]:R} broadcast {seed[0]} gathered {text} min {min} max {max}"));
    }

    // Rank 1 fails while rank 0 waits in a collective: the job must end with rank 1's error, not hang.
    private static void Fail(Communicator world)
    {
        if (world.Rank == 1) throw new InvalidDataException("probe failure on purpose");
        world.Barrier();
        Console.WriteLine($"rank {world.Rank}: passed the barrier");
    }

    // Every rank saves the state of STEP into DIR/model.ckpt-STEP: one data file each, rank 0 commits.
    private static void Save(Communicator world, string directory, long step)
    {
        using var saver = new RankSaver(world, ProbeVariables.Create(step));
        string prefix = saver.Saver.Save(Path.Combine(directory, "model.ckpt"), step);
        Console.WriteLine($"rank {world.Rank} of {world.Size}: saved {prefix}");
    }

    // Both ranks save step 1; then rank 0 saves step 2 on a thread of its own, as a background
    // checkpoint does, and its main thread waits for that save, while rank 1 never takes part: the
    // collective deadline must end the job, and model.ckpt-1 stays the committed checkpoint.
    private static void StallSave(Communicator world, string directory)
    {
        using var saver = new RankSaver(world, ProbeVariables.Create(1));
        string prefix = Path.Combine(directory, "model.ckpt");
        saver.Saver.Save(prefix, 1);
        Console.WriteLine($"rank {world.Rank} of {world.Size}: saved step 1");
        if (world.Rank == 1)
        {
            Thread.Sleep(TimeSpan.FromMinutes(5));
            return;
        }
        var save = new Thread(() => saver.Saver.Save(prefix, 2));
        save.Start();
        save.Join();
        Console.WriteLine($"rank {world.Rank} of {world.Size}: saved step 2 without rank 1");
    }

    // Every rank restores the newest checkpoint of DIR and prints what it holds.
    private static void Restore(Communicator world, string directory)
    {
        var variables = ProbeVariables.Create(0);
        using var saver = new RankSaver(world, variables);
        string? prefix = saver.RestoreNewestIntact(directory, Console.WriteLine);
        long step = ((GpuTrain.Persistence.Variables.HostVariable<long>)variables[^1]).Value;
        Console.WriteLine($"rank {world.Rank} of {world.Size}: restored {prefix ?? "nothing"} step {step} checksum {ProbeVariables.Checksum(variables):x16}");
    }

    // The collectives of GatheredRowGradients for a global batch of B pairs, S candidates and D-wide
    // rows: one allgather of each rank's B/N x (3 + S + D) floats and one allreduce of S x D floats,
    // timed together as a step pays them (median of 20 after 3 warm-up steps). Only rank 0 prints.
    private static void RowGatherTime(Communicator world, int[] shape)
    {
        if (shape is not [int batch, int sampled, int dim]) throw new ArgumentException("row-gather-time takes GLOBAL-BATCH SAMPLED DIM");
        var mine = new float[batch / world.Size * (3 + sampled + dim)];
        var all = new float[mine.Length * world.Size];
        var candidates = new float[sampled * dim];
        var ms = new List<double>();
        for (int i = 0; i < 23; i++)
        {
            world.Barrier();
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            world.AllGather<float>(mine, all);
            world.AllreduceSum(candidates);
            if (i >= 3) ms.Add(System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        ms.Sort();
        long bytes = ((long)all.Length + candidates.Length) * 4;
        if (world.IsRoot)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{world.Size} ranks: row gather of {batch} pairs x ({sampled} candidates, {dim} wide), {bytes / 1e6:F3} MB received: median {ms[10]:F3} ms, min {ms[0]:F3} ms"));
    }

    // The in-place sum-allreduce of a gradient arena of each size, as a training step does it: the
    // median of 20 timed calls after 3 warm-up calls (perf/RESULTS.md). Only rank 0 prints.
    private static void AllreduceTime(Communicator world, IEnumerable<long> sizes)
    {
        foreach (long floats in sizes)
        {
            var data = new float[floats];
            for (int i = 0; i < 3; i++) world.AllreduceSum(data);
            var ms = new List<double>();
            for (int i = 0; i < 20; i++)
            {
                world.Barrier();
                long start = System.Diagnostics.Stopwatch.GetTimestamp();
                world.AllreduceSum(data);
                ms.Add(System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            ms.Sort();
            if (world.IsRoot)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{world.Size} ranks: {floats} floats ({floats * 4 / 1e6:F2} MB): median {ms[10]:F3} ms, min {ms[0]:F3} ms"));
        }
    }
}
