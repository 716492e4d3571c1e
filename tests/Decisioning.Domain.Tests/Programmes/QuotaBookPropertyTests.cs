using System.Collections.Immutable;
using CsCheck;
using Decisioning.Domain.Lines;
using Decisioning.Domain.Programmes;
using Decisioning.Domain.Tests.Lines;
using static Decisioning.Domain.Tests.Lines.TestLine;

namespace Decisioning.Domain.Tests.Programmes;

/// <summary>
/// The quota is never over-used, whatever the lines do and whatever is lost: grants a line never
/// records (its silo failed), give-backs the quota never hears of, requests from stale activations
/// that still hold an old copy of a line. The lines are the domain's own, applying the commands the
/// grains send; the quota is <see cref="QuotaBook"/>, the model of quota.lua.
/// </summary>
public sealed class QuotaBookPropertyTests
{
    private enum Op
    {
        Grant,
        GrantLost,
        StaleGrant,
        GiveBack,
        GiveBackUnheard,
        Draw,
        Repay,
        Snapshot,
    }

    private sealed record Step(Op Op, int Line, long Amount);

    private static readonly Gen<Step> GenStep = Gen.Select(
        Gen.Frequency(
            (4, Gen.Const(Op.Grant)),
            (1, Gen.Const(Op.GrantLost)),
            (2, Gen.Const(Op.StaleGrant)),
            (2, Gen.Const(Op.GiveBack)),
            (1, Gen.Const(Op.GiveBackUnheard)),
            (6, Gen.Const(Op.Draw)),
            (3, Gen.Const(Op.Repay)),
            (2, Gen.Const(Op.Snapshot))),
        Gen.Int[0, 3],
        Gen.Frequency((4, Gen.Long[1, 50_000]), (1, Gen.Long[1, 1_000_000])),
        (op, line, amount) => new Step(op, line, amount));

    [Fact]
    public void No_sequence_of_lease_changes_draws_repayments_and_losses_uses_more_than_the_quota() =>
        Gen.Select(Gen.Long[0, 400_000], GenStep.Array[1, 120]).Sample((quota, steps) => Run(quota, steps), iter: 2_000);

    private static void Run(long configured, Step[] steps)
    {
        var book = QuotaBook.Empty(configured);
        var lines = Enumerable.Range(0, 4).Select(i => LineState.NotOpened.Then(RelendingTests.Approve(id: "open-" + i))).ToArray();
        var stale = lines.ToArray();
        var n = 0;
        foreach (var step in steps)
        {
            var i = step.Line;
            var line = lines[i];
            var id = "line-" + i;
            switch (step.Op)
            {
                case Op.Grant or Op.GrantLost:
                    var (afterGrant, answer) = book.Lease(id, line.RelendingVersion, line.RelendingHoldingMinor, step.Amount);
                    book = afterGrant;
                    if (answer.Stale)
                    {
                        lines[i] = line.Then(RelendingTests.Lease(0, line.RelendingVersion, answer.Version) with { RequestId = "s" + n++ });
                    }
                    else if (answer.GrantedMinor > 0 && step.Op == Op.Grant)
                    {
                        lines[i] = line.Then(RelendingTests.Lease(answer.GrantedMinor, line.RelendingVersion, answer.Version) with { RequestId = "g" + n++ });
                    }

                    break;
                case Op.StaleGrant:
                    // An activation that lost the line asks with its old copy; its commit would be fenced off.
                    book = book.Lease(id, stale[i].RelendingVersion, stale[i].RelendingHoldingMinor, step.Amount).Book;
                    break;
                case Op.GiveBack or Op.GiveBackUnheard when line.RelendingLeaseMinor > 0:
                    var back = Math.Min(step.Amount, line.RelendingLeaseMinor);
                    lines[i] = line.Then(RelendingTests.Lease(-back, line.RelendingVersion, line.RelendingVersion + 1) with { RequestId = "b" + n++ });
                    if (step.Op == Op.GiveBack)
                    {
                        book = book.Lease(id, lines[i].RelendingVersion, lines[i].RelendingHoldingMinor, 0).Book;
                    }

                    break;
                case Op.Draw:
                    lines[i] = line.Apply(Cmd.Draw(step.Amount, "d" + n++), T0) is Applied drawn ? drawn.State : line;
                    break;
                case Op.Repay when line.DrawnMinor > 0:
                    lines[i] = line.Then(Cmd.Repay(Math.Min(step.Amount, line.DrawnMinor), "r" + n++));
                    break;
                case Op.Snapshot:
                    stale[i] = line;
                    break;
            }

            AssertNeverOverUsed(book, lines);
        }

        // Each line tells the quota what it holds (taking the quota's version first when stale):
        // then the quota counts exactly what the lines hold.
        for (var i = 0; i < lines.Length; i++)
        {
            var (synced, answer) = book.Lease("line-" + i, lines[i].RelendingVersion, lines[i].RelendingHoldingMinor, 0);
            if (answer.Stale)
            {
                lines[i] = lines[i].Then(RelendingTests.Lease(0, lines[i].RelendingVersion, answer.Version) with { RequestId = "final" + i });
                synced = book.Lease("line-" + i, lines[i].RelendingVersion, lines[i].RelendingHoldingMinor, 0).Book;
            }

            book = synced;
        }

        Assert.Equal(lines.Sum(l => l.RelendingHoldingMinor), book.UsedMinor);
    }

    private static void AssertNeverOverUsed(QuotaBook book, LineState[] lines)
    {
        Assert.InRange(book.UsedMinor, 0, book.ConfiguredMinor);
        for (var i = 0; i < lines.Length; i++)
        {
            // The quota never counts less for a line than the line holds: no line can use quota another was given.
            Assert.True(book.Lines.GetValueOrDefault("line-" + i).HeldMinor >= lines[i].RelendingHoldingMinor);
            Assert.True(lines[i].RelendingLeaseMinor >= 0 && lines[i].RelendingFundedMinor >= 0);
        }

        Assert.Equal(book.Lines.Values.Sum(h => h.HeldMinor), book.UsedMinor);
    }
}
