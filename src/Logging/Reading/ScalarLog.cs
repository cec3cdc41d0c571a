using GpuTrain.Logging.Proto;
using GpuTrain.Logging.Records;

namespace GpuTrain.Logging.Reading;

/// <summary>Loads the scalars of a log folder (or one event file) as TensorBoard would show them.</summary>
public static class ScalarLog
{
    /// <summary>
    /// Scalars of every event file under <paramref name="path"/>; each folder holding event files is a run, read
    /// in file-name order. A SessionLog START at step T drops the points of that run read so far with step &gt;= T
    /// (TensorBoard's purge on restart), so a resumed run shows no stale points. <paramref name="tag"/>, when
    /// given, keeps only that tag. A file that ends inside a record (a live or killed writer) keeps its complete
    /// records and is reported to <paramref name="onTruncated"/>; without that callback the truncation is thrown.
    /// </summary>
    public static List<ScalarPoint> Load(string path, string? tag = null, Action<TruncatedRecordException>? onTruncated = null)
    {
        var files = Writing.EventFileName.Find(path);
        if (files.Count == 0) throw new FileNotFoundException($"no event files (names containing 'tfevents') under {path}", path);
        string root = Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path))!;
        var points = new List<ScalarPoint>();
        foreach (var run in files.GroupBy(f => Path.GetDirectoryName(Path.GetFullPath(f))!))
        {
            string name = Path.GetRelativePath(root, run.Key) is var rel && rel != "." ? rel : "";
            var runPoints = new List<ScalarPoint>();
            foreach (string file in run) ReadFile(file, tag, name, runPoints, onTruncated);
            points.AddRange(runPoints);
        }
        return points;
    }

    private static void ReadFile(string file, string? tag, string run, List<ScalarPoint> points, Action<TruncatedRecordException>? onTruncated)
    {
        var extractor = new ScalarExtractor();
        try
        {
            foreach (var e in EventFileReader.Read(file))
            {
                if (e.WhatCase == Event.WhatOneofCase.SessionLog && e.SessionLog.Status == SessionLog.Types.SessionStatus.Start)
                    points.RemoveAll(p => p.Step >= e.Step);
                foreach (var p in extractor.Extract(e))
                    if (tag is null || p.Tag == tag) points.Add(p with { Run = run });
            }
        }
        catch (TruncatedRecordException truncated) when (onTruncated is not null)
        {
            onTruncated(truncated);
        }
    }
}
