using Decisioning.Domain;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.GrpcHost.Errors;
using Decisioning.GrpcHost.Hosting;
using Microsoft.Extensions.Options;

namespace Decisioning.GrpcHost.Services;

/// <summary>Checks requests before any grain is called, so that bad input changes nothing and names its field.</summary>
public sealed class RequestValidator(IOptions<EnterpriseOptions> options)
{
    private readonly HashSet<string> _legacyCodes = new(options.Value.LegacyCodes, StringComparer.Ordinal);

    /// <summary>Credit codes accepted although they fail the check character.</summary>
    public IReadOnlySet<string> LegacyCodes => _legacyCodes;

    public DomainError? EnterpriseId(string? enterpriseId) =>
        Domain.EnterpriseId.Validate(enterpriseId, _legacyCodes) is { } problem
            ? DomainError.Invalid("enterprise_id", ErrorReasons.EnterpriseIdInvalid, problem)
            : null;

    /// <summary>An opening by hand, every field checked (also by the benchmark's plain server, so the two refuse alike).</summary>
    public void RequireOpening(Contracts.V1.OpenLineRequest request) => Require(
        EnterpriseId(request.EnterpriseId),
        LineRules.RequestId(request.RequestId),
        LineRules.OpeningLimit(request.LimitMinor),
        LineRules.AnnualRate(request.AnnualRateBps),
        LineRules.TermDays(request.TermDays),
        LineRules.ProductCode((Product)request.Product));

    /// <summary>Throws INVALID_ARGUMENT naming every field at fault; returns when all are well formed.</summary>
    /// <summary>A decision id as AssessEnterprise or RenewLine returned it.</summary>
    public static DomainError? DecisionIdFormat(string decisionId) =>
        ApplicationRules.DecisionId(decisionId)
        ?? (decisionId.Length == 26 && decisionId.StartsWith("D-", StringComparison.Ordinal) && decisionId.AsSpan(2).ContainsAnyExcept("0123456789abcdef") is false
            ? null
            : DomainError.Invalid(Fields.DecisionId, ErrorReasons.DecisionIdMalformed, "must be a decision id as AssessEnterprise or RenewLine returned it (D- and 24 hex digits)"));

    /// <summary>A page size: 1 to <see cref="Limits.MaxPageSize"/>, or 0 for the default.</summary>
    public static DomainError? PageSize(int pageSize) => pageSize is < 0 or > Limits.MaxPageSize
        ? DomainError.Invalid("page_size", ErrorReasons.PageSizeOutOfRange, $"must be from 1 to {Limits.MaxPageSize} (or 0 for {Limits.DefaultPageSize}), not {pageSize}")
        : null;

    public static void Require(IReadOnlyList<DomainError> errors)
    {
        if (errors.Count > 0)
        {
            throw new DecisioningException(errors);
        }
    }

    public static void Require(params ReadOnlySpan<DomainError?> checks)
    {
        List<DomainError>? errors = null;
        foreach (var check in checks)
        {
            if (check is not null)
            {
                (errors ??= []).Add(check);
            }
        }

        if (errors is not null)
        {
            throw new DecisioningException(errors);
        }
    }
}
