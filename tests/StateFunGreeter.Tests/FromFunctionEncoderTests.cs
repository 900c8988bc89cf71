using FunctionsBench.StateFun.Protocol;
using Google.Protobuf;
using Proto = FunctionsBench.StateFun.Protocol;

namespace FunctionsBench.StateFun.Tests;

public class FromFunctionEncoderTests
{
    public static TheoryData<string> Replies => new(ReplyCases.Keys);

    [Theory]
    [MemberData(nameof(Replies))]
    public void Encode_Reply_IsByteForByteTheGeneratedEncoding(string name)
    {
        var reply = ReplyCases[name]();

        var bytes = FromFunctionEncoder.Encode(reply);

        Assert.Equal(reply.ToByteArray(), bytes);
        Assert.Equal(reply, FromFunction.Parser.ParseFrom(bytes));
    }

    [Fact]
    public async Task HandleAsync_GreeterLogin_WritesTheGeneratedEncodingOfItsReply()
    {
        var handler = Greeter.CreateHandler(new ManualTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_250)));
        var request = TestRequests.UserBatch(41, 1_700_000_000_000, TestRequests.Login("ü", "Jöe"));

        var bytes = await handler.HandleAsync(request.ToByteArray());

        var reply = await handler.HandleAsync(request);
        Assert.Equal(2, reply.InvocationResult.StateMutations.Count);
        Assert.Equal(reply.ToByteArray(), bytes);
    }

    private static readonly Dictionary<string, Func<FromFunction>> ReplyCases = new()
    {
        ["empty"] = () => new FromFunction(),
        ["empty result"] = () => new FromFunction { InvocationResult = new FromFunction.Types.InvocationResponse() },
        ["everything"] = () =>
        {
            var response = new FromFunction.Types.InvocationResponse();
            response.StateMutations.Add(new FromFunction.Types.PersistedValueMutation
            {
                MutationType = FromFunction.Types.PersistedValueMutation.Types.MutationType.Modify,
                StateName = "seen_count",
                StateValue = new Proto.TypedValue { Typename = "io.statefun.types/int", HasValue = true, Value = ByteString.CopyFrom(1, 2, 3, 4, 5) },
            });
            response.StateMutations.Add(new FromFunction.Types.PersistedValueMutation { StateName = "gone" });
            response.StateMutations.Add(new FromFunction.Types.PersistedValueMutation
            {
                MutationType = FromFunction.Types.PersistedValueMutation.Types.MutationType.Modify,
                StateName = "zero",
                StateValue = new Proto.TypedValue { Typename = "io.statefun.types/int", HasValue = true },
            });
            response.OutgoingMessages.Add(new FromFunction.Types.Invocation
            {
                Target = new Proto.Address { Namespace = "greeter.fns", Type = "greetings", Id = "ü-日本" },
                Argument = TestRequests.Profile("Jöe", 300, -5),
            });
            response.OutgoingMessages.Add(new FromFunction.Types.Invocation());
            response.DelayedInvocations.Add(new FromFunction.Types.DelayedInvocation
            {
                DelayInMs = 1L << 40,
                Target = new Proto.Address { Namespace = "n", Type = "t", Id = "i" },
                Argument = new Proto.TypedValue { Typename = "x/y", HasValue = false, Value = ByteString.CopyFrom(new byte[300]) },
                CancellationToken = "token",
            });
            response.DelayedInvocations.Add(new FromFunction.Types.DelayedInvocation { IsCancellationRequest = true, CancellationToken = "token", DelayInMs = -1 });
            response.OutgoingEgresses.Add(new FromFunction.Types.EgressMessage
            {
                EgressNamespace = "io.statefun.playground",
                EgressType = "egress",
                Argument = new Proto.TypedValue { Typename = "io.statefun.playground/EgressRecord", HasValue = true, Value = ByteString.CopyFromUtf8(new string('g', 20_000)) },
            });
            return new FromFunction { InvocationResult = response };
        },
        ["handshake"] = () =>
        {
            var incomplete = new FromFunction.Types.IncompleteInvocationContext();
            incomplete.MissingValues.Add(new FromFunction.Types.PersistedValueSpec { StateName = "seen_count", TypeTypename = "io.statefun.types/int" });
            incomplete.MissingValues.Add(new FromFunction.Types.PersistedValueSpec
            {
                StateName = "ttl",
                TypeTypename = "io.statefun.types/long",
                ExpirationSpec = new FromFunction.Types.ExpirationSpec { Mode = FromFunction.Types.ExpirationSpec.Types.ExpireMode.AfterInvoke, ExpireAfterMillis = 86_400_000 },
            });
            incomplete.MissingValues.Add(new FromFunction.Types.PersistedValueSpec { StateName = "none", ExpirationSpec = new FromFunction.Types.ExpirationSpec() });
            return new FromFunction { IncompleteInvocationContext = incomplete };
        },
        ["empty handshake"] = () => new FromFunction { IncompleteInvocationContext = new FromFunction.Types.IncompleteInvocationContext() },
    };
}
