namespace GpuTrain.Runtime.Losses;

/// <summary>
/// How <see cref="NceLoss"/> samples and scores candidates; the defaults are tf.nn.nce_loss's and
/// the word2vec_basic tutorial's.
/// </summary>
public sealed record NceOptions
{
    /// <summary>Candidates (negative classes) drawn per step, shared by the whole batch (the tutorial's num_sampled).</summary>
    public int NumSampled { get; init; } = 64;

    /// <summary>Draw distinct candidates (TF's unique=True); false draws with replacement.</summary>
    public bool Unique { get; init; } = true;

    /// <summary>Subtract the log of each logit's expected count (NCE); false gives plain negative sampling.</summary>
    public bool SubtractLogExpectedCount { get; init; } = true;

    /// <summary>Drop a candidate that equals an example's label from that example's loss (off by default, as in TF).</summary>
    public bool RemoveAccidentalHits { get; init; }
}
