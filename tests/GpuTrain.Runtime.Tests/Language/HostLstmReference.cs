using GpuTrain.Examples.Ptb;
using GpuTrain.Kernels;

namespace GpuTrain.Runtime.Tests.Language;

/// <summary>
/// ptb_word_lm's forward pass written out step by step in float64 on the host, straight from the
/// tutorial (time loop outside, layer loop inside, [x, h]·W + b per cell, dropout masks from the
/// same Philox draws as the kernel): the reference for the device graph's cost, its final state and,
/// by central differences, its gradients.
/// </summary>
internal sealed class HostLstmReference(PtbConfig config, int vocab)
{
    /// <summary>Parameters by checkpoint name, as float64.</summary>
    public Dictionary<string, double[]> Parameters { get; } = [];

    /// <summary>Carried state in LstmUnroll.DownloadState's order: per layer c then h, [batch, hidden].</summary>
    public double[][] State { get; set; } = [];

    /// <summary>Cost of one batch (sum over steps of the cross-entropy, mean over the batch) and the final state.</summary>
    public (double Cost, double[][] Final) Run(int[] inputs, int[] targets, bool dropout = false, ulong seed = 0, long step = 0)
    {
        int batch = config.BatchSize, steps = config.NumSteps, h = config.HiddenSize;
        var state = State.Select(s => (double[])s.Clone()).ToArray();
        var emb = Parameters["Model/embedding"];
        var sw = Parameters["Model/softmax_w"];
        var sb = Parameters["Model/softmax_b"];
        double cost = 0;
        for (int t = 0; t < steps; t++)
            for (int b = 0; b < batch; b++)
            {
                int row = t * batch + b;
                var x = new double[h];
                for (int k = 0; k < h; k++) x[k] = emb[inputs[b * steps + t] * h + k];
                x = Drop(x, 0, row, dropout, seed, step);
                for (int l = 0; l < config.NumLayers; l++)
                {
                    x = Cell(l, x, state[2 * l], state[2 * l + 1], b);
                    x = Drop(x, l + 1, row, dropout, seed, step);
                }
                var logits = new double[vocab];
                for (int v = 0; v < vocab; v++)
                {
                    logits[v] = sb[v];
                    for (int k = 0; k < h; k++) logits[v] += x[k] * sw[k * vocab + v];
                }
                double max = logits.Max();
                double lse = max + Math.Log(logits.Sum(z => Math.Exp(z - max)));
                cost += lse - logits[targets[b * steps + t]];
            }
        return (cost / batch, state);
    }

    /// <summary>One BasicLSTMCell step for example <paramref name="b"/>; updates c and h in place and returns h.</summary>
    private double[] Cell(int layer, double[] x, double[] c, double[] hState, int b)
    {
        static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
        int h = config.HiddenSize;
        string cell = $"Model/RNN/multi_rnn_cell/cell_{layer}/basic_lstm_cell/";
        var kernel = Parameters[cell + "kernel"];
        var bias = Parameters[cell + "bias"];
        var input = x.Concat(hState.Skip(b * h).Take(h)).ToArray();
        var gates = new double[4 * h];
        for (int g = 0; g < 4 * h; g++)
        {
            gates[g] = bias[g];
            for (int r = 0; r < input.Length; r++) gates[g] += input[r] * kernel[r * 4 * h + g];
        }
        var output = new double[h];
        for (int k = 0; k < h; k++)
        {
            double cNew = c[b * h + k] * Sigmoid(gates[2 * h + k] + config.ForgetBias) + Sigmoid(gates[k]) * Math.Tanh(gates[h + k]);
            c[b * h + k] = cNew;
            output[k] = hState[b * h + k] = Math.Tanh(cNew) * Sigmoid(gates[3 * h + k]);
        }
        return output;
    }

    /// <summary>The kernel's mask for dropout site <paramref name="site"/>, element (row, k) of the [steps·batch, hidden] activation.</summary>
    private double[] Drop(double[] x, int site, int row, bool dropout, ulong seed, long step)
    {
        if (!dropout) return x;
        ulong stream = ((ulong)(site + 1) << 48) ^ (ulong)step;
        return x.Select((v, k) => Philox.Uniform(seed, stream, (ulong)(row * x.Length + k)) < config.KeepProb ? v / config.KeepProb : 0).ToArray();
    }
}
