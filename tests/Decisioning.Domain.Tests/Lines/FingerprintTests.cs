using Decisioning.Domain.Lines;

namespace Decisioning.Domain.Tests.Lines;

/// <summary>
/// A fingerprint tells a retry (same request id, same parameters) from a different request that
/// reuses the id: equal for equal parameters, different as soon as any parameter differs.
/// </summary>
public sealed class FingerprintTests
{
    /// <summary>Each command, then the same command with one parameter changed at a time.</summary>
    public static TheoryData<string> Commands => ["open", "draw", "repay", "hold", "capture", "release", "freeze", "unfreeze", "adjust", "close"];

    private static (LineCommand Command, LineCommand[] Variants) Family(string name) => name switch
    {
        "open" => (
            new OpenLineCommand("r", 1_000_000, 365, 365, Product.SrdiELoan),
            [
                new OpenLineCommand("r", 1_000_001, 365, 365, Product.SrdiELoan),
                new OpenLineCommand("r", 1_000_000, 366, 365, Product.SrdiELoan),
                new OpenLineCommand("r", 1_000_000, 365, 366, Product.SrdiELoan),
                new OpenLineCommand("r", 1_000_000, 365, 365, Product.OperatingQuickLoan),
            ]),
        "draw" => (new DrawCommand("r", 100), [new DrawCommand("r", 101), new DrawCommand("r", 1_000)]),
        "repay" => (new RepayCommand("r", 100), [new RepayCommand("r", 101), new RepayCommand("r", 10)]),
        "hold" => (new PlaceHoldCommand("r", 100, 60), [new PlaceHoldCommand("r", 101, 60), new PlaceHoldCommand("r", 100, 61), new PlaceHoldCommand("r", 100, 0)]),
        "capture" => (
            new CaptureHoldCommand("r", "H2", 100),
            [new CaptureHoldCommand("r", "H3", 100), new CaptureHoldCommand("r", "H2", 101), new CaptureHoldCommand("r", "H2", 0), new CaptureHoldCommand("r", "H21", 0)]),
        "release" => (new ReleaseHoldCommand("r", "H2"), [new ReleaseHoldCommand("r", "H3"), new ReleaseHoldCommand("r", "H20")]),
        "freeze" => (new FreezeLineCommand("r", "overdue"), [new FreezeLineCommand("r", "Overdue"), new FreezeLineCommand("r", "")]),
        "unfreeze" => (new UnfreezeLineCommand("r", "cleared"), [new UnfreezeLineCommand("r", "cleared "), new UnfreezeLineCommand("r", "")]),
        "adjust" => (
            new AdjustLimitCommand("r", 500, "review"),
            [new AdjustLimitCommand("r", 501, "review"), new AdjustLimitCommand("r", 500, "reviews"), new AdjustLimitCommand("r", 50, "0:review")]),
        "close" => (new CloseLineCommand("r", "request"), [new CloseLineCommand("r", "requested"), new CloseLineCommand("r", "")]),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void The_same_command_with_the_same_parameters_has_the_same_fingerprint(string name)
    {
        var (command, _) = Family(name);

        // The request id and the actor are not parameters: the id is what the fingerprint is stored under.
        var retry = command with { RequestId = "another-id", Actor = "someone-else" };

        Assert.Equal(command.Fingerprint, retry.Fingerprint);
        Assert.Equal(command.Fingerprint, Family(name).Command.Fingerprint);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Changing_any_parameter_changes_the_fingerprint(string name)
    {
        var (command, variants) = Family(name);

        Assert.All(variants, variant => Assert.NotEqual(command.Fingerprint, variant.Fingerprint));
        Assert.Equal(variants.Length, variants.Select(v => v.Fingerprint).Distinct().Count());
    }

    [Fact]
    public void Different_commands_with_the_same_parameters_have_different_fingerprints()
    {
        string[] fingerprints =
        [
            new DrawCommand("r", 100).Fingerprint,
            new RepayCommand("r", 100).Fingerprint,
            new PlaceHoldCommand("r", 100, 0).Fingerprint,
            new AdjustLimitCommand("r", 100, "").Fingerprint,
            new OpenLineCommand("r", 100, 0, 1, Product.SrdiELoan).Fingerprint,
            new CaptureHoldCommand("r", "H2", 0).Fingerprint,
            new ReleaseHoldCommand("r", "H2").Fingerprint,
            new FreezeLineCommand("r", "x").Fingerprint,
            new UnfreezeLineCommand("r", "x").Fingerprint,
            new CloseLineCommand("r", "x").Fingerprint,
        ];

        Assert.Equal(fingerprints.Length, fingerprints.Distinct().Count());
    }

    [Fact]
    public void A_hold_asking_for_the_default_ttl_has_the_fingerprint_of_one_naming_it()
    {
        // Both holds last the same time: a retry may spell the default either way.
        Assert.Equal(
            new PlaceHoldCommand("r", 100, 0).Fingerprint,
            new PlaceHoldCommand("r", 100, Limits.DefaultHoldTtlSeconds).Fingerprint);
    }
}
