using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using FunctionsBench.StateFun.Protocol;
using Google.Protobuf;
using Proto = FunctionsBench.StateFun.Protocol;

namespace FunctionsBench.StateFun;

/// <summary>
/// The bench's stand-in for the StateFun runtime: drives the greeter over HTTP the way a StateFun cluster would.
/// </summary>
/// <remarks>
/// Per login it sends a <c>UserLogin</c> to <c>greeter.fns/user/&lt;userId&gt;</c> with the address's state
/// attached, answers a state handshake by registering the missing states (first wins) and resending the same
/// invocation, applies the state mutations, delivers each outgoing message with <c>caller</c> set to the sender
/// (the <c>UserProfile</c> goes to <c>greeter.fns/greetings</c>), and collects the egress greeting. Each greeting is
/// checked: its seen count must be one higher than the last one for the user, and its text exactly the
/// playground's. The latency of a login runs from sending the <c>UserLogin</c> to receiving the greeting.
/// Messages are delivered one at a time, so every request carries a batch of one invocation.
/// </remarks>
/// <param name="httpClient">The client for every request; reuse one per process.</param>
/// <param name="timeProvider">The clock for timestamps and latencies; <see cref="TimeProvider.System"/> when null.</param>
public sealed class StateFunDriver(HttpClient httpClient, TimeProvider? timeProvider = null)
{
    // A function that keeps messaging itself would otherwise loop forever inside one login.
    private const int MaxDeliveriesPerLogin = 64;
    private const int MaxHandshakesPerDelivery = 4;
    private const string FunctionNamePlaceholder = "{function.name}";
    private const string LoginType = "WEB";

    private static readonly MediaTypeHeaderValue OctetStream = new(StateFunHttpEndpoint.ContentType);

    /// <summary>The header that carries an Azure Functions function key.</summary>
    public const string FunctionKeyHeader = "x-functions-key";

    private readonly HttpClient httpClient = httpClient ?? throw new ArgumentNullException(nameof(httpClient));

    /// <summary>
    /// A POST of <paramref name="body"/> as the StateFun runtime sends it (<c>application/octet-stream</c>), with
    /// <paramref name="functionKey"/> in <see cref="FunctionKeyHeader"/> when not null. The HTTP floor posts the same.
    /// </summary>
    public static HttpRequestMessage NewRequest(Uri url, byte[] body, string? functionKey)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = OctetStream;
        if (functionKey is not null)
        {
            message.Headers.Add(FunctionKeyHeader, functionKey);
        }

        return message;
    }
    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;

    /// <summary>Runs <see cref="StateFunChunkRequest.Count"/> sequential logins of one user and checks each greeting.</summary>
    /// <returns>The timed logins and the runtime state for the next chunk (the request's state is not changed).</returns>
    /// <exception cref="StateFunDriverException">The function replied with something a StateFun runtime would reject, or a wrong greeting.</exception>
    /// <exception cref="HttpRequestException">The endpoint could not be reached.</exception>
    public async Task<StateFunChunkResult> RunChunkAsync(StateFunChunkRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Endpoint);
        ArgumentException.ThrowIfNullOrEmpty(request.UserId);
        ArgumentNullException.ThrowIfNull(request.UserName);
        ArgumentOutOfRangeException.ThrowIfNegative(request.Count);

        var run = new ChunkRun(this, request.Endpoint, request.FunctionKey, (request.State ?? new StateFunRuntimeState()).Clone());
        var userAddress = new Proto.Address { Namespace = Greeter.UserFunction.Namespace, Type = Greeter.UserFunction.Name, Id = request.UserId };
        var loginValue = new Proto.TypedValue
        {
            Typename = Greeter.UserLoginType.TypeName.FullName,
            HasValue = true,
            Value = UnsafeByteOperations.UnsafeWrap(Greeter.UserLoginType.Serialize(new UserLogin(request.UserId, request.UserName, LoginType))),
        };

        var logins = new List<StateFunLogin>(request.Count);
        for (var i = 0; i < request.Count; i++)
        {
            var startUtc = time.GetUtcNow().UtcDateTime;
            var started = time.GetTimestamp();
            var greeting = await run.LoginAsync(userAddress, loginValue, cancellationToken).ConfigureAwait(false);
            var endUtc = startUtc + time.GetElapsedTime(started);

            var (seenCount, text) = run.Check(greeting, request.UserId, request.UserName);
            logins.Add(new StateFunLogin(request.FirstSequence + i, startUtc, endUtc, text, seenCount));
        }

        return new StateFunChunkResult(logins, run.State);
    }

    private static string AddressKey(Proto.Address address) => string.Concat(address.Namespace, "/", address.Type, "/", address.Id);

    private static string FunctionKey(Proto.Address address) => string.Concat(address.Namespace, "/", address.Type);

    /// <summary>One chunk's working set: the state being evolved and the per-function URLs.</summary>
    private sealed class ChunkRun(StateFunDriver driver, Uri endpoint, string? functionKey, StateFunRuntimeState state)
    {
        private readonly Dictionary<string, Uri> urls = new(StringComparer.Ordinal);
        private readonly Queue<(Proto.Address? Caller, Proto.Address Target, Proto.TypedValue Argument)> pending = new();
        private readonly List<Proto.FromFunction.Types.EgressMessage> egresses = [];
        private UserProfile? lastProfile;

        public StateFunRuntimeState State => state;

        /// <summary>Delivers one login and everything it causes; returns the egress messages.</summary>
        public async Task<(IReadOnlyList<Proto.FromFunction.Types.EgressMessage> Egresses, UserProfile? Profile)> LoginAsync(
            Proto.Address user, Proto.TypedValue login, CancellationToken cancellationToken)
        {
            egresses.Clear();
            lastProfile = null;
            pending.Enqueue((null, user, login));
            for (var deliveries = 0; pending.TryDequeue(out var message); deliveries++)
            {
                if (deliveries == MaxDeliveriesPerLogin)
                {
                    throw new StateFunDriverException($"One login caused more than {MaxDeliveriesPerLogin} messages; the functions seem to loop.");
                }

                if (message.Target.Namespace == Greeter.GreetingsFunction.Namespace
                    && message.Target.Type == Greeter.GreetingsFunction.Name
                    && message.Argument.Typename == Greeter.UserProfileType.TypeName.FullName)
                {
                    lastProfile = UserProfile.Parser.ParseFrom(message.Argument.Value);
                }

                await DeliverAsync(message.Caller, message.Target, message.Argument, cancellationToken).ConfigureAwait(false);
            }

            return (egresses, lastProfile);
        }

        public (int SeenCount, string Text) Check(
            (IReadOnlyList<Proto.FromFunction.Types.EgressMessage> Egresses, UserProfile? Profile) outcome, string userId, string userName)
        {
            if (outcome.Profile is not { } profile)
            {
                throw new StateFunDriverException($"{Greeter.UserFunction}/{userId} sent no UserProfile to {Greeter.GreetingsFunction}/{userId}.");
            }

            if (outcome.Egresses.Count != 1)
            {
                throw new StateFunDriverException($"Expected exactly one egress message per login, got {outcome.Egresses.Count}.");
            }

            var egress = outcome.Egresses[0];
            var egressName = string.Concat(egress.EgressNamespace, "/", egress.EgressType);
            if (egressName != Greeter.Egress.FullName || egress.Argument?.Typename != Greeter.EgressRecordType.TypeName.FullName)
            {
                throw new StateFunDriverException(
                    $"Expected an {Greeter.EgressRecordType.TypeName} to {Greeter.Egress}, got '{egress.Argument?.Typename}' to '{egressName}'.");
            }

            EgressRecord record;
            try
            {
                record = Greeter.EgressRecordType.Deserialize(egress.Argument.Value.Span);
            }
            catch (JsonException e)
            {
                throw new StateFunDriverException($"The egress record is not valid JSON: {e.Message}");
            }

            var expectedCount = state.LastSeenCounts.GetValueOrDefault(userId) + 1;
            if (profile.SeenCount != expectedCount)
            {
                throw new StateFunDriverException(
                    $"Seen count of user '{userId}' should rise by one per login: expected {expectedCount}, got {profile.SeenCount}.");
            }

            var expectedText = GreetingText.For(expectedCount, userName, profile.LastSeenDeltaMs);
            if (record.Topic != Greeter.GreetingsTopic || record.Payload != expectedText)
            {
                throw new StateFunDriverException(
                    $"Wrong greeting for login {expectedCount} of user '{userId}': expected topic '{Greeter.GreetingsTopic}' and \"{expectedText}\", got topic '{record.Topic}' and \"{record.Payload}\".");
            }

            state.LastSeenCounts[userId] = expectedCount;
            return (expectedCount, record.Payload);
        }

        private async Task DeliverAsync(Proto.Address? caller, Proto.Address target, Proto.TypedValue argument, CancellationToken cancellationToken)
        {
            var functionKey = FunctionKey(target);
            var addressKey = AddressKey(target);
            for (var attempt = 0; ; attempt++)
            {
                if (attempt == MaxHandshakesPerDelivery)
                {
                    throw new StateFunDriverException($"{functionKey} kept asking for states after {MaxHandshakesPerDelivery} handshakes.");
                }

                var reply = await SendAsync(target, BuildRequest(caller, target, argument, functionKey, addressKey), cancellationToken).ConfigureAwait(false);
                switch (reply.ResponseCase)
                {
                    case Proto.FromFunction.ResponseOneofCase.IncompleteInvocationContext:
                        Register(functionKey, reply.IncompleteInvocationContext);
                        continue;
                    case Proto.FromFunction.ResponseOneofCase.InvocationResult:
                        Apply(target, functionKey, addressKey, reply.InvocationResult);
                        return;
                    default:
                        return; // The runtime treats an empty reply as a response with no side effects.
                }
            }
        }

        private Proto.ToFunction BuildRequest(Proto.Address? caller, Proto.Address target, Proto.TypedValue argument, string functionKey, string addressKey)
        {
            var batch = new Proto.ToFunction.Types.InvocationBatchRequest { Target = target };
            if (state.RegisteredStates.TryGetValue(functionKey, out var registered))
            {
                state.Values.TryGetValue(addressKey, out var values);
                foreach (var spec in registered)
                {
                    var persisted = new Proto.ToFunction.Types.PersistedValue { StateName = spec.Name };
                    if (values is not null && values.TryGetValue(spec.Name, out var bytes))
                    {
                        persisted.StateValue = new Proto.TypedValue { Typename = spec.TypeName, HasValue = true, Value = UnsafeByteOperations.UnsafeWrap(bytes) };
                    }

                    batch.State.Add(persisted);
                }
            }

            var invocation = new Proto.ToFunction.Types.Invocation { Argument = argument };
            if (caller is not null)
            {
                invocation.Caller = caller;
            }

            batch.Invocations.Add(invocation);
            return new Proto.ToFunction { Invocation = batch };
        }

        private void Register(string functionKey, Proto.FromFunction.Types.IncompleteInvocationContext incomplete)
        {
            state.Handshakes++;
            if (!state.RegisteredStates.TryGetValue(functionKey, out var registered))
            {
                registered = [];
                state.RegisteredStates[functionKey] = registered;
            }

            foreach (var missing in incomplete.MissingValues)
            {
                var existing = registered.Find(spec => spec.Name == missing.StateName);
                if (existing is null)
                {
                    registered.Add(new StateFunRegisteredState(
                        missing.StateName,
                        missing.TypeTypename,
                        (ExpirationMode)(int)(missing.ExpirationSpec?.Mode ?? Proto.FromFunction.Types.ExpirationSpec.Types.ExpireMode.None),
                        missing.ExpirationSpec?.ExpireAfterMillis ?? 0));
                }
                else if (existing.TypeName != missing.TypeTypename)
                {
                    throw new StateFunDriverException(
                        $"{functionKey} re-declared state '{missing.StateName}' as '{missing.TypeTypename}'; it is registered as '{existing.TypeName}'.");
                }
            }
        }

        private void Apply(Proto.Address self, string functionKey, string addressKey, Proto.FromFunction.Types.InvocationResponse response)
        {
            if (response.StateMutations.Count > 0)
            {
                state.RegisteredStates.TryGetValue(functionKey, out var registered);
                if (!state.Values.TryGetValue(addressKey, out var values))
                {
                    values = new Dictionary<string, byte[]>(StringComparer.Ordinal);
                    state.Values[addressKey] = values;
                }

                foreach (var mutation in response.StateMutations)
                {
                    var spec = registered?.Find(s => s.Name == mutation.StateName)
                        ?? throw new StateFunDriverException($"{functionKey} changed state '{mutation.StateName}', which it never registered.");
                    if (mutation.MutationType == Proto.FromFunction.Types.PersistedValueMutation.Types.MutationType.Delete)
                    {
                        values.Remove(spec.Name);
                        continue;
                    }

                    if (mutation.StateValue?.Typename != spec.TypeName)
                    {
                        throw new StateFunDriverException(
                            $"{functionKey} wrote state '{spec.Name}' as '{mutation.StateValue?.Typename}'; it is registered as '{spec.TypeName}'.");
                    }

                    values[spec.Name] = mutation.StateValue.Value.ToByteArray();
                }
            }

            if (response.DelayedInvocations.Count > 0)
            {
                throw new StateFunDriverException($"{functionKey} sent delayed messages, which the bench runtime does not deliver.");
            }

            foreach (var outgoing in response.OutgoingMessages)
            {
                if (outgoing.Target is null || outgoing.Argument is null)
                {
                    throw new StateFunDriverException($"{functionKey} sent a message without a target or an argument.");
                }

                pending.Enqueue((self, outgoing.Target, outgoing.Argument));
            }

            egresses.AddRange(response.OutgoingEgresses);
        }

        private async Task<Proto.FromFunction> SendAsync(Proto.Address target, Proto.ToFunction request, CancellationToken cancellationToken)
        {
            using var message = NewRequest(UrlFor(target.Type), request.ToByteArray(), functionKey);

            state.HttpRequests++;
            using var response = await driver.httpClient.SendAsync(message, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var reason = body.Length is > 0 and <= 512 ? ": " + System.Text.Encoding.UTF8.GetString(body) : string.Empty;
                throw new StateFunDriverException($"{FunctionKey(target)} answered HTTP {(int)response.StatusCode}{reason}");
            }

            // The StateFun runtime checks the content type exactly and rejects an empty body.
            var contentType = response.Content.Headers.ContentType?.ToString();
            if (contentType != StateFunHttpEndpoint.ContentType)
            {
                throw new StateFunDriverException($"{FunctionKey(target)} answered with Content-Type '{contentType}', not '{StateFunHttpEndpoint.ContentType}'.");
            }

            if (body.Length == 0)
            {
                throw new StateFunDriverException($"{FunctionKey(target)} answered with an empty body.");
            }

            try
            {
                return Proto.FromFunction.Parser.ParseFrom(body);
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new StateFunDriverException($"{FunctionKey(target)} answered with a body that is not a FromFunction: {e.Message}");
            }
        }

        private Uri UrlFor(string functionName)
        {
            if (!urls.TryGetValue(functionName, out var url))
            {
                var template = endpoint.OriginalString;
                url = template.Contains(FunctionNamePlaceholder, StringComparison.Ordinal)
                    ? new Uri(template.Replace(FunctionNamePlaceholder, Uri.EscapeDataString(functionName), StringComparison.Ordinal))
                    : endpoint;
                urls[functionName] = url;
            }

            return url;
        }
    }
}
