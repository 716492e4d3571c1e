namespace Decisioning.LoadTest.Configuration;

/// <summary>Bad command-line input found after parsing (it needs the network or the file system to tell).</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>The run could not start measuring: the target or the environment is not as it must be.</summary>
internal sealed class SetupException(string message, Exception? inner = null) : Exception(message, inner);
