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
            new OpenLineCommand("r", 1_000_000, 365, 365, Product.SrdiELoan) { Actor = TestLine.Caller },
            [
                new OpenLineCommand("r", 1_000_001, 365, 365, Product.SrdiELoan) { Actor = TestLine.Caller },
                new OpenLineCommand("r", 1_000_000, 366, 365, Product.SrdiELoan) { Actor = TestLine.Caller },
                new OpenLineCommand("r", 1_000_000, 365, 366, Product.SrdiELoan) { Actor = TestLine.Caller },
                new OpenLineCommand("r", 1_000_000, 365, 365, Product.OperatingQuickLoan) { Actor = TestLine.Caller },
            ]),
        "draw" => (new DrawCommand("r", 100) { Actor = TestLine.Caller }, [new DrawCommand("r", 101) { Actor = TestLine.Caller }, new DrawCommand("r", 1_000) { Actor = TestLine.Caller }]),
        "repay" => (new RepayCommand("r", 100) { Actor = TestLine.Caller }, [new RepayCommand("r", 101) { Actor = TestLine.Caller }, new RepayCommand("r", 10) { Actor = TestLine.Caller }]),
        "hold" => (new PlaceHoldCommand("r", 100, 60) { Actor = TestLine.Caller }, [new PlaceHoldCommand("r", 101, 60) { Actor = TestLine.Caller }, new PlaceHoldCommand("r", 100, 61) { Actor = TestLine.Caller }, new PlaceHoldCommand("r", 100, 0) { Actor = TestLine.Caller }]),
        "capture" => (
            new CaptureHoldCommand("r", "H2", 100) { Actor = TestLine.Caller },
            [new CaptureHoldCommand("r", "H3", 100) { Actor = TestLine.Caller }, new CaptureHoldCommand("r", "H2", 101) { Actor = TestLine.Caller }, new CaptureHoldCommand("r", "H2", 0) { Actor = TestLine.Caller }, new CaptureHoldCommand("r", "H21", 0) { Actor = TestLine.Caller }]),
        "release" => (new ReleaseHoldCommand("r", "H2") { Actor = TestLine.Caller }, [new ReleaseHoldCommand("r", "H3") { Actor = TestLine.Caller }, new ReleaseHoldCommand("r", "H20") { Actor = TestLine.Caller }]),
        "freeze" => (new FreezeLineCommand("r", "overdue") { Actor = TestLine.Caller }, [new FreezeLineCommand("r", "Overdue") { Actor = TestLine.Caller }, new FreezeLineCommand("r", "") { Actor = TestLine.Caller }]),
        "unfreeze" => (new UnfreezeLineCommand("r", "cleared") { Actor = TestLine.Caller }, [new UnfreezeLineCommand("r", "cleared ") { Actor = TestLine.Caller }, new UnfreezeLineCommand("r", "") { Actor = TestLine.Caller }]),
        "adjust" => (
            new AdjustLimitCommand("r", 500, "review") { Actor = TestLine.Caller },
            [new AdjustLimitCommand("r", 501, "review") { Actor = TestLine.Caller }, new AdjustLimitCommand("r", 500, "reviews") { Actor = TestLine.Caller }, new AdjustLimitCommand("r", 50, "0:review") { Actor = TestLine.Caller }]),
        "close" => (new CloseLineCommand("r", "request") { Actor = TestLine.Caller }, [new CloseLineCommand("r", "requested") { Actor = TestLine.Caller }, new CloseLineCommand("r", "") { Actor = TestLine.Caller }]),
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
            new DrawCommand("r", 100) { Actor = TestLine.Caller }.Fingerprint,
            new RepayCommand("r", 100) { Actor = TestLine.Caller }.Fingerprint,
            new PlaceHoldCommand("r", 100, 0) { Actor = TestLine.Caller }.Fingerprint,
            new AdjustLimitCommand("r", 100, "") { Actor = TestLine.Caller }.Fingerprint,
            new OpenLineCommand("r", 100, 0, 1, Product.SrdiELoan) { Actor = TestLine.Caller }.Fingerprint,
            new CaptureHoldCommand("r", "H2", 0) { Actor = TestLine.Caller }.Fingerprint,
            new ReleaseHoldCommand("r", "H2") { Actor = TestLine.Caller }.Fingerprint,
            new FreezeLineCommand("r", "x") { Actor = TestLine.Caller }.Fingerprint,
            new UnfreezeLineCommand("r", "x") { Actor = TestLine.Caller }.Fingerprint,
            new CloseLineCommand("r", "x") { Actor = TestLine.Caller }.Fingerprint,
        ];

        Assert.Equal(fingerprints.Length, fingerprints.Distinct().Count());
    }

    [Fact]
    public void A_hold_asking_for_the_default_ttl_has_the_fingerprint_of_one_naming_it()
    {
        // Both holds last the same time: a retry may spell the default either way.
        Assert.Equal(
            new PlaceHoldCommand("r", 100, 0) { Actor = TestLine.Caller }.Fingerprint,
            new PlaceHoldCommand("r", 100, Limits.DefaultHoldTtlSeconds) { Actor = TestLine.Caller }.Fingerprint);
    }
}
