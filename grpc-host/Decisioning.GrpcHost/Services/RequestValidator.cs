using Decisioning.Domain;
using Decisioning.Grains.Abstractions;
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
            ? DomainError.Invalid("enterprise_id", "ENTERPRISE_ID_INVALID", problem)
            : null;

    /// <summary>Throws INVALID_ARGUMENT naming every field at fault; returns when all are well formed.</summary>
    public static void Require(IReadOnlyList<DomainError> errors)
    {
        if (errors.Count > 0)
        {
            throw new DecisioningException([.. errors.Select(LineError.From)]);
        }
    }

    public static void Require(params ReadOnlySpan<DomainError?> checks)
    {
        List<LineError>? errors = null;
        foreach (var check in checks)
        {
            if (check is not null)
            {
                (errors ??= []).Add(LineError.From(check));
            }
        }

        if (errors is not null)
        {
            throw new DecisioningException(errors);
        }
    }
}
