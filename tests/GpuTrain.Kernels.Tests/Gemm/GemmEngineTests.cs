using GpuTrain.Runtime.Gemm;
using ILGPU;
using ILGPU.Runtime;

namespace GpuTrain.Kernels.Tests.Gemm;

/// <summary>Every GEMM engine this machine has, against the float64 reference.</summary>
public sealed class GemmEngineTests(GemmDevices devices) : IClassFixture<GemmDevices>
{
    public static TheoryData<string> Engines => GemmDevices.EngineNames;

    public static TheoryData<string, bool, bool> EnginesAndTransposes()
    {
        var data = new TheoryData<string, bool, bool>();
        foreach (string engine in GemmDevices.EngineNames)
        foreach (bool ta in new[] { false, true })
        foreach (bool tb in new[] { false, true })
            data.Add(engine, ta, tb);
        return data;
    }

    [Theory]
    [MemberData(nameof(EnginesAndTransposes))]
    public void OddShapesWithAlphaBetaAndPaddedStridesMatchTheReference(string engine, bool transA, bool transB)
    {
        foreach (var (m, n, k) in new[] { (1, 1, 1), (7, 13, 5), (33, 65, 17) })
            Check(engine, transA, transB, m, n, k, alpha: 1.5f, beta: -0.5f, pad: 3);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void TightStridesAndUnitScalesMatchTheReference(string engine) =>
        Check(engine, false, false, 9, 40, 11, alpha: 1f, beta: 0f, pad: 0);

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void HostBlocksAcrossKcMcAndBothThreadsMatchTheReference(bool transA, bool transB)
    {
        // 300 > Kc = 256 (beta applied once, then accumulation), 200 > Mc, and enough flops to split.
        Check("host", transA, transB, 200, 150, 300, alpha: 0.75f, beta: 2f, pad: 1);
        Check("host-avx2", transA, transB, 200, 150, 300, alpha: 0.75f, beta: 2f, pad: 1);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void HostReadsBInPlaceForFewRowsAcrossKcSlicesAndARaggedLastStrip(bool transA)
    {
        // 20 rows: few enough strips to read a row-major B where it lies; 300 > Kc; 70 columns end in
        // a partial strip, which is packed; padded strides; and 700 columns put one thread per half.
        Check("host", transA, false, 20, 70, 300, alpha: 0.75f, beta: 2f, pad: 1);
        Check("host-avx2", transA, false, 20, 70, 300, alpha: 0.75f, beta: 2f, pad: 1);
        Check("host", transA, false, 20, 700, 300, alpha: -1f, beta: 0f, pad: 5);
    }

    [Fact]
    public void HostSplitsWideProductsAcrossColumnsAndNcPanels() =>
        // n = 4200 > Nc = 4096 columns, m small: the split runs along n.
        Check("host", false, true, 9, 4200, 70, alpha: -1f, beta: 0.5f, pad: 2);

    [Theory]
    [InlineData(false, false, 200, 300, 100)]
    [InlineData(true, false, 3136 / 8, 1024 / 4, 50)]
    [InlineData(false, true, 20, 1000, 300)]
    [InlineData(true, true, 150, 150, 270)]
    [InlineData(false, false, 50, 1024, 3136 / 8)]
    public void HostCutsOfCIntoAnyNumberOfRectanglesGiveTheSameBits(bool transA, bool transB, int m, int n, int k)
    {
        // One worker runs C as one rectangle; 2 and 3 workers cut it into up to 4 per worker, taken in
        // whatever order the threads get to them. Every cut keeps each element's sum in K order.
        using var one = new HostGemmEngine(devices.Cpu, cores: 1);
        using var two = new HostGemmEngine(devices.Cpu, cores: 2);
        using var three = new HostGemmEngine(devices.Cpu, cores: 3);
        float[] expected = HostRun(one, transA, transB, m, n, k, default);
        Assert.Equal(expected, HostRun(two, transA, transB, m, n, k, default));
        Assert.Equal(expected, HostRun(three, transA, transB, m, n, k, default));
    }

    [Theory]
    [InlineData(false, false, 50, 1024, 300)]
    [InlineData(false, true, 50, 700, 300)]
    [InlineData(true, false, 20, 900, 270)]
    [InlineData(true, true, 30, 800, 260)]
    [InlineData(false, false, 13, 600, 100)]
    [InlineData(false, false, 50, 1000, 1100)]
    public void HostTenRowTileAndWholePackedAGiveTheEightRowTilesBitsAndMatchTheReference(bool transA, bool transB, int m, int n, int k)
    {
        // Few rows (50: 5 strips of 10, against 7 of 8 with the last a quarter full) take the 10 x 32
        // tile; the column cut packs A once for all its rectangles. K > Kc, ragged columns, and a beta
        // neither 0 nor 1 nor -0.5 (whose product with C is exact); a B of 1.1M floats read in place
        // with the next strip prefetched and a ragged last strip of 8 columns: every element must get
        // the same bits as from the 8-row tile on one core.
        using var eightRowsOneCore = new HostGemmEngine(devices.Cpu, cores: 1, allowRows10: false);
        using var eightRows = new HostGemmEngine(devices.Cpu, allowRows10: false);
        var tenRows = (HostGemmEngine)devices.Engine("host");
        float[] expected = HostRun(eightRowsOneCore, transA, transB, m, n, k, default, beta: 0.3f);
        Assert.Equal(expected, HostRun(eightRows, transA, transB, m, n, k, default, beta: 0.3f));
        Assert.Equal(expected, HostRun(tenRows, transA, transB, m, n, k, default, beta: 0.3f));
        Check("host", transA, transB, m, n, k, alpha: 0.75f, beta: -0.5f, pad: 3);
    }

    [Theory]
    [InlineData(false, false, 3, 5, 4)]
    [InlineData(false, false, 400, 1000, 200)]
    [InlineData(true, false, 50, 70, 300)]
    [InlineData(false, true, 9, 4200, 70)]
    public void HostBiasFusedIntoTheGemmIsTheGemmThenTheBiasAdd(bool transA, bool transB, int m, int n, int k)
    {
        // K = 300 spans two Kc slices: the bias is added after the last, exactly once.
        var engine = (HostGemmEngine)devices.Engine("host");
        var bias = Random(n, 21);
        float[] separate = HostRun(engine, transA, transB, m, n, k, default);
        for (int i = 0; i < separate.Length; i++) separate[i] += bias[i % n];
        using var db = devices.Cpu.Accelerator.Allocate1D(bias);
        Assert.Equal(separate, HostRun(engine, transA, transB, m, n, k, db.View));
        Assert.Equal("bias", Assert.Throws<ArgumentException>(() => HostRun(engine, transA, transB, m, n, k, db.View.SubView(1, n - 1))).ParamName);
    }

    /// <summary>C = 0.75 op(A) op(B) + beta C (+ bias) on the host engine, from fixed random operands.</summary>
    private float[] HostRun(HostGemmEngine engine, bool transA, bool transB, int m, int n, int k, ArrayView<float> bias, float beta = -0.5f)
    {
        var device = devices.Cpu;
        using var da = device.Accelerator.Allocate1D(Random(m * k, 1));
        using var dbm = device.Accelerator.Allocate1D(Random(k * n, 2));
        using var dc = device.Accelerator.Allocate1D(Random(m * n, 3));
        engine.Gemm(transA, transB, m, n, k, 0.75f, da.View, transA ? m : k, dbm.View, transB ? k : n, beta, dc.View, n, bias);
        return dc.GetAsArray1D();
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void ZeroDepthScalesC(string engine)
    {
        Check(engine, false, false, 5, 6, 0, alpha: 2f, beta: 0.25f, pad: 1);
        Check(engine, true, true, 5, 6, 0, alpha: 2f, beta: 0f, pad: 1);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void ZeroBetaIgnoresNaNsInC(string engine)
    {
        var device = devices.DeviceOf(engine);
        var a = Random(3 * 4, 1);
        var b = Random(4 * 5, 2);
        using var da = device.Accelerator.Allocate1D(a);
        using var db = device.Accelerator.Allocate1D(b);
        using var dc = device.Accelerator.Allocate1D(Enumerable.Repeat(float.NaN, 3 * 5).ToArray());
        devices.Engine(engine).Gemm(false, false, 3, 5, 4, 1f, da.View, 4, db.View, 5, 0f, dc.View, 5);
        device.Synchronize();
        Assert.All(dc.GetAsArray1D(), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void TooShortViewIsAClearError()
    {
        using var da = devices.Cpu.Accelerator.Allocate1D<float>(10);
        using var dc = devices.Cpu.Accelerator.Allocate1D<float>(16);
        var e = Assert.Throws<ArgumentException>(() =>
            devices.Engine("host").Gemm(false, false, 4, 4, 4, 1f, da.View, 4, dc.View, 4, 0f, dc.View, 4));
        Assert.Contains("GEMM A", e.Message);
        Assert.Contains("needs 16", e.Message);
        Assert.Equal("a", e.ParamName);
    }

    [Fact]
    public void StrideBelowColumnCountIsAClearError()
    {
        using var d = devices.Cpu.Accelerator.Allocate1D<float>(64);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            devices.Engine("tiled-cpu").Gemm(false, true, 4, 4, 4, 1f, d.View, 4, d.View, 4, 0f, d.View, 3));
        Assert.Contains("GEMM C: leading dimension 3", e.Message);
        Assert.Equal("ldc", e.ParamName);
    }

    private void Check(string engine, bool transA, bool transB, int m, int n, int k, float alpha, float beta, int pad) =>
        GemmCheck.AgainstReference(devices.Engine(engine), devices.DeviceOf(engine), engine, transA, transB, m, n, k, alpha, beta, pad);

    private static float[] Random(int count, int seed) => GemmCheck.Random(count, seed);
}
