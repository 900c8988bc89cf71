using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace FunctionsBench.StateFun;

/// <summary>
/// Benchmarks a real StateFun cluster running the greeter through the playground's HTTP ingress and egress, the way
/// the thesis drove it with cURL: per login a <c>PUT {ingress}/greeter.fns/user/{id}</c> of a <c>UserLogin</c> JSON
/// with <c>Content-Type: application/vnd.greeter.types/UserLogin</c>, then <c>GET {egress}/greetings</c> until the
/// greeting comes out. Logins are sequential; each one's latency runs from the PUT to the greeting read.
/// </summary>
/// <remarks>
/// The playground (<c>apache/flink-statefun-playground</c>, image <c>apache/flink-statefun-playground:3.3.0-1.0</c>)
/// answers every request with HTTP 200 and puts its real status in a <c>Status</c> header: the ingress says 500 there
/// for a path it cannot route, and the egress says 404 with an empty body when the topic holds no record. The egress
/// body is the record's payload (the greeting text in UTF-8), not the EgressRecord JSON. Each GET takes one record off
/// the topic's queue, so records left by earlier runs are drained before the first login. The cluster keeps the
/// user's state, so the first seen count is whatever the cluster says, and every later one must be one higher.
/// Untested against a real cluster: the contract is pinned by a test double in the tests.
/// </remarks>
/// <param name="httpClient">The client for ingress and egress requests.</param>
/// <param name="timeProvider">The clock for timestamps and latencies; <see cref="TimeProvider.System"/> when null.</param>
public sealed partial class StateFunClusterDriver(HttpClient httpClient, TimeProvider? timeProvider = null)
{
    /// <summary>The playground egress topic the greeter writes to.</summary>
    public const string Topic = Greeter.GreetingsTopic;

    /// <summary>The content type that names the ingress message's typename to the playground ingress.</summary>
    public static readonly string LoginContentType = "application/vnd." + Greeter.UserLoginType.TypeName.FullName;

    private const string StatusHeader = "Status";
    private const int MaxDrainedRecords = 1_000_000;

    private readonly HttpClient httpClient = httpClient ?? throw new ArgumentNullException(nameof(httpClient));
    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;

    /// <summary>Drains the topic, then runs <see cref="StateFunClusterRequest.Count"/> sequential logins and checks each greeting.</summary>
    /// <exception cref="StateFunDriverException">The ingress refused a login, a greeting was wrong or did not come in time.</exception>
    /// <exception cref="HttpRequestException">The ingress or the egress could not be reached.</exception>
    public async Task<StateFunClusterResult> RunAsync(StateFunClusterRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Ingress);
        ArgumentNullException.ThrowIfNull(request.Egress);
        LoginArguments.Check(request.UserId, request.UserName, request.Count);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(request.GreetingTimeout, TimeSpan.Zero);

        var loginUrl = new Uri(WithSlash(request.Ingress), string.Join('/',
            Uri.EscapeDataString(Greeter.UserFunction.Namespace), Uri.EscapeDataString(Greeter.UserFunction.Name), Uri.EscapeDataString(request.UserId)));
        var topicUrl = new Uri(WithSlash(request.Egress), Topic);
        var body = Greeter.UserLoginType.Serialize(new UserLogin(request.UserId, request.UserName, "WEB")).ToArray();

        var drained = 0;
        while (await TryTakeGreetingAsync(topicUrl, cancellationToken).ConfigureAwait(false) is not null)
        {
            if (++drained == MaxDrainedRecords)
            {
                throw new StateFunDriverException($"{topicUrl} kept returning records: drained {MaxDrainedRecords} and it is still not empty.");
            }
        }

        var logins = new List<StateFunLogin>(request.Count);
        long polls = 0;
        int? lastSeen = null;
        for (var i = 0; i < request.Count; i++)
        {
            var startUtc = time.GetUtcNow().UtcDateTime;
            var started = time.GetTimestamp();
            await PutLoginAsync(loginUrl, body, cancellationToken).ConfigureAwait(false);

            string? greeting;
            while ((greeting = await TryTakeGreetingAsync(topicUrl, cancellationToken).ConfigureAwait(false)) is null)
            {
                polls++;
                if (time.GetElapsedTime(started) > request.GreetingTimeout)
                {
                    throw new StateFunDriverException(
                        $"No greeting on {topicUrl} within {request.GreetingTimeout.TotalSeconds:F1} s of login {request.FirstSequence + i} of user '{request.UserId}'.");
                }

                if (request.PollInterval > TimeSpan.Zero)
                {
                    await Task.Delay(request.PollInterval, time, cancellationToken).ConfigureAwait(false);
                }
            }

            polls++;
            var endUtc = startUtc + time.GetElapsedTime(started);
            var (seen, deltaMs) = Check(greeting, request, lastSeen);
            lastSeen = seen;
            logins.Add(new StateFunLogin(request.FirstSequence + i, startUtc, endUtc, seen, deltaMs, request.UserName));
        }

        return new StateFunClusterResult(logins, drained, polls);
    }

    private async Task PutLoginAsync(Uri url, byte[] body, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent(body) };
        // The typename's own '/' makes this no valid media type, so the header goes out unparsed, as cURL sends it.
        message.Content.Headers.TryAddWithoutValidation("Content-Type", LoginContentType);
        using var response = await httpClient.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var status = PlaygroundStatus(response);
        if (!response.IsSuccessStatusCode || status != 200)
        {
            var reason = text.Length is > 0 and <= 512 ? ": " + text : string.Empty;
            throw new StateFunDriverException($"The ingress refused the login at {url}: HTTP {(int)response.StatusCode}, Status {status}{reason}");
        }
    }

    /// <summary>Takes one record off the topic; null when it holds none.</summary>
    private async Task<string?> TryTakeGreetingAsync(Uri url, CancellationToken cancellationToken)
    {
        using var response = await httpClient.GetAsync(url, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var status = PlaygroundStatus(response);
        if (!response.IsSuccessStatusCode || status is not (200 or 404))
        {
            throw new StateFunDriverException($"The egress answered HTTP {(int)response.StatusCode}, Status {status} for {url}; is '{Topic}' among its topics?");
        }

        return status == 404 || bytes.Length == 0 ? null : Encoding.UTF8.GetString(bytes);
    }

    // The playground's own status: its Status header if present, else the HTTP status.
    private static int PlaygroundStatus(HttpResponseMessage response) =>
        response.Headers.TryGetValues(StatusHeader, out var values)
        && int.TryParse(values.FirstOrDefault()?.Split(' ', 2)[0], NumberStyles.None, CultureInfo.InvariantCulture, out var status)
            ? status
            : (int)response.StatusCode;

    private static (int SeenCount, long DeltaMs) Check(string greeting, StateFunClusterRequest request, int? lastSeen)
    {
        if (!TryRead(greeting, request.UserName, out var seen, out var deltaMs))
        {
            throw new StateFunDriverException($"Not a greeting for '{request.UserName}': \"{greeting}\".");
        }

        if (lastSeen is { } last && seen != last + 1)
        {
            throw new StateFunDriverException(
                $"Seen count of user '{request.UserId}' should rise by one per login: expected {last + 1}, got {seen} (\"{greeting}\").");
        }

        return (seen, deltaMs);
    }

    /// <summary>Reads the seen count (and the delta, from the fourth login on) back out of a playground greeting.</summary>
    internal static bool TryRead(string greeting, string userName, out int seenCount, out long deltaMs)
    {
        deltaMs = 0;
        seenCount = greeting == GreetingText.For(1, userName, 0) ? 1
            : greeting == GreetingText.For(2, userName, 0) ? 2
            : greeting == GreetingText.For(3, userName, 0) ? 3
            : 0;
        if (seenCount > 0)
        {
            return true;
        }

        var match = LaterGreeting().Match(greeting);
        return match.Success
            && int.TryParse(match.Groups["count"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out seenCount)
            && long.TryParse(match.Groups["delta"].ValueSpan, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out deltaMs)
            && seenCount >= 4
            // The whole text, name included, must be exactly what the greeter writes for these numbers.
            && greeting == GreetingText.For(seenCount, userName, deltaMs);
    }

    private static Uri WithSlash(Uri uri) => uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");

    [GeneratedRegex(@"^Nice to see you for the (?<count>[0-9]+)th time, .*! It has been (?<delta>-?[0-9]+) milliseconds since we last saw you\.$", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex LaterGreeting();
}

/// <summary>A run of sequential logins against a StateFun cluster's playground ingress and egress.</summary>
/// <param name="Ingress">The playground ingress, e.g. <c>http://localhost:8090/</c>.</param>
/// <param name="Egress">The playground egress, e.g. <c>http://localhost:8091/</c>.</param>
/// <param name="UserId">The user id, also the function instances' id.</param>
/// <param name="UserName">The user name sent in each <c>UserLogin</c>.</param>
/// <param name="FirstSequence">The sequence number of the first login.</param>
/// <param name="Count">How many logins.</param>
/// <param name="GreetingTimeout">How long a login may wait for its greeting before the run fails.</param>
/// <param name="PollInterval">The pause between two empty egress polls; zero polls again at once.</param>
public sealed record StateFunClusterRequest(
    Uri Ingress, Uri Egress, string UserId, string UserName, int FirstSequence, int Count, TimeSpan GreetingTimeout, TimeSpan PollInterval = default);

/// <summary>The outcome of <see cref="StateFunClusterDriver.RunAsync"/>.</summary>
/// <param name="Logins">One record per login, in order.</param>
/// <param name="DrainedRecords">Records found on the topic before the first login, and thrown away.</param>
/// <param name="EgressPolls">GET requests to the egress during the logins, the ones that found a greeting included.</param>
public sealed record StateFunClusterResult(IReadOnlyList<StateFunLogin> Logins, int DrainedRecords, long EgressPolls);
