using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Decisioning.LoadTest.Configuration;
using Decisioning.LoadTest.Hosting;
using Decisioning.LoadTest.Keys;
using Decisioning.LoadTest.Ledger;
using Decisioning.LoadTest.Metrics;
using Decisioning.LoadTest.Workloads;

namespace Decisioning.LoadTest;

/// <summary>The command line of decisioning-load: every option, its default, its bounds, and the mapping to <see cref="LoadTestSettings"/>.</summary>
internal sealed class CommandLine
{
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(1);
    public static readonly TimeSpan MaxWarmup = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan MaxDeadline = TimeSpan.FromMinutes(1);

    public const double MaxRate = 1_000_000;

    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DefaultWarmup = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(5);

    private static readonly string[] Scenarios = ["noop", "check", "draw", "repay", "hold", "assess", "mix"];

    private readonly Option<Uri> _target = new("--target", "-t")
    {
        Description = "The Decisioning gRPC endpoint: http://host:port for h2c, https://host:port for TLS.",
        HelpName = "url",
        DefaultValueFactory = _ => new Uri("http://127.0.0.1:5080"),
        CustomParser = r => Parse(r, Target.Parse),
    };

    private readonly Option<bool> _allowRemote = new("--allow-remote")
    {
        Description = "Allow a target that is not a loopback address. Load only services you are responsible for.",
    };

    private readonly Option<bool> _insecure = new("--insecure")
    {
        Description = "With https, accept any server certificate (a development certificate on a test host).",
    };

    private readonly Option<string?> _token = new("--token")
    {
        Description = "The bearer token (JWT) sent on every call, as authorization: Bearer. Default: the DECISIONING_TOKEN environment variable. " +
            "The scenarios open lines and read them back, so the token needs the scopes credit.admin, credit.read, credit.draw, credit.repay " +
            "(and decisioning.assess for assess) and enterprises '*'; scripts/dev-token.sh makes one for ./run.sh.",
        HelpName = "jwt",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("DECISIONING_TOKEN"),
    };

    private readonly Option<string?> _approverToken = new("--approver-token")
    {
        Description = "The bearer token of a second staff member, used only to approve the run's line openings: an opening by hand " +
            "takes effect when another subject with the scope credit.approve approves it (four eyes). Default: the " +
            "DECISIONING_APPROVER_TOKEN environment variable. Needed by every scenario that opens lines.",
        HelpName = "jwt",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("DECISIONING_APPROVER_TOKEN"),
    };

    private readonly Option<string> _scenario = new("--scenario", "-s")
    {
        Description = "What each arrival does: noop (grpc.health.v1 Health/Check, the stack's own limit), check (CheckLimit), draw, repay, hold (PlaceHold then CaptureHold or ReleaseHold), or mix (see --mix). Default: mix.",
        HelpName = "name",
        CustomParser = r => Parse(r, ParseScenario),
    };

    private readonly Option<Mix> _mix = new("--mix")
    {
        Description = "Relative weights for --scenario mix, e.g. check=70,draw=20,repay=10 (the default). Names: noop, check, draw, repay, hold, assess.",
        HelpName = "weights",
        CustomParser = r => Parse(r, Mix.Parse),
    };

    private readonly Option<string> _mode = new("--mode", "-m")
    {
        Description = "closed: a fixed number of requests in flight (--concurrency). open: a constant arrival rate (--rate), latency from the intended send time so that queueing shows.",
        HelpName = "closed|open",
        DefaultValueFactory = _ => "closed",
    };

    private readonly Option<int> _concurrency = new("--concurrency", "-c")
    {
        Description = "Closed loop: requests in flight.",
        HelpName = "n",
        DefaultValueFactory = _ => 64,
    };

    private readonly Option<double?> _rate = new("--rate", "-r")
    {
        Description = "Open loop: arrivals per second (required with --mode open).",
        HelpName = "per-second",
    };

    private readonly Option<int> _senders = new("--senders")
    {
        Description = "Open loop: tasks that start the scheduled calls.",
        HelpName = "n",
        DefaultValueFactory = _ => 4,
    };

    private readonly Option<int> _maxInFlight = new("--max-in-flight")
    {
        Description = "Open loop: at most this many calls outstanding; beyond it arrivals wait, and their wait counts in their latency.",
        HelpName = "n",
        DefaultValueFactory = _ => 10_000,
    };

    private readonly Option<int> _connections = new("--connections")
    {
        Description = "HTTP/2 connections to spread the calls over.",
        HelpName = "n",
        DefaultValueFactory = _ => 4,
    };

    // Durations have no DefaultValueFactory because help would print them as 00:00:10; the defaults are in Settings.
    private readonly Option<TimeSpan?> _duration = new("--duration", "-d")
    {
        Description = "The measured window, e.g. 10s, 2m (at most 1h). Default: 10s.",
        HelpName = "time",
        CustomParser = r => Parse<TimeSpan?>(r, t => DurationParser.Parse(t)),
    };

    private readonly Option<TimeSpan?> _warmup = new("--warmup", "-w")
    {
        Description = "Load before the window, not counted in any result (at most 10m). Default: 2s.",
        HelpName = "time",
        CustomParser = r => Parse<TimeSpan?>(r, t => DurationParser.Parse(t)),
    };

    private readonly Option<long?> _maxRequests = new("--max-requests", "-n")
    {
        Description = "End the window after this many measured arrivals, if --duration has not ended it first.",
        HelpName = "n",
    };

    private readonly Option<TimeSpan?> _deadline = new("--deadline")
    {
        Description = "gRPC deadline of each call; a call past it counts as DEADLINE_EXCEEDED (at most 1m). Default: 5s.",
        HelpName = "time",
        CustomParser = r => Parse<TimeSpan?>(r, t => DurationParser.Parse(t)),
    };

    private readonly Option<int> _enterprises = new("--enterprises", "-e")
    {
        Description = $"Lines the tool opens before the run, with fresh ids (at most {KeySpace.MaxEnterprises:N0}).",
        HelpName = "n",
        DefaultValueFactory = _ => 1000,
    };

    private readonly Option<int> _history = new("--history")
    {
        Description = $"Draws of 1 fen per line before the run, so that each line starts with this many journal entries and remembered request ids (at most {LineSetup.MaxHistory:N0}; with --enterprises, at most {LineSetup.MaxHistoryOperations:N0} in all). Default: 0.",
        HelpName = "n",
    };

    private readonly Option<KeyDistribution> _distribution = new("--distribution")
    {
        Description = "Which enterprise an arrival goes to: uniform, zipf:<s> (rank k with probability ∝ 1/k^s), or hot (all on one).",
        HelpName = "uniform|zipf:<s>|hot",
        DefaultValueFactory = _ => KeyDistribution.Uniform,
        CustomParser = r => Parse(r, KeyDistribution.Parse),
    };

    private readonly Option<AmountRange> _amount = new("--amount")
    {
        Description = "Amounts in fen, drawn uniformly: min..max or one number.",
        HelpName = "min..max",
        DefaultValueFactory = _ => AmountRange.Default,
        CustomParser = r => Parse(r, AmountRange.Parse),
    };

    private readonly Option<ulong?> _seed = new("--seed")
    {
        Description = "Seed of the run's ids and random choices (decimal or 0x hex). Default: a random one, printed in the result. A seed cannot be reused against the same Redis: its lines already exist.",
        HelpName = "n",
        CustomParser = r => Parse<ulong?>(r, ParseSeed),
    };

    private readonly Option<Slo[]> _slo = new("--slo")
    {
        Description = "A gate, repeatable: p99<5ms, p999<20ms, max<=1s, mean<2ms, errors<0.1%, errors<=0, rate>10000; one operation with a prefix: draw.p99<5ms. Quote it in a shell.",
        HelpName = "objective",
        CustomParser = r => ParseSlos(r),
    };

    private readonly Option<bool> _ledgerCheck = new("--ledger-check")
    {
        Description = "Read every line back after the run and check it against what was acknowledged. Default: on when the scenario changes lines; --ledger-check false turns it off.",
        HelpName = "true|false",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private readonly Option<int?> _serverPid = new("--server-pid")
    {
        Description = "Process id of the service on this machine: its CPU time over the window gives CPU microseconds per call.",
        HelpName = "pid",
        CustomParser = r => Parse(r, ParseProcessId),
    };

    private readonly Option<int?> _redisPid = new("--redis-pid")
    {
        Description = "Process id of the service's redis-server on this machine: its CPU time over the window gives Redis CPU microseconds per call.",
        HelpName = "pid",
        CustomParser = r => Parse(r, ParseProcessId),
    };

    private readonly Option<string> _out = new("--out", "-o")
    {
        Description = "Folder for result.json and report.html. Default: ./reports/<timestamp>.",
        HelpName = "dir",
    };

    private readonly Option<bool> _quiet = new("--quiet", "-q")
    {
        Description = "No live progress and no summary table: only the final 'result key=value ...' line.",
    };

    public CommandLine()
    {
        _mode.AcceptOnlyFromAmong("closed", "open");
        Range(_concurrency, 1, 100_000);
        Range(_senders, 1, 256);
        Range(_maxInFlight, 1, 1_000_000);
        Range(_connections, 1, 256);
        Range(_enterprises, 1, KeySpace.MaxEnterprises);
        Range(_history, 0, LineSetup.MaxHistory);
        Bound(_duration, TimeSpan.FromMilliseconds(100), MaxDuration);
        Bound(_warmup, TimeSpan.Zero, MaxWarmup);
        Bound(_deadline, TimeSpan.FromMilliseconds(1), MaxDeadline);
        _rate.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double?>() is { } rate && (rate is < 1 or > MaxRate || !double.IsFinite(rate)))
            {
                r.AddError(string.Create(CultureInfo.InvariantCulture, $"--rate must be from 1 to {MaxRate:N0} arrivals per second"));
            }
        });
        _maxRequests.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<long?>() is < 1)
            {
                r.AddError("--max-requests must be at least 1");
            }
        });

        Root = new RootCommand(
            "Load-tests a running Decisioning service over gRPC: opens its own lines, drives a scenario in closed or open loop, " +
            "reports HDR percentiles, throughput and errors (console, result.json, report.html), gates on --slo, and checks " +
            "the ledger: every acknowledged operation must be on its line exactly once.\n\n" + ExitCodes.HelpText)
        {
            _target, _allowRemote, _insecure, _token, _approverToken, _scenario, _mix, _mode, _concurrency, _rate, _senders, _maxInFlight, _connections,
            _duration, _warmup, _maxRequests, _deadline, _enterprises, _history, _distribution, _amount, _seed, _slo, _ledgerCheck,
            _serverPid, _redisPid, _out, _quiet,
        };
        Root.Validators.Add(command =>
        {
            var scenario = command.GetValue(_scenario);
            if (command.GetResult(_mix) is not null && scenario is not (null or "mix"))
            {
                command.AddError($"--mix applies to --scenario mix, not {scenario}");
            }

            var open = command.GetValue(_mode) == "open";
            if (open && command.GetValue(_rate) is null)
            {
                command.AddError("--mode open needs --rate (arrivals per second)");
            }

            if (!open && command.GetValue(_rate) is not null)
            {
                command.AddError("--rate applies to --mode open; the closed loop runs as fast as --concurrency allows");
            }
        });
    }

    public RootCommand Root { get; }

    public LoadTestSettings Settings(ParseResult parse)
    {
        var scenario = parse.GetValue(_scenario) ?? "mix";
        var mix = scenario == "mix" ? parse.GetValue(_mix) ?? Mix.Default : Mix.Single(WorkloadNames.Parse(scenario));
        return new LoadTestSettings
        {
            Target = parse.GetValue(_target)!,
            AllowRemote = parse.GetValue(_allowRemote),
            Insecure = parse.GetValue(_insecure),
            Token = parse.GetValue(_token) is { Length: > 0 } token ? token.Trim() : null,
            ApproverToken = parse.GetValue(_approverToken) is { Length: > 0 } approver ? approver.Trim() : null,
            Scenario = scenario,
            Mix = mix,
            Mode = parse.GetValue(_mode) == "open" ? LoadMode.Open : LoadMode.Closed,
            Concurrency = parse.GetValue(_concurrency),
            Rate = parse.GetValue(_rate),
            Senders = parse.GetValue(_senders),
            MaxInFlight = parse.GetValue(_maxInFlight),
            Connections = parse.GetValue(_connections),
            Duration = parse.GetValue(_duration) ?? DefaultDuration,
            Warmup = parse.GetValue(_warmup) ?? DefaultWarmup,
            MaxRequests = parse.GetValue(_maxRequests),
            Deadline = parse.GetValue(_deadline) ?? DefaultDeadline,
            Enterprises = parse.GetValue(_enterprises),
            History = parse.GetValue(_history),
            Distribution = parse.GetValue(_distribution)!,
            Amounts = parse.GetValue(_amount)!,
            Seed = parse.GetValue(_seed) ?? KeySpace.NewSeed(),
            Slos = parse.GetValue(_slo) ?? [],
            LedgerCheck = parse.GetResult(_ledgerCheck) is { Implicit: false } ? parse.GetValue(_ledgerCheck) : null,
            ServerPid = parse.GetValue(_serverPid),
            RedisPid = parse.GetValue(_redisPid),
            OutputDirectory = parse.GetValue(_out) ?? Path.Combine("reports", DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)),
            Quiet = parse.GetValue(_quiet),
        };
    }

    private static string ParseScenario(string text)
    {
        var name = text.Trim().ToLowerInvariant();
        if (name != "mix")
        {
            // Names a reserved one with the reason it cannot run.
            WorkloadNames.Parse(name);
        }

        return Scenarios.Contains(name) ? name : throw new FormatException($"'{text}' is not a scenario: use {string.Join(", ", Scenarios)}");
    }

    private static ulong? ParseSeed(string text)
    {
        var s = text.Trim();
        var ok = s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(s.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            : ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        return ok ? value : throw new FormatException($"'{text}' is not a seed: use a whole number or 0x hex");
    }

    private static int? ParseProcessId(string text) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0
            ? pid
            : throw new FormatException($"'{text}' is not a process id");

    private static Slo[] ParseSlos(ArgumentResult result)
    {
        var slos = new List<Slo>();
        foreach (var token in result.Tokens)
        {
            try
            {
                slos.Add(SloParser.Parse(token.Value, Operations.Names));
            }
            catch (FormatException ex)
            {
                result.AddError($"--slo: {ex.Message}");
            }
        }

        return [.. slos];
    }

    private static T Parse<T>(ArgumentResult result, Func<string, T> parse)
    {
        var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(' ', result.Tokens.Select(t => t.Value));
        try
        {
            return parse(token);
        }
        catch (FormatException ex)
        {
            result.AddError(ex.Message);
            return default!;
        }
    }

    private static void Range(Option<int> option, int min, int max) => option.Validators.Add(r =>
    {
        var value = r.GetValueOrDefault<int>();
        if (value < min || value > max)
        {
            r.AddError(string.Create(CultureInfo.InvariantCulture, $"{option.Name} must be from {min:N0} to {max:N0}, not {value:N0}"));
        }
    });

    private static void Bound(Option<TimeSpan?> option, TimeSpan min, TimeSpan max) => option.Validators.Add(r =>
    {
        if (r.GetValueOrDefault<TimeSpan?>() is { } value && (value < min || value > max))
        {
            r.AddError($"{option.Name} must be from {DurationParser.Format(min)} to {DurationParser.Format(max)}, not {DurationParser.Format(value)}");
        }
    });
}
