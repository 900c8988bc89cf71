using Microsoft.AspNetCore.Http;

namespace FunctionsBench.Http;

/// <summary>
/// The URLs of a host's own endpoints as the request that started a run saw them (the StateFun greeter, the HTTP
/// floor's no-op), and the function key taken out of a URL so that it travels in a header and never into the results.
/// </summary>
public static class HostUrls
{
    /// <summary>The path of the StateFun endpoint below the host's base URL; <c>{function.name}</c> as in StateFun's urlPathTemplate.</summary>
    public const string StateFunPathTemplate = "/" + BenchRoutes.Prefix + "/statefun/{function.name}";

    /// <summary>The path of the no-op endpoint below the host's base URL: the HTTP floor's target.</summary>
    public const string NoopPath = "/" + BenchRoutes.Prefix + "/" + BenchRoutes.Noop;

    /// <summary>The StateFun endpoint of the host that received <paramref name="request"/>.</summary>
    public static string StateFunUrlOf(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return $"{request.Scheme}://{request.Host}{request.PathBase}{StateFunPathTemplate}";
    }

    /// <summary>
    /// <paramref name="url"/> without its <c>code</c> query parameter, and that parameter's value (a function key), so
    /// that the key travels in a header and never into the results.
    /// </summary>
    public static (string Url, string? Key) SplitFunctionKey(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Query.Length <= 1)
        {
            return (url, null);
        }

        string? key = null;
        var kept = new List<string>();
        foreach (string pair in uri.Query[1..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            string name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            if (name.Equals("code", StringComparison.OrdinalIgnoreCase))
            {
                key = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..]);
            }
            else
            {
                kept.Add(pair);
            }
        }

        if (key is null)
        {
            return (url, null);
        }

        // The URL is rebuilt by hand: UriBuilder would escape the {function.name} placeholder of the path.
        int queryAt = url.IndexOf('?', StringComparison.Ordinal);
        int fragmentAt = url.IndexOf('#', StringComparison.Ordinal);
        string fragment = fragmentAt > queryAt ? url[fragmentAt..] : string.Empty;
        string rest = kept.Count == 0 ? string.Empty : "?" + string.Join('&', kept);
        return (url[..queryAt] + rest + fragment, key.Length == 0 ? null : key);
    }

    /// <summary>The no-op endpoint of the host that received <paramref name="request"/>: the HTTP floor's target.</summary>
    public static string NoopUrlOf(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return $"{request.Scheme}://{request.Host}{request.PathBase}{NoopPath}";
    }
}
