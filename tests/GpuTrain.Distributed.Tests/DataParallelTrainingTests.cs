using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using GpuTrain.Persistence.Bundle;
using GpuTrain.Persistence.Protos;
using GpuTrain.TestSupport;

namespace GpuTrain.Distributed.Tests;

/// <summary>
/// <c>mpirun -np 2 gputrain train MODEL</c> in real processes: 2 ranks land where one process lands on
/// the same global batch (dropout keyed by the global example, so the CNN too), a stopped and resumed
/// 2-rank run ends bit for bit where the uninterrupted one ends, a killed or stopped rank ends the job
/// with a clear error and leaves the last checkpoint intact, and every checkpoint passes the checker.
/// </summary>
public sealed class DataParallelTrainingTests : IDisposable
{
    private const string Cli = "gputrain.dll";
    private static readonly Dictionary<string, string> NoEnvironment = [];
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string[] Train(string model, string run, int steps, int saveEvery, params string[] more) =>
    [
        "train", model, "--device", "cpu", "--steps", steps.ToString(CultureInfo.InvariantCulture), "--batch-size", "50",
        "--save-every", saveEvery.ToString(CultureInfo.InvariantCulture), "--eval-every", "0", "--histogram-every", "0",
        "--logdir", run, "--summary-json", run + ".json", .. more,
    ];

    [MpiSharedFact]
    public void TwoRanksLandWhereOneProcessLandsOnTheMlp() => AssertTwoRanksMatchOne("mnist-mlp", 6);

    [MpiSharedFact]
    public void TwoRanksLandWhereOneProcessLandsOnTheCnnWithDropout() => AssertTwoRanksMatchOne("mnist-cnn", 3);

    private void AssertTwoRanksMatchOne(string model, int steps)
    {
        string alone = _dir.Combine("alone"), ranks = _dir.Combine("ranks");
        var one = MpiRun.RunAlone(Cli, Train(model, alone, steps, 0), NoEnvironment, timeoutSeconds: 300);
        Assert.True(one.ExitCode == 0, one.ToString());
        var two = MpiRun.Run(2, Cli, Train(model, ranks, steps, 0), timeoutSeconds: 300);
        Assert.True(two.ExitCode == 0, two.ToString());
        Assert.Contains("data-parallel: Open MPI", two.Stdout);
        Assert.Contains("25 of every 50 examples per rank", two.Stdout);
        Assert.Single(Lines(two.Stdout, "done:")); // rank 0 alone prints

        string prefix = $"model.ckpt-{steps}";
        TfCheck.AssertClean("ckpt", Path.Combine(ranks, prefix));
        TfCheck.AssertClean("events", ranks);
        Assert.True(File.Exists(BundleNaming.DataFile(Path.Combine(ranks, prefix), 1, 2)), "rank 1 wrote no shard");
        AssertCheckpointsClose(Path.Combine(alone, prefix), Path.Combine(ranks, prefix), minFloatTensors: 4);
        Assert.Equal(FinalLoss(alone), FinalLoss(ranks), 5);
    }

    // Integer tensors (global step, data cursor) equal, float tensors to rounding.
    private static void AssertCheckpointsClose(string expectedPrefix, string actualPrefix, int minFloatTensors, double ofLargest = 1e-6)
    {
        var expected = TensorBundleReader.Open(expectedPrefix);
        var actual = TensorBundleReader.Open(actualPrefix);
        Assert.Equal(expected.Entries.Select(e => e.Name), actual.Entries.Select(e => e.Name));
        int compared = 0;
        foreach (var entry in expected.Entries)
        {
            var e = expected.Read(entry.Name);
            var a = actual.Read(entry.Name);
            if (entry.DType != DataType.DtFloat)
            {
                Assert.True(e.Data.AsSpan().SequenceEqual(a.Data), $"'{entry.Name}' differs"); // global_step, the data cursor
                continue;
            }
            AssertClose(entry.Name, MemoryMarshal.Cast<byte, float>(e.Data), MemoryMarshal.Cast<byte, float>(a.Data), ofLargest);
            compared++;
        }
        Assert.True(compared >= minFloatTensors, $"only {compared} float tensors compared");
    }

    private static string[] Word2Vec(string run, int steps, params string[] more) =>
    [
        "train", "word2vec", "--device", "cpu", "--vocab-size", "500", "--embedding-size", "16", "--batch-size", "64", "--num-sampled", "16",
        "--steps", steps.ToString(CultureInfo.InvariantCulture), "--save-every", "3", "--report-every", "1", "--eval-every", "0",
        "--histogram-every", "0", "--logdir", run, "--summary-json", run + ".json", .. more,
    ];

    // The NCE candidates are keyed by the step, so both ranks draw one process's; each rank's rows of
    // its 32 pairs are gathered, and every rank applies the 64 pairs' update.
    [MpiSharedFact]
    public void TwoRanksLandWhereOneProcessLandsOnWord2Vec()
    {
        string alone = _dir.Combine("alone"), ranks = _dir.Combine("ranks");
        var one = MpiRun.RunAlone(Cli, Word2Vec(alone, 6), NoEnvironment, timeoutSeconds: 300);
        Assert.True(one.ExitCode == 0, one.ToString());
        var two = MpiRun.Run(2, Cli, Word2Vec(ranks, 6), timeoutSeconds: 300);
        Assert.True(two.ExitCode == 0, two.ToString());
        Assert.Contains("32 of every 64 pairs per rank, row gradients gathered", two.Stdout);
        // Each rank sends 32 x (3 + 16 candidates + 16 wide) floats and the 16 x 16 candidate rows: 5,504 bytes.
        Assert.Matches(@"data-parallel: gradient exchange \d+\.\d\d ms/step on rank 0 over 6 steps, 0\.006 MB a step from each rank", two.Stdout);
        Assert.Single(Lines(two.Stdout, "done:"));
        foreach (string prefix in new[] { "model.ckpt-3", "model.ckpt-6" })
        {
            TfCheck.AssertClean("ckpt", Path.Combine(ranks, prefix));
            AssertCheckpointsClose(Path.Combine(alone, prefix), Path.Combine(ranks, prefix), minFloatTensors: 3);
        }
        TfCheck.AssertClean("events", ranks);
        // Every step's loss (the mean over the ranks) is one process's to rounding.
        var expected = Lines(one.Stdout, "Average loss at step");
        var actual = Lines(two.Stdout, "Average loss at step");
        Assert.Equal(6, expected.Length);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(LossOf(expected[i]) - LossOf(actual[i])) <= 1e-4 * Math.Abs(LossOf(expected[i])), $"one process: {expected[i]}; 2 ranks: {actual[i]}");
        Assert.Equal(FinalLoss(alone), FinalLoss(ranks), 4);
    }

    [MpiSharedFact]
    public void ATwoRankWord2VecCheckpointResumesInOneProcessWhereOneProcessLands()
    {
        string alone = _dir.Combine("alone"), mixed = _dir.Combine("mixed");
        var straight = MpiRun.RunAlone(Cli, Word2Vec(alone, 6), NoEnvironment, timeoutSeconds: 300);
        Assert.True(straight.ExitCode == 0, straight.ToString());
        var first = MpiRun.Run(2, Cli, Word2Vec(mixed, 3), timeoutSeconds: 300);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(File.Exists(BundleNaming.DataFile(Path.Combine(mixed, "model.ckpt-3"), 1, 2)), "rank 1 wrote no shard");
        var resumed = MpiRun.RunAlone(Cli, Word2Vec(mixed, 6, "--resume"), NoEnvironment, timeoutSeconds: 300);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains($"resume: restored {Path.Combine(mixed, "model.ckpt-3")}", resumed.Stdout);
        TfCheck.AssertClean("ckpt", Path.Combine(mixed, "model.ckpt-6"));
        TfCheck.AssertClean("state", mixed);
        AssertCheckpointsClose(Path.Combine(alone, "model.ckpt-6"), Path.Combine(mixed, "model.ckpt-6"), minFloatTensors: 3);
    }

    // A learnable corpus in PTB format: train holds 12 batches of the medium config's 20 x 35 (36 of
    // the small config's 20 x 20), valid one medium batch.
    private string PtbCorpus()
    {
        string[] sentences =
        [
            "the cat sat on the mat", "a dog ran to the park", "the bird sang in the tree",
            "a cat ran to the tree", "the dog sat on the mat",
        ];
        string Lines(int count) => string.Concat(Enumerable.Range(0, count).Select(i => " " + sentences[(i * 3 + i / 5) % sentences.Length] + " \n"));
        string dir = _dir.Combine("ptb");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "ptb.train.txt"), Lines(400));
        File.WriteAllText(Path.Combine(dir, "ptb.valid.txt"), Lines(110));
        File.WriteAllText(Path.Combine(dir, "ptb.test.txt"), Lines(15));
        return dir;
    }

    private static string[] Ptb(string data, string config, string run, int steps, params string[] more) =>
    [
        "train", "ptb-lstm", "--device", "cpu", "--data", data, "--config", config, "--epochs", "1",
        "--max-steps", steps.ToString(CultureInfo.InvariantCulture), "--save-every", "2", "--histogram-every", "0",
        "--logdir", run, "--summary-json", run + ".json", .. more,
    ];

    // The medium config drops out (keep 0.5) on the embedding and every layer's output: each rank's 10
    // streams draw the masks of their place among one process's 20 in every time step. The checkpoint's
    // carried state (Model/state/cell_L/c and h, [20, 650]) is both ranks' rows, gathered.
    [MpiSharedFact]
    public void TwoRanksLandWhereOneProcessLandsOnPtbWithDropoutAndCarriedState()
    {
        string data = PtbCorpus(), alone = _dir.Combine("alone"), ranks = _dir.Combine("ranks");
        var one = MpiRun.RunAlone(Cli, Ptb(data, "medium", alone, 2), NoEnvironment, timeoutSeconds: 300);
        Assert.True(one.ExitCode == 0, one.ToString());
        var two = MpiRun.Run(2, Cli, Ptb(data, "medium", ranks, 2), timeoutSeconds: 300);
        Assert.True(two.ExitCode == 0, two.ToString());
        Assert.Contains("10 of every 20 streams per rank", two.Stdout);
        Assert.Single(Lines(two.Stdout, "done:"));
        string prefix = "model.ckpt-2";
        TfCheck.AssertClean("ckpt", Path.Combine(ranks, prefix));
        TfCheck.AssertClean("events", ranks);
        Assert.True(File.Exists(BundleNaming.DataFile(Path.Combine(ranks, prefix), 1, 2)), "rank 1 wrote no shard");
        Assert.Equal(20 * 650 * sizeof(float), TensorBundleReader.Open(Path.Combine(ranks, prefix)).Read("Model/state/cell_1/h").Data.Length);
        AssertCheckpointsClose(Path.Combine(alone, prefix), Path.Combine(ranks, prefix), minFloatTensors: 10, ofLargest: 1e-5);
        Assert.Equal(FinalLoss(alone), FinalLoss(ranks), 3);
    }

    // A checkpoint of 2 ranks resumes in one process, and one of one process in 2 ranks; both land
    // where the uninterrupted single process lands (small config: no dropout, carried state only).
    [MpiSharedFact]
    public void PtbCheckpointsMoveBetweenTwoRanksAndOneProcess()
    {
        string data = PtbCorpus(), alone = _dir.Combine("alone"), fromRanks = _dir.Combine("from-ranks"), fromOne = _dir.Combine("from-one");
        var straight = MpiRun.RunAlone(Cli, Ptb(data, "small", alone, 4), NoEnvironment, timeoutSeconds: 300);
        Assert.True(straight.ExitCode == 0, straight.ToString());

        var ranksFirst = MpiRun.Run(2, Cli, Ptb(data, "small", fromRanks, 2), timeoutSeconds: 300);
        Assert.True(ranksFirst.ExitCode == 0, ranksFirst.ToString());
        var oneResumes = MpiRun.RunAlone(Cli, Ptb(data, "small", fromRanks, 4, "--resume"), NoEnvironment, timeoutSeconds: 300);
        Assert.True(oneResumes.ExitCode == 0, oneResumes.ToString());
        Assert.Contains($"resume: restored {Path.Combine(fromRanks, "model.ckpt-2")}", oneResumes.Stdout);

        var oneFirst = MpiRun.RunAlone(Cli, Ptb(data, "small", fromOne, 2), NoEnvironment, timeoutSeconds: 300);
        Assert.True(oneFirst.ExitCode == 0, oneFirst.ToString());
        var ranksResume = MpiRun.Run(2, Cli, Ptb(data, "small", fromOne, 4, "--resume"), timeoutSeconds: 300);
        Assert.True(ranksResume.ExitCode == 0, ranksResume.ToString());
        Assert.Contains($"data-parallel: every rank restored {Path.Combine(fromOne, "model.ckpt-2")}", ranksResume.Stdout);

        foreach (string run in new[] { fromRanks, fromOne })
        {
            TfCheck.AssertClean("ckpt", Path.Combine(run, "model.ckpt-4"));
            TfCheck.AssertClean("state", run);
            AssertCheckpointsClose(Path.Combine(alone, "model.ckpt-4"), Path.Combine(run, "model.ckpt-4"), minFloatTensors: 10, ofLargest: 1e-5);
        }
    }

    // "Average loss at step 3: 28.5053 (35 steps/s)" -> 28.5053
    private static double LossOf(string line) =>
        double.Parse(line.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);

    // Float sums over the batch are split differently (2 halves, then the allreduce), so the
    // parameters agree to rounding, not bit for bit; an LSTM carries the rounding through its time
    // steps and state, so its tensors are compared to 1e-5 of their largest magnitude (float32 ~6e-8).
    private static void AssertClose(string name, ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double ofLargest)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = 0;
        foreach (float v in expected) scale = Math.Max(scale, Math.Abs(v));
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(expected[i] - actual[i]);
            Assert.True(error <= 1e-5 * Math.Abs(expected[i]) + ofLargest * scale,
                $"'{name}'[{i}]: one process {expected[i]:R}, 2 ranks {actual[i]:R} (tensor's largest magnitude {scale:R})");
        }
    }

    [MpiSharedFact]
    public void AStoppedAndResumedTwoRankRunEndsBitForBitWhereTheUninterruptedOneEnds()
    {
        string straight = _dir.Combine("straight"), stopped = _dir.Combine("stopped");
        var uninterrupted = MpiRun.Run(2, Cli, Train("mnist-cnn", straight, 4, 2), timeoutSeconds: 300);
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.ToString());
        var first = MpiRun.Run(2, Cli, Train("mnist-cnn", stopped, 2, 2), timeoutSeconds: 300);
        Assert.True(first.ExitCode == 0, first.ToString());
        var resumed = MpiRun.Run(2, Cli, Train("mnist-cnn", stopped, 4, 2, "--resume"), timeoutSeconds: 300);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("resume: restored", resumed.Stdout);
        Assert.Contains($"data-parallel: every rank restored {Path.Combine(stopped, "model.ckpt-2")}", resumed.Stdout);

        foreach (string prefix in new[] { "model.ckpt-2", "model.ckpt-4" })
            TfCheck.AssertClean("ckpt", Path.Combine(stopped, prefix));
        TfCheck.AssertClean("state", stopped);
        var expected = TensorBundleReader.Open(Path.Combine(straight, "model.ckpt-4"));
        var actual = TensorBundleReader.Open(Path.Combine(stopped, "model.ckpt-4"));
        Assert.Equal(expected.Entries.Select(e => e.Name), actual.Entries.Select(e => e.Name));
        Assert.Contains(expected.Entries, e => e.Name == "conv1/kernel/Adam_1");
        foreach (var entry in expected.Entries)
            Assert.True(expected.Read(entry.Name).Data.AsSpan().SequenceEqual(actual.Read(entry.Name).Data), $"tensor '{entry.Name}' differs");
    }

    [MpiSharedFact]
    public void AKilledRankEndsTheJobAndTheLastCheckpointStaysIntact()
    {
        string run = _dir.Combine("killed");
        var (result, stderr) = StartAndHurt(run, "KILL", NoEnvironment);
        Assert.NotEqual(0, result.ExitCode);
        // Open MPI's launcher sees the rank die and ends the others.
        Assert.Contains("signal 9", stderr);
        AssertLastCheckpointIntact(run);
    }

    // Rank 1 stops wherever it is (in a step, a save or between them); rank 0 then blocks in whichever
    // collective comes next (the gradient allreduce, the loss mean, the background save's gather, or
    // the wait for that save) and the deadline ends the job. 8 s leaves room for the ranks' skew on a
    // loaded machine and keeps the test within a minute.
    [MpiSharedFact]
    public void AStoppedRankEndsTheJobAtTheDeadlineRatherThanHanging()
    {
        string run = _dir.Combine("stopped");
        var (result, stderr) = StartAndHurt(run, "STOP", new Dictionary<string, string> { ["GPUTRAIN_MPI_TIMEOUT"] = "8" });
        Assert.NotEqual(0, result.ExitCode);
        string line = Assert.Single(Lines(stderr, "error: rank 0 of 2: no answer from the other ranks for"));
        Assert.Matches(@"for \d+ s in .+ \(MPI_\w+.*\) \(a rank died or hangs; limit 8 s, set by GPUTRAIN_MPI_TIMEOUT\); ending the job$", line);
        AssertLastCheckpointIntact(run);
    }

    // Starts a long 2-rank run, waits for its first checkpoint, sends rank 1 the signal, and waits
    // (bounded) for the job to end.
    private static (MpiRun.Result Result, string Stderr) StartAndHurt(string run, string signal, IReadOnlyDictionary<string, string> environment)
    {
        using var p = MpiRun.Start(2, Cli, Train("mnist-mlp", run, 100000, 5), environment: environment);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        var waited = Stopwatch.StartNew();
        while (!File.Exists(Path.Combine(run, "checkpoint")) && !p.HasExited && waited.Elapsed < TimeSpan.FromMinutes(3))
            Thread.Sleep(50);
        if (p.HasExited) Assert.Fail($"the job ended before its first checkpoint:\n{stdout.Result}\n{stderr.Result}");
        int rank1 = RankProcess(p.Id, 1) ?? throw new InvalidOperationException("rank 1's process not found");
        using (var kill = Process.Start("kill", ["-" + signal, rank1.ToString(CultureInfo.InvariantCulture)])) kill.WaitForExit();
        try
        {
            if (!p.WaitForExit(120_000))
            {
                p.Kill(entireProcessTree: true);
                Assert.Fail($"the job still ran 120 s after rank 1 got SIG{signal}:\n{stderr.Result}");
            }
        }
        finally
        {
            // A stopped rank must not outlive the test.
            if (signal == "STOP" && Process.GetProcesses().FirstOrDefault(q => q.Id == rank1) is { } left) left.Kill();
        }
        p.WaitForExit();
        return (new MpiRun.Result(p.ExitCode, stdout.Result, stderr.Result), stderr.Result);
    }

    // Checkpoints commit at the index and state file: whatever was committed last is whole.
    private static void AssertLastCheckpointIntact(string run)
    {
        string? latest = GpuTrain.Persistence.State.CheckpointStateFile.LatestCheckpoint(run);
        Assert.NotNull(latest);
        TfCheck.AssertClean("ckpt", latest);
        TfCheck.AssertClean("state", run);
        var reader = TensorBundleReader.Open(latest);
        foreach (var entry in reader.Entries) reader.Read(entry.Name);
        long step = reader.Read("global_step").ToArray<long>()[0];
        Assert.EndsWith($"-{step}", latest);
    }

    // The process of rank RANK among the launcher's children (only they are read: reading another
    // process's environment can wait on that process's memory lock).
    private static int? RankProcess(int launcher, int rank)
    {
        foreach (string task in Directory.GetDirectories($"/proc/{launcher}/task"))
        {
            foreach (string child in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                string environ;
                try { environ = File.ReadAllText($"/proc/{child}/environ"); }
                catch (IOException) { continue; }
                if (environ.Split('\0').Contains("OMPI_COMM_WORLD_RANK=" + rank)) return int.Parse(child, CultureInfo.InvariantCulture);
            }
        }
        return null;
    }

    [MpiFact]
    public void OptionsThatCannotWorkUnderMpirunAreRefusedWithOneLine()
    {
        var shards = MpiRun.Run(2, Cli, Train("mnist-mlp", _dir.Combine("shards"), 2, 0, "--shards", "3"));
        Assert.NotEqual(0, shards.ExitCode);
        Assert.Contains("error: --shards cannot be used under mpirun: each of the 2 ranks writes one shard of every checkpoint", shards.Stderr);

        var uneven = MpiRun.Run(2, Cli, ["train", "mnist-mlp", "--device", "cpu", "--steps", "2", "--batch-size", "51", "--logdir", _dir.Combine("uneven")]);
        Assert.NotEqual(0, uneven.ExitCode);
        Assert.Contains("error: --batch-size: the global batch of 51 examples does not split evenly over 2 ranks; choose a multiple of 2", uneven.Stderr);
        Assert.DoesNotContain("step 1", uneven.Stdout);
    }

    private static string[] Lines(string text, string start) =>
        text.Split('\n').Where(l => l.TrimStart().StartsWith(start, StringComparison.Ordinal)).ToArray();

    private static double FinalLoss(string run)
    {
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(run + ".json"));
        return json.RootElement.GetProperty("final_loss").GetDouble();
    }
}
