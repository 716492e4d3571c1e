using System.Net;
using Decisioning.LoadTest.Configuration;

namespace Decisioning.LoadTest.Hosting;

/// <summary>The service under load: an http (h2c) or https URL. Loopback only unless the user says otherwise.</summary>
internal static class Target
{
    public static Uri Parse(string text)
    {
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
        {
            throw new FormatException($"'{text}' is not a target: use http://host:port (h2c) or https://host:port (TLS)");
        }

        if (uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query))
        {
            throw new FormatException($"'{text}' has a path or query: give only scheme, host and port");
        }

        return uri;
    }

    /// <summary>
    /// Refuses a target that is not this machine, unless <paramref name="allowRemote"/>: a load
    /// test aimed at someone else's server by a typo is an attack. A name counts as loopback only
    /// when every address it resolves to is.
    /// </summary>
    public static async Task EnsureAllowedAsync(Uri target, bool allowRemote, CancellationToken cancellationToken)
    {
        if (allowRemote || await IsLoopbackAsync(target, cancellationToken))
        {
            return;
        }

        throw new UsageException($"{target.Host} is not a loopback address; pass --allow-remote to load a remote service you are responsible for");
    }

    public static async Task<bool> IsLoopbackAsync(Uri target, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(target.IdnHost.Trim('[', ']'), out var address))
        {
            return IPAddress.IsLoopback(address);
        }

        try
        {
            var addresses = await Dns.GetHostAddressesAsync(target.IdnHost, cancellationToken);
            return addresses.Length > 0 && addresses.All(IPAddress.IsLoopback);
        }
        catch (System.Net.Sockets.SocketException)
        {
            throw new SetupException($"cannot resolve {target.Host}");
        }
    }
}
