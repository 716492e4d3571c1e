using Decisioning.Contracts.V1;
using Decisioning.Testing;
using Xunit.Abstractions;

namespace Decisioning.Cli.Tests;

/// <summary>
/// What the tool says, and which exit code it gives, when a call cannot be done: no token, a token
/// refused, bad input (the service's message naming the field), input the tool cannot send, no
/// service. Every refusal's reason comes from google.rpc.ErrorInfo, on stderr.
/// </summary>
public sealed class RefusalTests(ServiceFixture fixture, ITestOutputHelper log) : IClassFixture<ServiceFixture>, IDisposable
{
    private readonly Tool _li = Tool.Staff(fixture.Service, log);
    private readonly ApplicationFiles _files = new();

    [Fact]
    public async Task Without_a_token_nothing_is_sent_and_the_exit_code_says_so()
    {
        var run = await new Tool(fixture.Service, log, token: null).RunAsync("show", TestEnterprises.Unique());

        Assert.Equal(ExitCodes.AuthRefused, run.Exit);
        Assert.Contains("no bearer token: pass --token or set DECISIONING_TOKEN", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Theory]
    [InlineData("not-a-jwt", "UNAUTHENTICATED TOKEN_INVALID")]
    [InlineData("read-only", "PERMISSION_DENIED SCOPE_REQUIRED")]
    public async Task A_token_the_service_refuses_gives_the_auth_exit_code_and_the_reason(string token, string refusal)
    {
        var jwt = token == "read-only" ? TestTokens.Shared.Issue("channel-app", ["credit.read"], ["*"]) : token;

        var run = await _li.RunAsync("draw", TestEnterprises.Unique(), "100", "--token", jwt);

        Assert.Equal(ExitCodes.AuthRefused, run.Exit);
        Assert.StartsWith("decisioning: " + refusal, run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0", "INVALID_ARGUMENT AMOUNT_MUST_BE_POSITIVE", "amount_minor")]
    [InlineData("1000000001", "INVALID_ARGUMENT AMOUNT_TOO_LARGE", "amount_minor")]
    public async Task A_bad_amount_is_refused_with_a_message_naming_the_field(string amount, string refusal, string field)
    {
        var run = await _li.RunAsync("draw", TestEnterprises.Unique(), amount);

        Assert.Equal(ExitCodes.Refused, run.Exit);
        Assert.StartsWith("decisioning: " + refusal, run.Error, StringComparison.Ordinal);
        Assert.Contains(field, run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task An_enterprise_without_a_line_or_a_journal_is_not_found()
    {
        var run = await _li.RunAsync("show", TestEnterprises.Unique());

        Assert.Equal(ExitCodes.Refused, run.Exit);
        Assert.StartsWith("decisioning: NOT_FOUND LINE_NOT_FOUND", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task A_malformed_enterprise_id_is_refused_naming_the_field()
    {
        var run = await _li.RunAsync("show", "91350100M000100Y4X");

        Assert.Equal(ExitCodes.Refused, run.Exit);
        Assert.StartsWith("decisioning: INVALID_ARGUMENT ENTERPRISE_ID_INVALID", run.Error, StringComparison.Ordinal);
        Assert.Contains(": enterprise_id ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_field_of_an_application_file_is_refused_naming_it()
    {
        var run = await _li.RunAsync("assess", _files.Assessment(TestEnterprises.Unique(), a => a.Profile.Employees = -1));

        Assert.Equal(ExitCodes.Refused, run.Exit);
        Assert.StartsWith("decisioning: INVALID_ARGUMENT COUNT_OUT_OF_RANGE: profile.employees ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_bad_fields_of_an_application_file_are_listed_one_a_line()
    {
        var bad = _files.Assessment(TestEnterprises.Unique(), a => (a.Profile.Employees, a.Innovation.InventionPatents) = (-1, -3));

        var run = await _li.RunAsync("assess", bad);

        Assert.Equal(ExitCodes.Refused, run.Exit);
        var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("decisioning: INVALID_ARGUMENT COUNT_OUT_OF_RANGE: 2 fields are wrong", lines[0]);
        Assert.StartsWith("  profile.employees ", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("  innovation.invention_patents ", lines[2], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("draw|91350100M000100Y43|12.345", "more than two decimals")]
    [InlineData("draw|91350100M000100Y43|twelve", "'twelve' is not an amount in CNY")]
    [InlineData("open|91350100M000100Y43|--limit|100|--rate-bps|1|--term-days|1|--product|gold", "--product: 'gold' is not one of srdi-e-loan, operating-quick-loan")]
    [InlineData("signal|91350100M000100Y43|--type|litigation", "--severity")]
    [InlineData("show|91350100M000100Y43|--target|ftp://example.com", "is not a target")]
    [InlineData("show|91350100M000100Y43|--target|http://10.1.2.3:5080", "would send the token in the clear")]
    public async Task Input_the_tool_cannot_send_is_refused_before_sending(string args, string message)
    {
        var run = await _li.RunAsync(args.Split('|'));

        Assert.Equal(ExitCodes.InvalidArguments, run.Exit);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_file_with_a_field_the_contract_lacks_is_refused_naming_it()
    {
        var path = _files.Text("typo.json", "{\"enterprise_id\":\"91350100M000100Y43\",\"profil\":{}}");

        var run = await _li.RunAsync("assess", path);

        Assert.Equal(ExitCodes.InvalidArguments, run.Exit);
        Assert.Contains("profil", run.Error, StringComparison.Ordinal);
        Assert.Contains("decisioning.v1.AssessEnterpriseRequest", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_service_at_the_target_is_an_unknown_outcome_that_names_the_request_id_to_retry_with()
    {
        var nowhere = $"http://127.0.0.1:{RedisServer.FreePort()}";

        var run = await _li.RunAsync("draw", TestEnterprises.Unique(), "100", "--request-id", "draw-7", "--target", nowhere);

        Assert.Equal(ExitCodes.Unavailable, run.Exit);
        Assert.StartsWith("decisioning: UNAVAILABLE", run.Error, StringComparison.Ordinal);
        Assert.Contains(nowhere, run.Error, StringComparison.Ordinal);
        Assert.Contains("retry with --request-id draw-7", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_the_commands_and_the_exit_codes()
    {
        var run = await new Tool(fixture.Service, log, token: null).RunAsync("--help");

        Assert.Equal(ExitCodes.Success, run.Exit);
        Assert.Contains(ExitCodes.HelpText.Split('\n')[4].Trim(), run.Output, StringComparison.Ordinal);
        foreach (var command in new[] { "show", "draw", "repay", "hold", "open", "freeze", "unfreeze", "approve", "reject", "assess", "decision", "renew", "signal", "events" })
        {
            Assert.Contains($"  {command} ", run.Output, StringComparison.Ordinal);
        }
    }

    public void Dispose() => _files.Dispose();
}
