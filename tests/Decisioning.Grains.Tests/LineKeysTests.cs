using Decisioning.Grains.Storage;

namespace Decisioning.Grains.Tests;

public sealed class LineKeysTests
{
    private const string Id = "91350100M000100Y43";

    [Fact]
    public void Without_partitions_an_enterprise_keeps_the_layout_of_the_data_stored_so_far()
    {
        var keys = new LineKeys("dc", 0);

        Assert.Equal(
            ["dc:{91350100M000100Y43}:journal", "dc:{91350100M000100Y43}:unlined", "dc:{91350100M000100Y43}:rq:d-1", "dc:{91350100M000100Y43}:doc:decision:D1", "dc:{91350100M000100Y43}:line"],
            [(string)keys.Journal(Id)!, (string)keys.Unlined(Id)!, (string)keys.Request(Id, "d-1")!, (string)keys.Attachment(Id, "decision:D1")!, (string)keys.LegacyLine(Id)!]);
    }

    [Fact]
    public void With_partitions_every_key_of_an_enterprise_carries_its_partition_whose_hash_never_changes()
    {
        var keys = new LineKeys("dc", 16);

        // Pinned: a different hash would make every stored line unreadable.
        Assert.Equal(
            ["dc:{p14}:91350100M000100Y43:journal", "dc:{p14}:91350100M000100Y43:rq:d-1", "dc:{p14}:91350100M000100Y43:doc:decision:D1"],
            [(string)keys.Journal(Id)!, (string)keys.Request(Id, "d-1")!, (string)keys.Attachment(Id, "decision:D1")!]);
    }

    [Fact]
    public void Partitions_spread_enterprises_over_all_of_them()
    {
        var ids = Enumerable.Range(0, 1_000).Select(i => $"91350100M{i:D9}");

        var used = ids.GroupBy(id => LineKeys.Partition(id, 16)).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(Enumerable.Range(0, 16), used.Keys.Order());
        Assert.All(used.Values, count => Assert.InRange(count, 30, 100));
    }
}
