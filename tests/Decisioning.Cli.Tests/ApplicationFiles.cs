using Decisioning.Contracts;
using Decisioning.Contracts.V1;
using Decisioning.Domain;
using Google.Protobuf;

namespace Decisioning.Cli.Tests;

/// <summary>
/// Applications written as files in the contract's JSON: the README's application.json (a provincial
/// SRDI manufacturer, approved with a debt-to-asset ratio of 71% that counterfactuals explain), its
/// fund-flow months moved to end last month (Beijing) so that the statement is always current.
/// </summary>
internal sealed class ApplicationFiles : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("decisioning-cli-");

    /// <summary>The README's application.json for <paramref name="enterpriseId"/>, without a request id (the tool makes one), changed by <paramref name="change"/>.</summary>
    public string Assessment(string enterpriseId, Action<AssessEnterpriseRequest>? change = null)
    {
        var request = Readme<AssessEnterpriseRequest>("application.json");
        (request.EnterpriseId, request.RequestId) = (enterpriseId, "");
        Redate(request.FundFlow);
        change?.Invoke(request);
        return Write($"application-{enterpriseId}.json", request);
    }

    /// <summary>The README's renewal.json (the same figures) for <paramref name="enterpriseId"/>, without a request id.</summary>
    public string Renewal(string enterpriseId)
    {
        var request = Readme<RenewLineRequest>("renewal.json");
        (request.EnterpriseId, request.RequestId) = (enterpriseId, "");
        Redate(request.FundFlow);
        return Write($"renewal-{enterpriseId}.json", request);
    }

    /// <summary>A file of any text, for what the tool must refuse before sending.</summary>
    public string Text(string name, string text)
    {
        var path = Path.Combine(_directory.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => _directory.Delete(recursive: true);

    private static T Readme<T>(string file)
        where T : IMessage<T>, new() => JsonParser.Default.Parse<T>(File.ReadAllText(Path.Combine(RepositoryRoot(), file)));

    /// <summary>The statement's months moved to end last month (Beijing), keeping their figures.</summary>
    private static void Redate(FundFlowStatement statement)
    {
        var today = BusinessCalendar.DateOf(DateTimeOffset.UtcNow);
        var first = new DateOnly(today.Year, today.Month, 1).AddMonths(-statement.Months.Count);
        for (var i = 0; i < statement.Months.Count; i++)
        {
            statement.Months[i].Month = Mapping.Date(first.AddMonths(i));
        }
    }

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Decisioning.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("no Decisioning.sln above " + AppContext.BaseDirectory);
    }

    private string Write(string name, IMessage request) => Text(name, JsonFormatter.Default.Format(request));
}
