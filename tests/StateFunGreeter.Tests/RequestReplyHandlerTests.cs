using System.Text;
using System.Text.Json;
using FunctionsBench.StateFun.Protocol;
using Google.Protobuf;
using static FunctionsBench.StateFun.Protocol.FromFunction.Types;

namespace FunctionsBench.StateFun.Tests;

public class RequestReplyHandlerTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task HandleAsync_NoStatesAttached_RepliesIncompleteContextWithBothSpecsAndRunsNoCode()
    {
        var ran = false;
        var count = new ValueSpec<int>("seen_count", Types.Int);
        var timestamp = new ValueSpec<long>("seen_timestamp_ms", Types.Long);
        var registry = new StatefulFunctions().Register(Greeter.UserFunction, (_, _) =>
        {
            ran = true;
            return ValueTask.CompletedTask;
        }, count, timestamp);
        var request = TestRequests.Batch(TestRequests.UserAddress(), null, TestRequests.Login());

        var reply = await new RequestReplyHandler(registry).HandleAsync(request);

        Assert.False(ran);
        Assert.Equal(FromFunction.ResponseOneofCase.IncompleteInvocationContext, reply.ResponseCase);
        var missing = reply.IncompleteInvocationContext.MissingValues;
        Assert.Equal(2, missing.Count);
        Assert.Equal(("seen_count", "io.statefun.types/int"), (missing[0].StateName, missing[0].TypeTypename));
        Assert.Equal(("seen_timestamp_ms", "io.statefun.types/long"), (missing[1].StateName, missing[1].TypeTypename));
        Assert.All(missing, spec => Assert.Null(spec.ExpirationSpec));
    }

    [Fact]
    public async Task HandleAsync_OneStateMissing_ListsOnlyThatSpecWithExpiration()
    {
        var present = new ValueSpec<int>("present", Types.Int);
        var absent = new ValueSpec<string>("absent", Types.String).ExpireAfterWrite(TimeSpan.FromSeconds(5));
        var called = new ValueSpec<bool>("called", Types.Bool).ExpireAfterCall(TimeSpan.FromMilliseconds(250));
        var type = TypeName.Of("test.fns", "expiring");
        var registry = new StatefulFunctions().Register(type, (_, _) => ValueTask.CompletedTask, present, absent, called);
        var request = TestRequests.Batch(new Protocol.Address { Namespace = "test.fns", Type = "expiring", Id = "x" }, null, TestRequests.Login());
        request.Invocation.State.Add(new ToFunction.Types.PersistedValue { StateName = "present" });

        var reply = await new RequestReplyHandler(registry).HandleAsync(request);

        var missing = reply.IncompleteInvocationContext.MissingValues;
        Assert.Equal(["absent", "called"], missing.Select(m => m.StateName));
        Assert.Equal(ExpirationSpec.Types.ExpireMode.AfterWrite, missing[0].ExpirationSpec.Mode);
        Assert.Equal(5000, missing[0].ExpirationSpec.ExpireAfterMillis);
        Assert.Equal(ExpirationSpec.Types.ExpireMode.AfterInvoke, missing[1].ExpirationSpec.Mode);
        Assert.Equal(250, missing[1].ExpirationSpec.ExpireAfterMillis);
    }

    [Fact]
    public async Task HandleAsync_BatchOfThreeLogins_CountsOneTwoThreeAndEmitsOneMutationPerState()
    {
        var clock = new ManualTimeProvider(Start);
        var handler = Greeter.CreateHandler(clock);
        var request = TestRequests.UserBatch(null, null, TestRequests.Login(), TestRequests.Login(), TestRequests.Login());

        var reply = await handler.HandleAsync(request);

        var result = reply.InvocationResult;
        var profiles = result.OutgoingMessages.Select(m => UserProfile.Parser.ParseFrom(m.Argument.Value)).ToList();
        Assert.Equal([1, 2, 3], profiles.Select(p => p.SeenCount));
        Assert.All(profiles, p => Assert.Equal(0, p.LastSeenDeltaMs));
        Assert.All(result.OutgoingMessages, m =>
        {
            Assert.Equal(("greeter.fns", "greetings", "1"), (m.Target.Namespace, m.Target.Type, m.Target.Id));
            Assert.Equal("greeter.types/org.apache.flink.statefun.playground.java.greeter.types.UserProfile", m.Argument.Typename);
        });
        Assert.Equal(2, result.StateMutations.Count);
        var count = Assert.Single(result.StateMutations, m => m.StateName == "seen_count");
        Assert.Equal(PersistedValueMutation.Types.MutationType.Modify, count.MutationType);
        Assert.Equal("io.statefun.types/int", count.StateValue.Typename);
        Assert.True(count.StateValue.HasValue);
        Assert.Equal(new byte[] { 0x0d, 3, 0, 0, 0 }, count.StateValue.Value.ToByteArray());
        var timestamp = Assert.Single(result.StateMutations, m => m.StateName == "seen_timestamp_ms");
        Assert.Equal("io.statefun.types/long", timestamp.StateValue.Typename);
        Assert.Equal(Start.ToUnixTimeMilliseconds(), Types.Long.Deserialize(timestamp.StateValue.Value.Span));
    }

    [Fact]
    public async Task HandleAsync_StoredState_ContinuesCountAndReportsDelta()
    {
        var clock = new ManualTimeProvider(Start);
        var previous = Start.ToUnixTimeMilliseconds() - 1234;
        var request = TestRequests.UserBatch(7, previous, TestRequests.Login(name: "Ann"));

        var reply = await Greeter.CreateHandler(clock).HandleAsync(request);

        var profile = UserProfile.Parser.ParseFrom(Assert.Single(reply.InvocationResult.OutgoingMessages).Argument.Value);
        Assert.Equal(8, profile.SeenCount);
        Assert.Equal(1234, profile.LastSeenDeltaMs);
        Assert.Equal("Ann", profile.Name);
        Assert.Equal("WEB", profile.LoginLocation);
    }

    [Fact]
    public async Task HandleAsync_StateRemovedInBatch_EmitsDelete()
    {
        var flag = new ValueSpec<string>("flag", Types.String);
        var untouched = new ValueSpec<int>("untouched", Types.Int);
        var registry = new StatefulFunctions().Register(TypeName.Of("test.fns", "remover"), (context, _) =>
        {
            context.Storage.Set(flag, "set first");
            context.Storage.Remove(flag);
            return ValueTask.CompletedTask;
        }, flag, untouched);
        var request = TestRequests.Batch(new Protocol.Address { Namespace = "test.fns", Type = "remover", Id = "x" }, null, TestRequests.Login());
        request.Invocation.State.Add(new ToFunction.Types.PersistedValue { StateName = "flag", StateValue = TestRequests.Value("io.statefun.types/string", Types.String.Serialize("old").ToArray()) });
        request.Invocation.State.Add(new ToFunction.Types.PersistedValue { StateName = "untouched" });

        var reply = await new RequestReplyHandler(registry).HandleAsync(request);

        var mutation = Assert.Single(reply.InvocationResult.StateMutations);
        Assert.Equal("flag", mutation.StateName);
        Assert.Equal(PersistedValueMutation.Types.MutationType.Delete, mutation.MutationType);
    }

    [Fact]
    public async Task HandleAsync_GreetingsGetsProfile_SendsEgressRecord()
    {
        var request = TestRequests.Batch(TestRequests.GreetingsAddress(), TestRequests.UserAddress(), TestRequests.Profile("Joe", 4, 42));

        var reply = await Greeter.CreateHandler().HandleAsync(request);

        var egress = Assert.Single(reply.InvocationResult.OutgoingEgresses);
        Assert.Equal(("io.statefun.playground", "egress"), (egress.EgressNamespace, egress.EgressType));
        Assert.Equal("io.statefun.playground/EgressRecord", egress.Argument.Typename);
        using var json = JsonDocument.Parse(egress.Argument.Value.Memory);
        Assert.Equal("greetings", json.RootElement.GetProperty("topic").GetString());
        Assert.Equal(
            "Nice to see you for the 4th time, Joe! It has been 42 milliseconds since we last saw you.",
            json.RootElement.GetProperty("payload").GetString());
        Assert.Empty(reply.InvocationResult.StateMutations);
    }

    [Fact]
    public async Task HandleAsync_GreetingsGetsUnknownType_SendsNothing()
    {
        var request = TestRequests.Batch(TestRequests.GreetingsAddress(), null, TestRequests.Value("io.statefun.types/string", [0x0a, 0x01, 0x41]));

        var reply = await Greeter.CreateHandler().HandleAsync(request);

        Assert.Equal(FromFunction.ResponseOneofCase.InvocationResult, reply.ResponseCase);
        Assert.Empty(reply.InvocationResult.OutgoingEgresses);
        Assert.Empty(reply.InvocationResult.OutgoingMessages);
    }

    [Fact]
    public async Task HandleAsync_UserGetsUnknownType_ThrowsTypeMismatch()
    {
        var request = TestRequests.UserBatch(null, null, TestRequests.Value("io.statefun.types/int", [0x0d, 1, 0, 0, 0]));

        await Assert.ThrowsAsync<StateFunTypeMismatchException>(() => Greeter.CreateHandler().HandleAsync(request).AsTask());
    }

    [Fact]
    public async Task HandleAsync_StoredValueOfOtherType_ThrowsTypeMismatch()
    {
        var request = TestRequests.UserBatch(null, null, TestRequests.Login());
        request.Invocation.State[0].StateValue = TestRequests.Value("io.statefun.types/long", [0x09, 1, 0, 0, 0, 0, 0, 0, 0]);

        await Assert.ThrowsAsync<StateFunTypeMismatchException>(() => Greeter.CreateHandler().HandleAsync(request).AsTask());
    }

    [Fact]
    public async Task HandleAsync_UnregisteredFunction_ThrowsUnknownFunction()
    {
        var request = TestRequests.Batch(new Protocol.Address { Namespace = "greeter.fns", Type = "nobody", Id = "1" }, null, TestRequests.Login());

        var error = await Assert.ThrowsAsync<StateFunUnknownFunctionException>(() => Greeter.CreateHandler().HandleAsync(request).AsTask());
        Assert.Equal("greeter.fns/nobody", error.FunctionType);
    }

    [Fact]
    public async Task HandleAsync_NoInvocationBatch_ThrowsInvalidRequest()
    {
        await Assert.ThrowsAsync<StateFunInvalidRequestException>(() => Greeter.CreateHandler().HandleAsync(new ToFunction()).AsTask());
    }

    [Fact]
    public async Task HandleAsync_TruncatedBytes_ThrowsInvalidRequest()
    {
        var bytes = TestRequests.UserBatch(1, 2, TestRequests.Login()).ToByteArray();

        await Assert.ThrowsAsync<StateFunInvalidRequestException>(() => Greeter.CreateHandler().HandleAsync(bytes.AsMemory(0, bytes.Length - 5)).AsTask());
    }

    [Fact]
    public async Task HandleAsync_SerializedRequest_ReturnsSerializedReply()
    {
        var bytes = TestRequests.Batch(TestRequests.GreetingsAddress(), TestRequests.UserAddress(), TestRequests.Profile("Joe", 1, 0)).ToByteArray();

        var reply = FromFunction.Parser.ParseFrom(await Greeter.CreateHandler().HandleAsync(bytes));

        var egress = Assert.Single(reply.InvocationResult.OutgoingEgresses);
        Assert.Contains("Welcome Joe!", Encoding.UTF8.GetString(egress.Argument.Value.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_CallerAndSend_DeliversCallerAndDelayedMessages()
    {
        Address? seenCaller = null;
        var registry = new StatefulFunctions().Register(TypeName.Of("test.fns", "echo"), (context, message) =>
        {
            seenCaller = context.Caller;
            context.SendAfter(TimeSpan.FromSeconds(2), context.Caller!, Types.String, "later", "token-1");
            context.CancelDelayedMessage("token-0");
            return ValueTask.CompletedTask;
        });
        var request = TestRequests.Batch(new Protocol.Address { Namespace = "test.fns", Type = "echo", Id = "e" }, TestRequests.UserAddress("9"), TestRequests.Login());

        var reply = await new RequestReplyHandler(registry).HandleAsync(request);

        Assert.Equal(new Address(Greeter.UserFunction, "9"), seenCaller);
        var delayed = reply.InvocationResult.DelayedInvocations;
        Assert.Equal(2, delayed.Count);
        Assert.Equal((2000L, "user", "token-1", false), (delayed[0].DelayInMs, delayed[0].Target.Type, delayed[0].CancellationToken, delayed[0].IsCancellationRequest));
        Assert.Equal(("token-0", true), (delayed[1].CancellationToken, delayed[1].IsCancellationRequest));
    }
}
