using GpuTrain.Runtime.Initializers;
using GpuTrain.Runtime.Layers;
using GpuTrain.Runtime.Models;
using GpuTrain.Runtime.Tensors;
using GpuTrain.TestSupport;
using ILGPU.Runtime;

namespace GpuTrain.Runtime.Tests.Layers;

/// <summary>
/// The sequence building blocks against finite differences (<see cref="GradientCheck"/>) and float64
/// references: the LSTM over several time steps (one layer and stacked), Dense applied over every time
/// step, and the embedding lookup's row-sparse gradient.
/// </summary>
[Trait("Category", TestDevice.Category)]
public sealed class SequenceLayerGradientTests(TestDeviceFixture device) : IClassFixture<TestDeviceFixture>
{
    private readonly TestDeviceFixture _device = device;

    [DeviceFact]
    public void LstmBackwardThroughTimeMatchesFiniteDifferences()
    {
        // 2 streams x 3 steps of 3 inputs into 4 units, with a forget bias so its path is tested.
        var lstm = new Lstm(4, forgetBias: 0.25f, biasInitializer: new RandomUniform(-0.5f, 0.5f));
        GradientCheck.Run(_device.Device, [3], batch: 2, lstm, GradientCheck.DistinctInputs(18, 7), steps: 3, beforeForward: lstm.ResetState);
    }

    [DeviceFact]
    public void StackedLstmsMatchFiniteDifferences()
    {
        using (var model = new Sequential(_device.Device, [2], seed: 4, new Lstm(3), new Lstm(2)))
        {
            Assert.Equal(["lstm1/kernel", "lstm1/bias", "lstm2/kernel", "lstm2/bias"], model.Parameters.Layout.Slices.Select(s => s.Name));
            Assert.Equal(new Shape(2 + 3, 12), model.Parameters["lstm1/kernel"].Shape);
            Assert.Equal(new Shape(3 + 2, 8), model.Parameters["lstm2/kernel"].Shape);
        }
        // The two layers as one, so the check probes both and the gradient that flows between them.
        var stack = new StackOf(new Lstm(3), new Lstm(2, forgetBias: 1f));
        GradientCheck.Run(_device.Device, [2], batch: 2, stack, GradientCheck.DistinctInputs(16, 8), steps: 4, beforeForward: stack.ResetState);
    }

    [DeviceFact]
    public void LstmCarriesItsStateIntoTheNextBatchUntilReset()
    {
        using var model = new Sequential(_device.Device, [2], seed: 5, new Lstm(3));
        var lstm = (Lstm)model.Layers[0];
        model.Plan(batch: 2, steps: 2);
        var pass = new PassContext(Training: false, Seed: 0, Step: 0);
        model.Input.CopyFromCPU(GradientCheck.DistinctInputs(8, 9));
        lstm.ResetState();
        model.Forward(pass);
        var first = Host(model.Output);
        var carried = Host(lstm.CarriedHidden);
        Assert.Equal(first[^6..], carried); // the last step's outputs are the carried hidden state
        model.Forward(pass);
        Assert.NotEqual(first, Host(model.Output));
        lstm.ResetState();
        model.Forward(pass);
        Assert.Equal(first, Host(model.Output));
    }

    [DeviceFact]
    public void DenseOverTimeStepsMatchesFiniteDifferencesAndEveryStepSharesTheWeights()
    {
        GradientCheck.Run(_device.Device, [3], batch: 2, new Dense(4), GradientCheck.DistinctInputs(24, 10), steps: 4);

        // Time step t's rows equal the same Dense applied to step t alone.
        var x = GradientCheck.DistinctInputs(18, 11);
        using var overTime = new Sequential(_device.Device, [3], seed: 6, new Dense(2));
        using var single = new Sequential(_device.Device, [3], seed: 6, new Dense(2));
        overTime.Plan(batch: 2, steps: 3);
        single.Plan(batch: 2);
        var pass = new PassContext(false, 0, 0);
        overTime.Input.CopyFromCPU(x);
        overTime.Forward(pass);
        var all = Host(overTime.Output);
        for (int t = 0; t < 3; t++)
        {
            single.Input.CopyFromCPU(x.AsSpan(t * 6, 6));
            single.Forward(pass);
            Assert.Equal(Host(single.Output), all[(t * 4)..((t + 1) * 4)]);
        }
    }

    [DeviceFact]
    public void EmbeddingGathersRowsAndSumsTheirGradientsIntoTheTouchedRowsOnly()
    {
        const int vocabulary = 6, width = 3;
        var device = _device.Device;
        var embedding = new Embedding(vocabulary, width, new RandomUniform(-1f, 1f), tableName: "emb");
        var layout = new ArenaLayout();
        layout.Add("emb", new Shape(vocabulary, width));
        using var parameters = new ParameterArena(device, layout);
        using var gradients = new ParameterArena(device, layout);
        embedding.Parameters[0].Initializer.Fill(parameters, parameters["emb"], 3);
        using var gemm = Gemm.GemmEngines.For(device);
        int[] ids = [4, 1, 4, 0, 4, 2];
        embedding.Plan(new ModelContext(device, parameters, gradients, gemm), ids.Length);
        using var y = new Tensor<float>(device, new Shape(ids.Length, width));
        embedding.Forward(new PassContext(true, 0, 0), ids, y.View);

        var table = parameters.Download(parameters["emb"]);
        var output = y.Download();
        for (int p = 0; p < ids.Length; p++)
            Assert.Equal(table.AsSpan(ids[p] * width, width).ToArray(), output.AsSpan(p * width, width).ToArray());

        // L = Σ r ⊙ Y is linear in the table: dL/dtable[w] = Σ of r over the positions holding w, exactly.
        var rng = new Random(12);
        var r = Enumerable.Range(0, output.Length).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        using var dy = Tensor<float>.FromHost(device, y.Shape, r);
        gradients.Clear();
        embedding.Backward(dy.View);
        var dTable = gradients.Download(gradients["emb"]);
        for (int w = 0; w < vocabulary; w++)
            for (int d = 0; d < width; d++)
            {
                double expected = 0;
                for (int p = 0; p < ids.Length; p++)
                    if (ids[p] == w) expected += r[p * width + d];
                Assert.True(Math.Abs(expected - dTable[w * width + d]) < 1e-6, $"row {w}[{d}]: {dTable[w * width + d]} vs {expected}");
            }
        Assert.All(dTable.AsSpan(3 * width, width).ToArray(), g => Assert.Equal(0f, g)); // rows 3 and 5 unused
        Assert.All(dTable.AsSpan(5 * width, width).ToArray(), g => Assert.Equal(0f, g));

        var error = Assert.Throws<ArgumentException>(() => embedding.Forward(new PassContext(true, 0, 0), [0, 1, 2, 3, 6, 5], y.View));
        Assert.Equal("ids", error.ParamName);
        Assert.Contains("id 6 is outside the table of 6 rows", error.Message);
        embedding.Dispose();
    }

    /// <summary>Two layers as one, so <see cref="GradientCheck"/> (which wraps one layer) probes a stack.</summary>
    private sealed class StackOf(Lstm first, Lstm second) : Layer(null)
    {
        private Tensor<float>? _middle, _dMiddle;

        protected override string NamePrefix => "stack";

        public override IReadOnlyList<ParameterSpec> Parameters => [.. first.Parameters, .. second.Parameters];

        protected override Shape ComputeOutputShape(Shape input)
        {
            int n = 0;
            string Name(string prefix) => prefix + ++n;
            return second.Build(first.Build(input, Name), Name);
        }

        protected internal override void Plan(ModelContext model, int batch)
        {
            first.Plan(model, batch);
            second.Plan(model, batch);
            _middle = new Tensor<float>(model.Device, new Shape(batch, first.Units));
            _dMiddle = new Tensor<float>(model.Device, new Shape(batch, first.Units));
        }

        public void ResetState()
        {
            first.ResetState();
            second.ResetState();
        }

        public override void Forward(PassContext pass, ILGPU.ArrayView<float> x, ILGPU.ArrayView<float> y)
        {
            first.Forward(pass, x, _middle!.View);
            second.Forward(pass, _middle.View, y);
        }

        public override void Backward(PassContext pass, ILGPU.ArrayView<float> x, ILGPU.ArrayView<float> y,
            ILGPU.ArrayView<float> dy, ILGPU.ArrayView<float> dx)
        {
            second.Backward(pass, _middle!.View, y, dy, _dMiddle!.View);
            first.Backward(pass, x, _middle.View, _dMiddle.View, dx);
        }

        public override void Dispose()
        {
            _middle?.Dispose();
            _dMiddle?.Dispose();
            first.Dispose();
            second.Dispose();
            base.Dispose();
        }
    }

    private static float[] Host(ILGPU.ArrayView<float> view)
    {
        var values = new float[view.Length];
        view.CopyToCPU(values);
        return values;
    }
}
