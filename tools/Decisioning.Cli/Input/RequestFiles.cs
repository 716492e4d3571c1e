using Google.Protobuf;

namespace Decisioning.Cli.Input;

/// <summary>
/// Requests written as files in the contract's JSON (proto3 JSON: snake_case or lowerCamelCase
/// names, enums by name, int64 as numbers or strings), as the README's application.json and
/// renewal.json are. A field the contract does not have is an error, not silently dropped.
/// </summary>
internal static class RequestFiles
{
    /// <summary>The stream that "-" names instead of a file.</summary>
    public const string StandardInput = "-";

    public static async Task<T> ReadAsync<T>(string path, TextReader standardInput, CancellationToken cancellationToken)
        where T : IMessage<T>, new()
    {
        string text;
        try
        {
            text = path == StandardInput ? await standardInput.ReadToEndAsync(cancellationToken) : await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"cannot read {path}: {e.Message}", e);
        }

        try
        {
            return JsonParser.Default.Parse<T>(text);
        }
        catch (Exception e) when (e is InvalidJsonException or InvalidProtocolBufferException or FormatException)
        {
            throw new InputException($"{Name(path)} is not a {new T().Descriptor.FullName} in JSON: {e.Message}", e);
        }
    }

    private static string Name(string path) => path == StandardInput ? "standard input" : path;
}
