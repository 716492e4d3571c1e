namespace Decisioning.Cli.Input;

/// <summary>Input the tool cannot send, found after parsing (an unreadable or malformed request file): exit code 2.</summary>
internal sealed class InputException(string message, Exception? inner = null) : Exception(message, inner);
