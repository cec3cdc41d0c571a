using System.Globalization;
using GpuTrain.Persistence.Bundle;
using GpuTrain.Persistence.Protos;
using GpuTrain.TestSupport;

namespace GpuTrain.Persistence.Tests.Bundle;

public class FixtureBundleTests
{
    // One checker run for all fixtures: each python start costs seconds on a loaded machine.
    private static readonly Lazy<Dictionary<string, Dictionary<string, CheckerTensor>>> Listings =
        new(() => CheckerListing.ReadMany(FixtureFiles.IndexFiles().Select(BundleNaming.PrefixOf).ToList()));

    public static TheoryData<string> Indexes() => new(FixtureFiles.IndexFiles());

    [SharedTheory]
    [MemberData(nameof(Indexes))]
    public void Every_fixture_bundle_reads_as_the_checker_prints_it(string indexFile)
    {
        string prefix = BundleNaming.PrefixOf(indexFile);
        var reader = TensorBundleReader.Open(indexFile);
        var listing = Listings.Value[prefix];
        Assert.Equal(listing.Keys.Order(StringComparer.Ordinal), reader.Entries.Select(e => e.Name));
        foreach (var entry in reader.Entries)
        {
            var expected = listing[entry.Name];
            Assert.Equal(expected.DType, DTypeInfo.Name(entry.DType));
            Assert.Equal(expected.Shape, entry.Shape);
            Assert.Equal(expected.Size, entry.ByteSize);
            var tensor = reader.Read(entry.Name);
            switch (entry.DType)
            {
                case DataType.DtFloat:
                    Assert.Equal(expected.Values.Select(ParsePython), tensor.ToArray<float>().Select(f => (double)f));
                    break;
                case DataType.DtInt64:
                    Assert.Equal(expected.Values.Select(long.Parse), tensor.ToArray<long>());
                    break;
                case DataType.DtString:
                    Assert.Equal(entry.ElementCount, tensor.ToStrings().Length);
                    break;
                default:
                    Assert.Fail($"fixture dtype {entry.DType} not covered by this test");
                    break;
            }
        }
    }

    [SharedFact]
    public void Known_values_of_the_fixtures()
    {
        var halfPlusTwo = TensorBundleReader.Open(SharedDir.Combine("fixtures", "tf", "tensorflow-serving", "saved_model_half_plus_two_cpu", "variables", "variables"));
        Assert.Equal([0.5f], halfPlusTwo.Read("a").ToArray<float>());
        Assert.Equal([2f], halfPlusTwo.Read("b").ToArray<float>());

        var bankrupt = TensorBundleReader.Open(SharedDir.Combine("fixtures", "tf", "bankrupt-prediction", "1554098440", "variables", "variables.index"));
        Assert.Equal(2, bankrupt.NumShards);
        Assert.Equal([3000L], bankrupt.Read("global_step").ToArray<long>());
        Assert.Equal([64L, 20L], bankrupt.Entry("dnn/hiddenlayer_0/kernel").Shape);
    }

    private static double ParsePython(string repr) => repr switch
    {
        "nan" => double.NaN,
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.Parse(repr, CultureInfo.InvariantCulture),
    };
}
