using System.Diagnostics.Metrics;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Lines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Decisioning.Grains.Tests;

/// <summary>The rule of <see cref="LedgerRegressions"/> on its own: which stored sequences serve after an acknowledged one.</summary>
public sealed class LedgerRegressionsTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private IMeterFactory Meters => _services.GetRequiredService<IMeterFactory>();

    [Fact]
    public void Storage_below_the_acknowledged_sequence_is_refused_and_raised_once_until_it_catches_up()
    {
        using var raised = new MetricCollector<long>(Meters, LedgerRegressions.MeterName, LedgerRegressions.CounterName);
        var regressions = new LedgerRegressions(Meters, NullLogger<LedgerRegressions>.Instance);
        regressions.Acknowledge("E", Line(8));

        var refused = new[] { regressions.Check("E", 5), regressions.Check("E", 7), regressions.Check("E", 0) };
        var caughtUp = regressions.Check("E", 8);
        var afterwards = regressions.Check("E", 5);

        Assert.All(refused, r => Assert.Equal("LEDGER_REGRESSION", r?.Reason));
        Assert.Equal(1, raised.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Null(caughtUp);
        Assert.Null(afterwards);
    }

    [Fact]
    public void Only_a_higher_acknowledged_sequence_moves_the_mark()
    {
        var regressions = new LedgerRegressions(Meters, NullLogger<LedgerRegressions>.Instance);
        regressions.Acknowledge("E", Line(8));
        regressions.Acknowledge("E", Line(3));

        Assert.NotNull(regressions.Check("E", 7));
        Assert.Null(regressions.Check("F", 0));
    }

    [Fact]
    public void An_enterprise_without_a_line_whose_records_expired_whole_is_no_regression()
    {
        var regressions = new LedgerRegressions(Meters, NullLogger<LedgerRegressions>.Instance);
        regressions.Acknowledge("unlined", LineState.NotOpened with { Sequence = 3 });
        regressions.Acknowledge("lined", Line(3));

        Assert.NotNull(regressions.Check("unlined", 2));
        Assert.Null(regressions.Check("unlined", 0));
        Assert.NotNull(regressions.Check("lined", 0));
    }

    public void Dispose() => _services.Dispose();

    private static LineState Line(long sequence) => LineState.NotOpened with { Status = LineStatus.Active, Sequence = sequence };
}
