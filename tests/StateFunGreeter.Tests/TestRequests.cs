using FunctionsBench.StateFun.Protocol;
using Google.Protobuf;
using Proto = FunctionsBench.StateFun.Protocol;

namespace FunctionsBench.StateFun.Tests;

/// <summary>Builds ToFunction requests the way the StateFun runtime does.</summary>
internal static class TestRequests
{
    public static Proto.Address UserAddress(string id = "1") => new() { Namespace = "greeter.fns", Type = "user", Id = id };

    public static Proto.Address GreetingsAddress(string id = "1") => new() { Namespace = "greeter.fns", Type = "greetings", Id = id };

    public static Proto.TypedValue Login(string id = "1", string name = "Joe") => new()
    {
        Typename = "greeter.types/UserLogin",
        HasValue = true,
        Value = ByteString.CopyFromUtf8($$"""{"user_id":"{{id}}","user_name":"{{name}}","login_type":"WEB"}"""),
    };

    public static Proto.TypedValue Profile(string name, int seenCount, long deltaMs) => new()
    {
        Typename = "greeter.types/org.apache.flink.statefun.playground.java.greeter.types.UserProfile",
        HasValue = true,
        Value = new UserProfile { Name = name, SeenCount = seenCount, LastSeenDeltaMs = deltaMs, LoginLocation = "WEB" }.ToByteString(),
    };

    public static Proto.TypedValue Value(string typename, byte[] bytes) => new()
    {
        Typename = typename,
        HasValue = true,
        Value = ByteString.CopyFrom(bytes),
    };

    /// <summary>A batch for the user function with both states registered (values optional).</summary>
    public static ToFunction UserBatch(int? seenCount, long? seenTimestampMs, params Proto.TypedValue[] arguments)
    {
        var batch = new ToFunction.Types.InvocationBatchRequest { Target = UserAddress() };
        batch.State.Add(State("seen_count", seenCount is { } count ? Value("io.statefun.types/int", Types.Int.Serialize(count).ToArray()) : null));
        batch.State.Add(State("seen_timestamp_ms", seenTimestampMs is { } ts ? Value("io.statefun.types/long", Types.Long.Serialize(ts).ToArray()) : null));
        foreach (var argument in arguments)
        {
            batch.Invocations.Add(new ToFunction.Types.Invocation { Argument = argument });
        }

        return new ToFunction { Invocation = batch };
    }

    public static ToFunction Batch(Proto.Address target, Proto.Address? caller, params Proto.TypedValue[] arguments)
    {
        var batch = new ToFunction.Types.InvocationBatchRequest { Target = target };
        foreach (var argument in arguments)
        {
            var invocation = new ToFunction.Types.Invocation { Argument = argument };
            if (caller is not null)
            {
                invocation.Caller = caller;
            }

            batch.Invocations.Add(invocation);
        }

        return new ToFunction { Invocation = batch };
    }

    private static ToFunction.Types.PersistedValue State(string name, Proto.TypedValue? value)
    {
        var state = new ToFunction.Types.PersistedValue { StateName = name };
        if (value is not null)
        {
            state.StateValue = value;
        }

        return state;
    }
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset now = start;

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}
