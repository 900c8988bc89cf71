using System.Globalization;
using System.Text.Json;
using FunctionsBench.StateFun.Protocol;
using Google.Protobuf;
using Proto = FunctionsBench.StateFun.Protocol;

namespace FunctionsBench.StateFun.Tests;

/// <summary>
/// The fuzz test's oracle: what the endpoint must answer to a body, worked out from the protocol and the
/// playground greeter's semantics (StateFun 3.3 request-reply) with the generated parsers, not with the handler.
/// </summary>
/// <remarks>
/// A 500 is expected only where the greeter's code must throw on a type it cannot read, which the official SDKs
/// answer with 500 so that StateFun retries: a message the user function does not accept (another typename, or a
/// UserLogin it cannot decode), a state value stored under another typename or in unreadable bytes, or a profile
/// the greetings function cannot decode.
/// </remarks>
internal sealed class ExpectedAnswer
{
    private const string UserLogin = "greeter.types/UserLogin";
    private const string UserProfileTypename = "greeter.types/org.apache.flink.statefun.playground.java.greeter.types.UserProfile";
    private const string IntTypename = "io.statefun.types/int";
    private const string LongTypename = "io.statefun.types/long";
    private static readonly (string Name, string Typename)[] UserStates = [("seen_count", IntTypename), ("seen_timestamp_ms", LongTypename)];

    private readonly Func<FromFunction, string?>? checkReply;

    private ExpectedAnswer(int status, string why, Func<FromFunction, string?>? checkReply = null)
    {
        Status = status;
        Why = why;
        this.checkReply = checkReply;
    }

    public int Status { get; }

    /// <summary>Why this status: which rule of the protocol applies.</summary>
    public string Why { get; }

    /// <summary>Checks a 200 reply in detail; null when right, otherwise what is wrong.</summary>
    public string? CheckReply(FromFunction reply) => checkReply?.Invoke(reply);

    public static ExpectedAnswer For(byte[] body)
    {
        if (body.Length > StateFunHttpEndpoint.MaxBodyBytes)
        {
            return new(413, "body over 1 MiB");
        }

        ToFunction request;
        try
        {
            request = ToFunction.Parser.ParseFrom(body);
        }
        catch (Exception e)
        {
            // Whatever the parser throws, the bytes are not a ToFunction: the sender's fault, never the function's.
            return new(400, "not a ToFunction: " + e.GetType().Name);
        }

        return For(request);
    }

    public static ExpectedAnswer For(ToFunction request)
    {
        if (request.Invocation is not { } batch)
        {
            return new(400, "no invocation batch");
        }

        if (batch.Target is not { } target)
        {
            return new(400, "no target");
        }

        return (target.Namespace, target.Type) switch
        {
            ("greeter.fns", "user") => ForUser(batch),
            ("greeter.fns", "greetings") => ForGreetings(batch),
            _ => new(404, "function type not served"),
        };
    }

    private static ExpectedAnswer ForUser(ToFunction.Types.InvocationBatchRequest batch)
    {
        // Presence of the name is what counts, not a value; no user code runs before the handshake.
        var missing = UserStates.Where(state => !batch.State.Any(s => s.StateName == state.Name)).ToArray();
        if (missing.Length > 0)
        {
            return new(200, "state handshake", reply => CheckHandshake(reply, missing));
        }

        var logins = new List<UserLogin>();
        int? storedSeen = null;
        long? storedTimestamp = null;
        for (var i = 0; i < batch.Invocations.Count; i++)
        {
            if (batch.Invocations[i].Argument is not { } argument)
            {
                return new(400, "an invocation without an argument");
            }

            if (argument.Typename != UserLogin)
            {
                return new(500, "the user function got a message type other than UserLogin");
            }

            if (ReadLogin(argument.Value) is not { } login)
            {
                return new(500, "the user function got a UserLogin it cannot decode");
            }

            // Only the first invocation reads what the runtime sent; later ones read what the earlier ones wrote.
            if (i == 0
                && !(TryReadState(batch, "seen_count", IntTypename, bytes => IntWrapper.Parser.ParseFrom(bytes).Value, out storedSeen)
                     && TryReadState(batch, "seen_timestamp_ms", LongTypename, bytes => LongWrapper.Parser.ParseFrom(bytes).Value, out storedTimestamp)))
            {
                return new(500, "a state value has another typename than declared or unreadable bytes");
            }

            logins.Add(login);
        }

        return new(200, "user result", reply => CheckUserResult(reply, logins, storedSeen, storedTimestamp));
    }

    private static ExpectedAnswer ForGreetings(ToFunction.Types.InvocationBatchRequest batch)
    {
        var profiles = new List<UserProfile>();
        foreach (var invocation in batch.Invocations)
        {
            if (invocation.Argument is not { } argument)
            {
                return new(400, "an invocation without an argument");
            }

            // The playground's greetings function ignores anything that is not a profile.
            if (argument.Typename != UserProfileTypename)
            {
                continue;
            }

            try
            {
                profiles.Add(UserProfile.Parser.ParseFrom(argument.Value));
            }
            catch (InvalidProtocolBufferException)
            {
                return new(500, "the greetings function got a profile it cannot decode");
            }
        }

        return new(200, "greetings result", reply => CheckGreetingsResult(reply, profiles));
    }

    private static UserLogin? ReadLogin(ByteString value)
    {
        try
        {
            // Every property is needed: the profile's name and location and the greetings address come from them.
            return JsonSerializer.Deserialize<UserLogin>(value.Span) is { UserId: not null, UserName: not null, LoginType: not null } login ? login : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // The runtime sends each state once; of repeated entries the last one with a value is the one that counts.
    private static bool TryReadState<T>(ToFunction.Types.InvocationBatchRequest batch, string name, string typename, Func<ByteString, T> parse, out T? value)
        where T : struct
    {
        value = null;
        var stored = batch.State.LastOrDefault(state => state.StateName == name && state.StateValue is { HasValue: true })?.StateValue;
        if (stored is null)
        {
            return true;
        }

        if (stored.Typename != typename)
        {
            return false;
        }

        try
        {
            value = parse(stored.Value);
            return true;
        }
        catch (InvalidProtocolBufferException)
        {
            return false;
        }
    }

    private static string? CheckHandshake(FromFunction reply, (string Name, string Typename)[] missing)
    {
        if (reply.ResponseCase != FromFunction.ResponseOneofCase.IncompleteInvocationContext)
        {
            return "expected a state handshake, got " + reply.ResponseCase;
        }

        var got = reply.IncompleteInvocationContext.MissingValues.Select(spec => (spec.StateName, spec.TypeTypename, spec.ExpirationSpec)).ToArray();
        return got.Length == missing.Length && got.Zip(missing).All(pair => pair.First.StateName == pair.Second.Name
            && pair.First.TypeTypename == pair.Second.Typename && pair.First.ExpirationSpec is null)
            ? null
            : $"expected missing [{string.Join(", ", missing.Select(m => m.Name + ":" + m.Typename))}], got [{string.Join(", ", got.Select(g => g.StateName + ":" + g.TypeTypename))}]";
    }

    private static string? CheckUserResult(FromFunction reply, List<UserLogin> logins, int? storedSeen, long? storedTimestamp)
    {
        if (reply.ResponseCase != FromFunction.ResponseOneofCase.InvocationResult)
        {
            return "expected an invocation result, got " + reply.ResponseCase;
        }

        var result = reply.InvocationResult;
        if (result.OutgoingEgresses.Count != 0 || result.DelayedInvocations.Count != 0)
        {
            return "the user function sent an egress or a delayed message";
        }

        if (logins.Count == 0)
        {
            return result.StateMutations.Count == 0 && result.OutgoingMessages.Count == 0 ? null : "an empty batch changed state or sent messages";
        }

        if (result.StateMutations.Count != 2
            || Mutation(result, "seen_count", IntTypename) is not { } seenBytes
            || Mutation(result, "seen_timestamp_ms", LongTypename) is not { } timestampBytes)
        {
            return "expected MODIFY of seen_count (int) and seen_timestamp_ms (long), got "
                + string.Join(", ", result.StateMutations.Select(m => $"{m.MutationType} {m.StateName}:{m.StateValue?.Typename}"));
        }

        var seenBefore = storedSeen ?? 0;
        var seen = IntWrapper.Parser.ParseFrom(seenBytes).Value;
        if (seen != unchecked(seenBefore + logins.Count))
        {
            return $"seen_count written as {seen}, expected {unchecked(seenBefore + logins.Count)}";
        }

        var now = LongWrapper.Parser.ParseFrom(timestampBytes).Value;
        if (result.OutgoingMessages.Count != logins.Count)
        {
            return $"expected {logins.Count} profiles, got {result.OutgoingMessages.Count} messages";
        }

        for (var i = 0; i < logins.Count; i++)
        {
            var message = result.OutgoingMessages[i];
            if (message.Target is not { Namespace: "greeter.fns", Type: "greetings" } target || target.Id != logins[i].UserId
                || message.Argument?.Typename != UserProfileTypename)
            {
                return $"message {i} went to {message.Target} as {message.Argument?.Typename}";
            }

            var profile = UserProfile.Parser.ParseFrom(message.Argument.Value);
            var firstDelta = storedTimestamp is { } last ? unchecked(now - last) : 0;
            if (profile.Name != logins[i].UserName || profile.LoginLocation != logins[i].LoginType
                || profile.SeenCount != unchecked(seenBefore + i + 1)
                || (i == 0 && logins.Count == 1 && profile.LastSeenDeltaMs != firstDelta))
            {
                return $"profile {i} is {profile}, from login {logins[i]} and seen_count {storedSeen}, seen_timestamp_ms {storedTimestamp}";
            }
        }

        return null;
    }

    private static ByteString? Mutation(FromFunction.Types.InvocationResponse result, string name, string typename) =>
        result.StateMutations.SingleOrDefault(m => m.StateName == name) is
        {
            MutationType: FromFunction.Types.PersistedValueMutation.Types.MutationType.Modify,
            StateValue: { HasValue: true } value,
        } && value.Typename == typename
            ? value.Value
            : null;

    private static string? CheckGreetingsResult(FromFunction reply, List<UserProfile> profiles)
    {
        if (reply.ResponseCase != FromFunction.ResponseOneofCase.InvocationResult)
        {
            return "expected an invocation result, got " + reply.ResponseCase;
        }

        var result = reply.InvocationResult;
        if (result.StateMutations.Count != 0 || result.OutgoingMessages.Count != 0 || result.DelayedInvocations.Count != 0)
        {
            return "the greetings function changed state or sent messages";
        }

        if (result.OutgoingEgresses.Count != profiles.Count)
        {
            return $"expected {profiles.Count} greetings, got {result.OutgoingEgresses.Count}";
        }

        for (var i = 0; i < profiles.Count; i++)
        {
            var egress = result.OutgoingEgresses[i];
            if (egress.EgressNamespace != "io.statefun.playground" || egress.EgressType != "egress" || egress.Argument?.Typename != "io.statefun.playground/EgressRecord")
            {
                return $"greeting {i} went to {egress.EgressNamespace}/{egress.EgressType} as {egress.Argument?.Typename}";
            }

            using var record = JsonDocument.Parse(egress.Argument.Value.Memory);
            var topic = record.RootElement.GetProperty("topic").GetString();
            var payload = record.RootElement.GetProperty("payload").GetString();
            var expected = Greeting(profiles[i]);
            if (topic != "greetings" || payload != expected)
            {
                return $"greeting {i} is '{topic}': \"{payload}\", expected 'greetings': \"{expected}\"";
            }
        }

        return null;
    }

    // The playground's texts. Counts below 1 never come from the user function; they get the general text.
    private static string Greeting(UserProfile profile) => profile.SeenCount switch
    {
        1 => $"Welcome {profile.Name}!",
        2 => $"Nice to see you again {profile.Name}.",
        3 => $"Third time is a charm {profile.Name}!",
        _ => string.Create(CultureInfo.InvariantCulture,
            $"Nice to see you for the {profile.SeenCount}th time, {profile.Name}! It has been {profile.LastSeenDeltaMs} milliseconds since we last saw you."),
    };
}
