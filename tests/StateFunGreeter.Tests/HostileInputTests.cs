using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Xunit.Abstractions;
using FunctionsBench.StateFun.Protocol;
using Google.Protobuf;

namespace FunctionsBench.StateFun.Tests;

/// <summary>
/// Fuzzing the standalone server on loopback with 10,000 hostile bodies from a fixed seed. Each answer is compared
/// with <see cref="ExpectedAnswer"/>, worked out from the request bytes alone: a 4xx where the sender is at fault,
/// a 500 only where the function must throw on a type it cannot read, a 200 only for a request that is valid,
/// with a reply that is the right <c>FromFunction</c> for it; a connection error never.
/// </summary>
[Collection(LoopbackStressCollection.Name)]
public class HostileInputTests(ITestOutputHelper output)
{
    // Issue 5; any seed works, a fixed one makes a failure replay.
    private const int Seed = 5;
    private const int BodyCount = 10_000;
    private const int MaxReasonBytes = 1024;

    private static readonly MediaTypeHeaderValue OctetStream = new("application/octet-stream");

    [Fact]
    public void Generate_SameSeed_SameBodies()
    {
        var first = HostileBodies.Generate(Seed, BodyCount);
        var second = HostileBodies.Generate(Seed, BodyCount);

        Assert.Equal(BodyCount, first.Count);
        Assert.All(first.Zip(second), pair => Assert.True(pair.First.Case == pair.Second.Case && pair.First.Bytes.AsSpan().SequenceEqual(pair.Second.Bytes)));
        Assert.All(Enum.GetValues<HostileKind>(), kind => Assert.Contains(first, body => body.Kind == kind));
    }

    [Fact]
    public void For_EveryTemplate_ExpectsSuccess()
    {
        // The oracle must accept what the runtime really sends, or the fuzz test would pass on rejections alone.
        Assert.All(HostileBodies.Templates(), template => Assert.Equal(200, ExpectedAnswer.For(template.Request.ToByteArray()).Status));
    }

    [Fact]
    public async Task Post_TenThousandHostileBodies_AnswersAsTheProtocolSaysAndKeepsServing()
    {
        var bodies = HostileBodies.Generate(Seed, BodyCount);
        await using var server = await StateFunServer.StartAsync(port: 0, bindAddress: "127.0.0.1");
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var histogram = new SortedDictionary<(HostileKind Kind, int Status), int>();
        var functionRejections = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<string>();
        var failureCount = 0;

        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < bodies.Count; i++)
        {
            var body = bodies[i];
            var expected = ExpectedAnswer.For(body.Bytes);

            // Every eighth body goes chunked, the 2 MiB one among them, so the read loop's size check is hit too.
            var chunked = i % 8 == 1;
            var (status, problem) = await SendAsync(client, server.BaseAddress, body.Bytes, chunked, expected);
            histogram[(body.Kind, status)] = histogram.GetValueOrDefault((body.Kind, status)) + 1;
            if (status == 500 && problem is null)
            {
                functionRejections[expected.Why] = functionRejections.GetValueOrDefault(expected.Why) + 1;
            }

            if (problem is not null && ++failureCount <= 20)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture,
                    $"#{i} {body.Kind} '{body.Case}' ({body.Bytes.Length} bytes{(chunked ? ", chunked" : "")}): {problem}"));
            }
        }

        stopwatch.Stop();
        output.WriteLine(Describe(histogram, bodies.Count, stopwatch.Elapsed));
        output.WriteLine("500s, each one a request the oracle says the function must throw on:");
        foreach (var (why, n) in functionRejections)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {n,5}  {why}"));
        }

        // The server must come out of it whole: a fresh user's handshake, then logins through to the exact greetings.
        var login = await new StateFunDriver(client).RunChunkAsync(
            new StateFunChunkRequest(server.BaseAddress, "after-fuzz", "Joe", 1, 2, new StateFunRuntimeState()));

        Assert.True(failureCount == 0, $"{failureCount} of {bodies.Count} answers were wrong; the first ones:{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
        Assert.Equal(1, login.State.Handshakes);
        Assert.Equal(["Welcome Joe!", "Nice to see you again Joe."], login.Logins.Select(l => l.Greeting));
    }

    /// <summary>Sends one body and compares the answer with the expectation; the problem is null when all is right.</summary>
    private static async Task<(int Status, string? Problem)> SendAsync(HttpClient client, Uri uri, byte[] body, bool chunked, ExpectedAnswer expected)
    {
        using HttpContent content = chunked ? new ChunkedContent(body) : new ByteArrayContent(body);
        content.Headers.ContentType = OctetStream;
        HttpResponseMessage response;
        byte[] reply;
        try
        {
            response = await client.PostAsync(uri, content);
            reply = await response.Content.ReadAsByteArrayAsync();
        }
        catch (HttpRequestException e)
        {
            return (0, "connection error: " + e.Message);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var contentType = response.Content.Headers.ContentType?.ToString();
            if (status != expected.Status)
            {
                return (status, $"expected {expected.Status} ({expected.Why}), got {status}: {Shorten(reply)}");
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                return contentType?.StartsWith("text/plain", StringComparison.Ordinal) == true && reply.Length is > 0 and <= MaxReasonBytes
                    ? (status, null)
                    : (status, $"a {status} needs a short plain-text reason, got '{contentType}' with {reply.Length} bytes");
            }

            // The runtime checks the content type exactly and rejects an empty body.
            if (contentType != "application/octet-stream" || reply.Length == 0)
            {
                return (status, $"a 200 needs a non-empty application/octet-stream body, got '{contentType}' with {reply.Length} bytes");
            }

            FromFunction fromFunction;
            try
            {
                fromFunction = FromFunction.Parser.ParseFrom(reply);
            }
            catch (InvalidProtocolBufferException e)
            {
                return (status, "the reply is not a FromFunction: " + e.Message);
            }

            return expected.CheckReply(fromFunction) is { } wrong ? (status, $"wrong reply ({expected.Why}): {wrong}") : (status, null);
        }
    }

    private static string Shorten(byte[] reply) => reply.Length <= 200 ? Encoding.UTF8.GetString(reply) : Encoding.UTF8.GetString(reply, 0, 200) + "...";

    private static string Describe(SortedDictionary<(HostileKind Kind, int Status), int> histogram, int count, TimeSpan elapsed)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{count} hostile bodies in {elapsed.TotalSeconds:F1} s; status per family (0 = connection error):").AppendLine();
        foreach (var kind in histogram.Keys.Select(key => key.Kind).Distinct())
        {
            text.Append(CultureInfo.InvariantCulture, $"  {kind,-12}");
            foreach (var ((_, status), n) in histogram.Where(pair => pair.Key.Kind == kind))
            {
                text.Append(CultureInfo.InvariantCulture, $"  {status}: {n,5}");
            }

            text.AppendLine();
        }

        text.Append("  total       ");
        foreach (var group in histogram.GroupBy(pair => pair.Key.Status).OrderBy(group => group.Key))
        {
            text.Append(CultureInfo.InvariantCulture, $"  {group.Key}: {group.Sum(pair => pair.Value),5}");
        }

        return text.ToString();
    }

    /// <summary>A body of unknown length, which HttpClient sends chunked.</summary>
    private sealed class ChunkedContent(byte[] body) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(body).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
