using GpuTrain.Examples.Word2Vec;
using GpuTrain.Runtime.Losses;

namespace GpuTrain.Runtime.Tests.Word2Vec;

/// <summary>
/// tf.nn.nce_loss and its gradients written densely, in double, from the definition: for example b,
/// loss_b = softplus(-(e_b.w_y + b_y - log Q(y))) + sum_k softplus(e_b.w_k + b_k - log Q(k)), mean
/// over the batch; gradients over whole V x D tables.
/// </summary>
internal sealed class NceReference(int vocabulary, int dim, NceOptions options)
{
    public (double Loss, double[] DEmbeddings, double[] DWeights, double[] DBiases) Gradients(
        float[] embeddings, float[] weights, float[] biases, int[] inputs, int[] labels, int[] sampled, int tries)
    {
        int batch = inputs.Length;
        var dE = new double[vocabulary * dim];
        var dW = new double[vocabulary * dim];
        var dB = new double[vocabulary];
        double loss = 0;
        for (int b = 0; b < batch; b++)
        {
            var classes = new List<(int Word, double Target)> { (labels[b], 1.0) };
            foreach (int s in sampled)
                if (!(options.RemoveAccidentalHits && s == labels[b])) classes.Add((s, 0.0));
            foreach (var (word, target) in classes)
            {
                double logit = biases[word];
                for (int d = 0; d < dim; d++) logit += (double)embeddings[inputs[b] * dim + d] * weights[word * dim + d];
                if (options.SubtractLogExpectedCount) logit -= Math.Log(ExpectedCount(word, sampled.Length, tries));
                loss += Math.Max(logit, 0) - logit * target + Math.Log(1 + Math.Exp(-Math.Abs(logit)));
                double g = (1 / (1 + Math.Exp(-logit)) - target) / batch;
                for (int d = 0; d < dim; d++)
                {
                    dE[inputs[b] * dim + d] += g * weights[word * dim + d];
                    dW[word * dim + d] += g * embeddings[inputs[b] * dim + d];
                }
                dB[word] += g;
            }
        }
        return (loss / batch, dE, dW, dB);
    }

    private double ExpectedCount(int word, int numSampled, int tries)
    {
        double p = (Math.Log(word + 2.0) - Math.Log(word + 1.0)) / Math.Log(vocabulary + 1.0);
        return !options.Unique || tries == numSampled ? p * numSampled : 1 - Math.Pow(1 - p, tries);
    }
}
