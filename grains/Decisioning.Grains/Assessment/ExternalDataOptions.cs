using System.ComponentModel.DataAnnotations;

namespace Decisioning.Grains.Assessment;

public sealed class ExternalDataOptions
{
    public const string Section = "Decisioning:ExternalData";

    /// <summary>How long a provider's answer is reused: a re-assessment within it does not query the provider again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan CacheLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How long one provider may take; past it, its part is missing and the case is referred.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan ProviderTimeout { get; set; } = TimeSpan.FromSeconds(2);
}

public sealed class ModelOptions
{
    public const string Section = "Decisioning:Model";

    /// <summary>The model file that decides (relative paths are from the binaries' folder).</summary>
    [Required]
    public string Champion { get; set; } = "models/scorecard-2026.1.json";

    /// <summary>A model file run in shadow on every assessment, recorded beside the champion's decision; empty for none.</summary>
    public string? Challenger { get; set; }
}
