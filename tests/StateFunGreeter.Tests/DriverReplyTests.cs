using System.Net;
using FunctionsBench.StateFun.Protocol;
using Google.Protobuf;
using Proto = FunctionsBench.StateFun.Protocol;

namespace FunctionsBench.StateFun.Tests;

/// <summary>
/// The driver reads an SDK's usual replies in place and every other shape with the generated parser: the same reply,
/// written either way, must give the same logins, state and errors.
/// </summary>
public class DriverReplyTests
{
    // Field 7 as a varint at the top of a FromFunction: unknown to the protocol, skipped by the generated parser and
    // outside the shape the in-place reader takes.
    private static readonly byte[] UnknownField = [0x38, 0x01];

    public static TheoryData<string, string> Faults => new()
    {
        { "unregistered state", "greeter.fns/user changed state 'ghost', which it never registered." },
        { "wrong typename", "wrote state 'seen_count' as 'io.statefun.types/string'; it is registered as 'io.statefun.types/int'." },
        { "modify without value", "wrote state 'seen_count' as ''; it is registered as 'io.statefun.types/int'." },
        { "deleted count", "expected 2, got 1" },
        { "message without target", "greeter.fns/user sent a message without a target or an argument." },
        { "two egresses", "Expected exactly one egress message per login, got 2." },
        { "egress elsewhere", "Expected an io.statefun.playground/EgressRecord to io.statefun.playground/egress, got 'io.statefun.playground/EgressRecord' to 'io.statefun.playground/other'." },
        { "profile field twice", "expected 1, got 7" },
        { "delayed message", "greeter.fns/user sent delayed messages, which the bench runtime does not deliver." },
    };

    [Fact]
    public async Task RunChunkAsync_SameRepliesWithAnUnknownField_GiveTheSameLoginsAndState()
    {
        var inPlace = await RunAsync(fault: null, appendUnknownField: false, logins: 5);
        var parsed = await RunAsync(fault: null, appendUnknownField: true, logins: 5);

        Assert.Equal(Enumerable.Range(1, 5), inPlace.Result!.Logins.Select(l => l.SeenCount));
        Assert.Equal(inPlace.Result.Logins.Select(l => (l.Sequence, l.SeenCount, l.Greeting)), parsed.Result!.Logins.Select(l => (l.Sequence, l.SeenCount, l.Greeting)));
        Assert.Equal(inPlace.Result.State.Values["greeter.fns/user/1"]["seen_count"], parsed.Result.State.Values["greeter.fns/user/1"]["seen_count"]);
        Assert.Equal(new byte[] { 0x0d, 5, 0, 0, 0 }, inPlace.Result.State.Values["greeter.fns/user/1"]["seen_count"]);
        Assert.Equal(inPlace.Result.State.HttpRequests, parsed.Result.State.HttpRequests);
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task RunChunkAsync_FaultyReply_FailsAlikeReadInPlaceOrParsed(string fault, string expected)
    {
        var inPlace = await RunAsync(fault, appendUnknownField: false, logins: 2);
        var parsed = await RunAsync(fault, appendUnknownField: true, logins: 2);

        Assert.Contains(expected, inPlace.Error, StringComparison.Ordinal);
        Assert.Equal(inPlace.Error, parsed.Error);
    }

    [Fact]
    public void TryRead_TheGreetersReply_ReadsItInPlaceAndDeclinesOtherShapes()
    {
        var reply = UserReply();
        var view = new InvocationResultView();

        Assert.True(view.TryRead(reply.ToByteArray()));
        Assert.Equal(2, view.Mutations.Count);
        Assert.Single(view.Messages);
        Assert.Empty(view.Egresses);

        Assert.False(view.TryRead([.. reply.ToByteArray(), .. UnknownField]));
        var delayed = reply.Clone();
        delayed.InvocationResult.DelayedInvocations.Add(new Proto.FromFunction.Types.DelayedInvocation { DelayInMs = 5 });
        Assert.False(view.TryRead(delayed.ToByteArray()));
        var badUtf8 = reply.Clone();
        badUtf8.InvocationResult.StateMutations[0].StateName = "seen\u00e9";
        var bytes = badUtf8.ToByteArray();
        bytes[Array.IndexOf(bytes, (byte)0xc3)] = 0xff; // the first byte of é's two, now no UTF-8 at all
        Assert.False(view.TryRead(bytes));
        Assert.False(view.TryRead(reply.ToByteArray()[..^1]));
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0x0a, 0x03, 0x4a, 0x6f, 0x65, 0x10, 0x0c, 0x1a, 0x03, 0x57, 0x45, 0x42, 0x20, 0x2a })] // the greeter's shape
    [InlineData(new byte[] { 0x20, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 })] // seen_count -1 as ten bytes
    [InlineData(new byte[] { 0x20, 0x80, 0x80, 0x80, 0x80, 0x10 })] // 2^32: its low 32 bits are 0
    [InlineData(new byte[] { 0x20, 0x01, 0x20, 0x07 })] // twice: the last wins
    [InlineData(new byte[] { 0x10, 0x05, 0x28, 0x09, 0x20, 0x03 })] // an unknown field 5
    [InlineData(new byte[] { 0x0a, 0x01, 0xff, 0x20, 0x03 })] // a name that is not UTF-8
    [InlineData(new byte[] { 0x22, 0x01, 0x03 })] // seen_count with the wrong wire type: skipped as unknown
    [InlineData(new byte[] { 0x20, 0x80 })] // truncated
    [InlineData(new byte[] { 0x0a, 0x09, 0x4a })] // a length past the end
    public void Read_AnyBytes_AgreesWithTheGeneratedParser(byte[] bytes)
    {
        (int, long)? expected;
        try
        {
            var profile = UserProfile.Parser.ParseFrom(bytes);
            expected = (profile.SeenCount, profile.LastSeenDeltaMs);
        }
        catch (InvalidProtocolBufferException)
        {
            expected = null;
        }

        if (expected is null)
        {
            Assert.Throws<InvalidProtocolBufferException>(() => ProfileReader.Read(bytes));
        }
        else
        {
            Assert.Equal(expected.Value, ProfileReader.Read(bytes));
        }
    }

    private static Proto.FromFunction UserReply()
    {
        var handler = Greeter.CreateHandler();
        var request = TestRequests.UserBatch(4, 1_700_000_000_000, TestRequests.Login());
        return handler.HandleAsync(request).AsTask().GetAwaiter().GetResult();
    }

    private static async Task<(StateFunChunkResult? Result, string Error)> RunAsync(string? fault, bool appendUnknownField, int logins)
    {
        // A clock that stands still, so the greetings' "milliseconds since" are the same in both runs.
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        using var client = new HttpClient(new RewritingHandler(Greeter.CreateHandler(clock), fault, appendUnknownField));
        var driver = new StateFunDriver(client);
        try
        {
            var result = await driver.RunChunkAsync(new StateFunChunkRequest(new Uri("http://greeter.test/"), "1", "Joe", 1, logins, new StateFunRuntimeState()));
            return (result, string.Empty);
        }
        catch (StateFunDriverException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>Answers with the greeter's reply, changed by a fault and re-encoded by the generated code.</summary>
    private sealed class RewritingHandler(RequestReplyHandler greeter, string? fault, bool appendUnknownField) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
            var reply = await greeter.HandleAsync(ToFunction.Parser.ParseFrom(body), cancellationToken);
            if (reply.InvocationResult is { } result)
            {
                Apply(fault, result);
            }

            byte[] bytes = [.. reply.ToByteArray(), .. appendUnknownField ? UnknownField : []];
            var content = new ByteArrayContent(bytes);
            content.Headers.TryAddWithoutValidation("Content-Type", StateFunHttpEndpoint.ContentType);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        }

        private static void Apply(string? fault, Proto.FromFunction.Types.InvocationResponse result)
        {
            var mutation = result.StateMutations.FirstOrDefault(m => m.StateName == "seen_count");
            var egress = result.OutgoingEgresses.FirstOrDefault();
            var message = result.OutgoingMessages.FirstOrDefault();
            switch (fault)
            {
                case "unregistered state" when mutation is not null:
                    mutation.StateName = "ghost";
                    break;
                case "wrong typename" when mutation is not null:
                    mutation.StateValue.Typename = "io.statefun.types/string";
                    break;
                case "modify without value" when mutation is not null:
                    mutation.StateValue = null;
                    break;
                case "deleted count" when mutation is not null:
                    mutation.MutationType = Proto.FromFunction.Types.PersistedValueMutation.Types.MutationType.Delete;
                    mutation.StateValue = null;
                    break;
                case "message without target" when message is not null:
                    message.Target = null;
                    break;
                case "two egresses" when egress is not null:
                    result.OutgoingEgresses.Add(egress.Clone());
                    break;
                case "egress elsewhere" when egress is not null:
                    egress.EgressType = "other";
                    break;
                case "delayed message" when mutation is not null:
                    result.DelayedInvocations.Add(new Proto.FromFunction.Types.DelayedInvocation { DelayInMs = 5, Target = message?.Target, Argument = message?.Argument });
                    break;
                case "profile field twice" when message is not null:
                    // seen_count (field 4) again after the profile's own: the generated parser takes the last, 7.
                    message.Argument.Value = ByteString.CopyFrom([.. message.Argument.Value.Span, 0x20, 0x07]);
                    break;
            }
        }
    }
}
