using FunctionsBench.StateFun.Protocol;

namespace FunctionsBench.StateFun;

/// <summary>
/// The Flink StateFun playground greeter, in C#: <c>greeter.fns/user</c> counts a user's logins and
/// <c>greeter.fns/greetings</c> turns each count into a greeting sent to the playground egress.
/// </summary>
public static class Greeter
{
    /// <summary><c>greeter.fns/user</c>.</summary>
    public static TypeName UserFunction { get; } = TypeName.Of("greeter.fns", "user");

    /// <summary><c>greeter.fns/greetings</c>.</summary>
    public static TypeName GreetingsFunction { get; } = TypeName.Of("greeter.fns", "greetings");

    /// <summary><c>io.statefun.playground/egress</c>.</summary>
    public static TypeName Egress { get; } = TypeName.Of("io.statefun.playground", "egress");

    /// <summary><c>greeter.types/UserLogin</c>, JSON.</summary>
    public static StateFunType<UserLogin> UserLoginType { get; } =
        Types.Json(TypeName.Of("greeter.types", "UserLogin"), GreeterJsonContext.Default.UserLogin);

    /// <summary><c>greeter.types/org.apache.flink.statefun.playground.java.greeter.types.UserProfile</c>, protobuf.</summary>
    public static StateFunType<UserProfile> UserProfileType { get; } =
        Types.Protobuf<UserProfile>(TypeName.Of("greeter.types", UserProfile.Descriptor.FullName));

    /// <summary><c>io.statefun.playground/EgressRecord</c>, JSON.</summary>
    public static StateFunType<EgressRecord> EgressRecordType { get; } =
        Types.Json(TypeName.Of("io.statefun.playground", "EgressRecord"), GreeterJsonContext.Default.EgressRecord);

    /// <summary>The user function's login count, <c>io.statefun.types/int</c>.</summary>
    public static ValueSpec<int> SeenCount { get; } = new("seen_count", Types.Int);

    /// <summary>The user function's last login time in Unix milliseconds, <c>io.statefun.types/long</c>.</summary>
    public static ValueSpec<long> SeenTimestampMs { get; } = new("seen_timestamp_ms", Types.Long);

    /// <summary>The playground egress topic.</summary>
    public const string GreetingsTopic = "greetings";

    /// <summary>Registers both greeter functions.</summary>
    /// <param name="functions">The registry to add them to.</param>
    /// <param name="timeProvider">The clock for login times; <see cref="TimeProvider.System"/> when null.</param>
    /// <returns><paramref name="functions"/>, for chaining.</returns>
    public static StatefulFunctions AddGreeter(this StatefulFunctions functions, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(functions);
        var time = timeProvider ?? TimeProvider.System;
        return functions
            .Register(UserFunction, (context, message) => User(context, message, time), SeenCount, SeenTimestampMs)
            .Register(GreetingsFunction, Greetings);
    }

    /// <summary>A handler serving both greeter functions.</summary>
    /// <param name="timeProvider">The clock for login times; <see cref="TimeProvider.System"/> when null.</param>
    public static RequestReplyHandler CreateHandler(TimeProvider? timeProvider = null) =>
        new(new StatefulFunctions().AddGreeter(timeProvider));

    private static ValueTask User(Context context, Message message, TimeProvider time)
    {
        // Anything but a login is a caller error; throwing makes the endpoint answer 500 as the official SDKs do.
        var login = message.As(UserLoginType);
        var storage = context.Storage;

        var seen = storage.GetOrDefault(SeenCount, 0) + 1;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var last = storage.GetOrDefault(SeenTimestampMs, now);
        storage.Set(SeenCount, seen);
        storage.Set(SeenTimestampMs, now);

        var profile = new UserProfile
        {
            Name = login.UserName,
            LoginLocation = login.LoginType,
            SeenCount = seen,
            LastSeenDeltaMs = now - last,
        };
        context.Send(new Address(GreetingsFunction, login.UserId), UserProfileType, profile);
        return ValueTask.CompletedTask;
    }

    private static ValueTask Greetings(Context context, Message message)
    {
        // The playground's greetings function silently drops anything that is not a profile.
        if (message.Is(UserProfileType))
        {
            var profile = message.As(UserProfileType);
            var greeting = GreetingText.For(profile.SeenCount, profile.Name, profile.LastSeenDeltaMs);
            context.SendEgress(Egress, EgressRecordType, new EgressRecord(GreetingsTopic, greeting));
        }

        return ValueTask.CompletedTask;
    }
}
