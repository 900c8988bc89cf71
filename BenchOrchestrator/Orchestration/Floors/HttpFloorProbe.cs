using System.Diagnostics;
using FunctionsBench.StateFun;

namespace FunctionsBench.BenchOrchestrator.Floors;

/// <summary>
/// Measures the HTTP floor (<see cref="HttpFloor"/>): sequential POSTs of a StateFun-sized body to a no-op endpoint,
/// one at a time over the given client, as the StateFun driver sends its requests.
/// </summary>
public static class HttpFloorProbe
{
    /// <summary>
    /// Posts for <paramref name="warmup"/> without counting, then for <paramref name="duration"/> timing each request.
    /// Every request must succeed: a floor measured against error pages would be meaningless.
    /// </summary>
    /// <param name="client">The StateFun driver's client, so the floor pays exactly the driver's connection costs.</param>
    /// <param name="url">The no-op endpoint.</param>
    /// <param name="functionKey">Sent as the <c>x-functions-key</c> header when not null, as the driver sends it.</param>
    /// <param name="body">The request body (see <see cref="StateFunDriver.FloorBody"/>).</param>
    /// <param name="warmup">Time to post before measuring.</param>
    /// <param name="duration">Time to measure.</param>
    /// <param name="cancellationToken">Cancels the measurement.</param>
    public static async Task<HttpFloor> MeasureAsync(
        HttpClient client, Uri url, string? functionKey, byte[] body, TimeSpan warmup, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(body);
        FloorSample sample = await FloorLoop.RunAsync(ct => PostAsync(client, url, functionKey, body, ct), warmup, duration, cancellationToken);
        return new HttpFloor(
            sample.PerSecond, FloorMs.Of(sample.Ms), sample.Ms.Count, sample.WarmupSteps, sample.WarmupSeconds, sample.Seconds, body.Length, url.GetLeftPart(UriPartial.Path));
    }

    /// <summary>
    /// One slice of a floor measured in turns with other work: <paramref name="count"/> sequential POSTs, each one's
    /// milliseconds added to <paramref name="ms"/>.
    /// </summary>
    public static async Task SliceAsync(
        HttpClient client, Uri url, string? functionKey, byte[] body, int count, List<double> ms, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(ms);
        for (int i = 0; i < count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await PostAsync(client, url, functionKey, body, cancellationToken);
            ms.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
    }

    private static async Task PostAsync(HttpClient client, Uri url, string? functionKey, byte[] body, CancellationToken cancellationToken)
    {
        using HttpRequestMessage request = StateFunDriver.NewRequest(url, body, functionKey);

        using HttpResponseMessage response = await client.SendAsync(request, cancellationToken);

        // Read the whole answer, as the driver does, so the connection goes back to the pool ready for the next request.
        await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"{url.GetLeftPart(UriPartial.Path)} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}; the no-op endpoint must answer 200.",
                null, response.StatusCode);
        }
    }
}
