namespace Decisioning.PlainScript;

/// <summary>
/// Every key of an enterprise under its hash tag, with a prefix of the plain server's own:
/// <c>plain:{id}:line</c> (a hash), <c>plain:{id}:journal</c> (a stream whose ids are the entries'
/// sequences) and <c>plain:{id}:request:&lt;request id&gt;</c> (a Draw's answer, for the retention).
/// </summary>
internal static class PlainKeys
{
    public const string Prefix = "plain";

    public static string Line(string enterpriseId) => $"{Prefix}:{{{enterpriseId}}}:line";

    public static string Journal(string enterpriseId) => $"{Prefix}:{{{enterpriseId}}}:journal";

    public static string Request(string enterpriseId, string requestId) => $"{Prefix}:{{{enterpriseId}}}:request:{requestId}";
}
