using Decisioning.Grains.Storage;

namespace Decisioning.PlainScript;

/// <summary>What the command line sets; tokens are accepted as the service's Decisioning:Auth settings say.</summary>
public sealed record PlainSettings
{
    /// <summary>Decisioning's own default, so that the two remember request ids for as long.</summary>
    public static readonly TimeSpan DefaultRequestIdRetention = new LineStorageOptions().RequestIdRetention;

    /// <summary>The h2c port on 127.0.0.1.</summary>
    public required int Port { get; init; }

    /// <summary>A StackExchange.Redis configuration string; the server refuses a Redis without AOF <c>appendfsync always</c>.</summary>
    public required string Redis { get; init; }

    /// <summary>Whether every Draw appends its journal entry; false is the script a user would first compare with.</summary>
    public bool Journal { get; init; } = true;

    public TimeSpan RequestIdRetention { get; init; } = DefaultRequestIdRetention;
}
