using System.Net.Http.Headers;
using System.Text;
using FunctionsBench.StateFun.Protocol;
using Google.Protobuf;
using Proto = FunctionsBench.StateFun.Protocol;

namespace FunctionsBench.StateFun;

/// <summary>The working set of one chunk of logins: the runtime state it evolves and the requests it sends.</summary>
public sealed partial class StateFunDriver
{
    /// <summary>A function instance the chunk has talked to, with everything about it that is the same for every request.</summary>
    private sealed class Target(Proto.Address address, Uri url)
    {
        public Proto.Address Address { get; } = address;

        /// <summary><c>namespace/type</c>, the key of <see cref="StateFunRuntimeState.RegisteredStates"/>.</summary>
        public string FunctionKey { get; } = string.Concat(address.Namespace, "/", address.Type);

        /// <summary><c>namespace/type/id</c>, the key of <see cref="StateFunRuntimeState.Values"/>.</summary>
        public string AddressKey { get; } = string.Concat(address.Namespace, "/", address.Type, "/", address.Id);

        public Uri Url { get; } = url;

        public byte[] EncodedAddress { get; } = ToFunctionWriter.EncodeAddress(address.Namespace, address.Type, address.Id);

        /// <summary>Whether a <c>UserProfile</c> sent here is the profile of the login.</summary>
        public bool IsGreetings { get; } = address.Namespace == Greeter.GreetingsFunction.Namespace && address.Type == Greeter.GreetingsFunction.Name;

        private byte[] NamespaceUtf8 { get; } = ToFunctionWriter.Utf8(address.Namespace);

        private byte[] TypeUtf8 { get; } = ToFunctionWriter.Utf8(address.Type);

        private byte[] IdUtf8 { get; } = ToFunctionWriter.Utf8(address.Id);

        public bool Is(Proto.Address other) =>
            string.Equals(Address.Id, other.Id, StringComparison.Ordinal)
            && string.Equals(Address.Type, other.Type, StringComparison.Ordinal)
            && string.Equals(Address.Namespace, other.Namespace, StringComparison.Ordinal);

        public bool Is(InvocationResultView.AddressSlices other, ReadOnlySpan<byte> reply) =>
            other.Id.Of(reply).SequenceEqual(IdUtf8)
            && other.Type.Of(reply).SequenceEqual(TypeUtf8)
            && other.Namespace.Of(reply).SequenceEqual(NamespaceUtf8);
    }

    /// <summary>
    /// A message waiting for delivery: its sender (null for the ingress), its target and its argument as an encoded
    /// <c>TypedValue</c>; <see cref="ProfileLength"/> is the length of the <c>UserProfile</c> that ends the argument when
    /// the message is the login's profile on its way to the greetings function, -1 otherwise.
    /// </summary>
    private readonly record struct Pending(Target? Caller, Target Target, byte[] EncodedArgument, int ProfileLength);

    /// <summary>One chunk's working set: the state being evolved, the targets and the encoded constant parts.</summary>
    private sealed partial class ChunkRun
    {
        private readonly StateFunDriver driver;
        private readonly StateFunChunkRequest request;
        private readonly StateFunRuntimeState state;
        private readonly List<Target> targets = [];
        private readonly Dictionary<string, byte[]> utf8 = new(StringComparer.Ordinal);
        private readonly Queue<Pending> pending = new();
        private readonly InvocationResultView view = new();
        private readonly Target user;
        private readonly byte[] encodedLogin;
        private readonly byte[] profileTypename = ToFunctionWriter.Utf8(Greeter.UserProfileType.TypeName.FullName);
        private readonly char[] expectedText = new char[256];
        private byte[] receive = new byte[4096];
        private ToFunctionWriter.State[] attached = new ToFunctionWriter.State[2];

        // What the login being delivered produced, for Check: the profile sent to the greetings function, how many
        // egress messages there were and the first of them (its value copied out of the reply).
        private (int SeenCount, long LastSeenDeltaMs)? lastProfile;
        private int egressCount;
        private string? egressNamespace;
        private string? egressType;
        private string? egressTypename;
        private byte[] egressValue = new byte[256];
        private int egressValueLength;

        public ChunkRun(StateFunDriver driver, StateFunChunkRequest request, StateFunRuntimeState state)
        {
            this.driver = driver;
            this.request = request;
            this.state = state;
            user = TargetFor(new Proto.Address { Namespace = Greeter.UserFunction.Namespace, Type = Greeter.UserFunction.Name, Id = request.UserId });
            var login = Greeter.UserLoginType.Serialize(new UserLogin(request.UserId, request.UserName, LoginType));
            encodedLogin = ToFunctionWriter.EncodeTypedValue(Utf8(Greeter.UserLoginType.TypeName.FullName), hasValue: true, login.Span);
        }

        public StateFunRuntimeState State => state;

        /// <summary>Delivers one login and everything it causes; the egress messages and the profile are kept for <see cref="Check"/>.</summary>
        public async Task LoginAsync(CancellationToken cancellationToken)
        {
            egressCount = 0;
            lastProfile = null;
            pending.Enqueue(new Pending(null, user, encodedLogin, ProfileLength: -1));
            for (var deliveries = 0; pending.TryDequeue(out var message); deliveries++)
            {
                if (deliveries == MaxDeliveriesPerLogin)
                {
                    throw new StateFunDriverException($"One login caused more than {MaxDeliveriesPerLogin} messages; the functions seem to loop.");
                }

                if (message.ProfileLength >= 0)
                {
                    lastProfile = ProfileReader.Read(message.EncodedArgument.AsSpan(message.EncodedArgument.Length - message.ProfileLength));
                }

                await DeliverAsync(message.Caller, message.Target, message.EncodedArgument, cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task DeliverAsync(Target? caller, Target target, byte[] encodedArgument, CancellationToken cancellationToken)
        {
            for (var attempt = 0; ; attempt++)
            {
                if (attempt == MaxHandshakesPerDelivery)
                {
                    throw new StateFunDriverException($"{target.FunctionKey} kept asking for states after {MaxHandshakesPerDelivery} handshakes.");
                }

                var body = BuildRequest(caller, target, encodedArgument);
                var length = await SendAsync(target, body, cancellationToken).ConfigureAwait(false);
                if (view.TryRead(receive.AsSpan(0, length)))
                {
                    Apply(target, view, receive.AsSpan(0, length));
                    return;
                }

                var reply = ParseReply(target, length);
                switch (reply.ResponseCase)
                {
                    case Proto.FromFunction.ResponseOneofCase.IncompleteInvocationContext:
                        Register(target.FunctionKey, reply.IncompleteInvocationContext);
                        continue;
                    case Proto.FromFunction.ResponseOneofCase.InvocationResult:
                        Apply(target, reply.InvocationResult);
                        return;
                    default:
                        return; // The runtime treats an empty reply as a response with no side effects.
                }
            }
        }

        private byte[] BuildRequest(Target? caller, Target target, byte[] encodedArgument)
        {
            if (!state.RegisteredStates.TryGetValue(target.FunctionKey, out var registered) || registered.Count == 0)
            {
                return ToFunctionWriter.Encode(target.EncodedAddress, caller?.EncodedAddress, encodedArgument, []);
            }

            state.Values.TryGetValue(target.AddressKey, out var values);
            if (attached.Length < registered.Count)
            {
                attached = new ToFunctionWriter.State[registered.Count];
            }

            for (var i = 0; i < registered.Count; i++)
            {
                var spec = registered[i];
                byte[]? value = null;
                values?.TryGetValue(spec.Name, out value);
                attached[i] = new ToFunctionWriter.State(Utf8(spec.Name), Utf8(spec.TypeName), value);
            }

            return ToFunctionWriter.Encode(target.EncodedAddress, caller?.EncodedAddress, encodedArgument, attached.AsSpan(0, registered.Count));
        }

        private Target TargetFor(Proto.Address address)
        {
            foreach (var target in targets)
            {
                if (target.Is(address))
                {
                    return target;
                }
            }

            var added = new Target(address.Clone(), UrlFor(address.Type));
            targets.Add(added);
            return added;
        }

        private Target TargetFor(InvocationResultView.AddressSlices address, ReadOnlySpan<byte> reply)
        {
            foreach (var target in targets)
            {
                if (target.Is(address, reply))
                {
                    return target;
                }
            }

            return TargetFor(new Proto.Address
            {
                Namespace = Encoding.UTF8.GetString(address.Namespace.Of(reply)),
                Type = Encoding.UTF8.GetString(address.Type.Of(reply)),
                Id = Encoding.UTF8.GetString(address.Id.Of(reply)),
            });
        }

        private byte[] Utf8(string text)
        {
            if (!utf8.TryGetValue(text, out var bytes))
            {
                bytes = ToFunctionWriter.Utf8(text);
                utf8[text] = bytes;
            }

            return bytes;
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

        private void Apply(Target self, Proto.FromFunction.Types.InvocationResponse response)
        {
            if (response.StateMutations.Count > 0)
            {
                state.RegisteredStates.TryGetValue(self.FunctionKey, out var registered);
                if (!state.Values.TryGetValue(self.AddressKey, out var values))
                {
                    values = new Dictionary<string, byte[]>(StringComparer.Ordinal);
                    state.Values[self.AddressKey] = values;
                }

                foreach (var mutation in response.StateMutations)
                {
                    var spec = Registered(registered, mutation.StateName)
                        ?? throw new StateFunDriverException($"{self.FunctionKey} changed state '{mutation.StateName}', which it never registered.");
                    if (mutation.MutationType == Proto.FromFunction.Types.PersistedValueMutation.Types.MutationType.Delete)
                    {
                        values.Remove(spec.Name);
                        continue;
                    }

                    if (mutation.StateValue?.Typename != spec.TypeName)
                    {
                        throw new StateFunDriverException(
                            $"{self.FunctionKey} wrote state '{spec.Name}' as '{mutation.StateValue?.Typename}'; it is registered as '{spec.TypeName}'.");
                    }

                    values[spec.Name] = mutation.StateValue.Value.ToByteArray();
                }
            }

            if (response.DelayedInvocations.Count > 0)
            {
                throw new StateFunDriverException($"{self.FunctionKey} sent delayed messages, which the bench runtime does not deliver.");
            }

            foreach (var outgoing in response.OutgoingMessages)
            {
                if (outgoing.Target is null || outgoing.Argument is null)
                {
                    throw new StateFunDriverException($"{self.FunctionKey} sent a message without a target or an argument.");
                }

                var target = TargetFor(outgoing.Target);
                var value = outgoing.Argument.Value.Span;
                var isProfile = target.IsGreetings && outgoing.Argument.Typename == Greeter.UserProfileType.TypeName.FullName;
                pending.Enqueue(new Pending(
                    self, target, ToFunctionWriter.EncodeTypedValue(Utf8(outgoing.Argument.Typename), outgoing.Argument.HasValue, value), isProfile ? value.Length : -1));
            }

            foreach (var egress in response.OutgoingEgresses)
            {
                AddEgress(egress.EgressNamespace, egress.EgressType, egress.Argument?.Typename, egress.Argument is { } argument ? argument.Value.Span : default);
            }
        }

        private static StateFunRegisteredState? Registered(List<StateFunRegisteredState>? registered, string name)
        {
            if (registered is not null)
            {
                foreach (var spec in registered)
                {
                    if (string.Equals(spec.Name, name, StringComparison.Ordinal))
                    {
                        return spec;
                    }
                }
            }

            return null;
        }

        /// <summary>
        /// <see cref="Apply(Target, Proto.FromFunction.Types.InvocationResponse)"/> for a reply read in place: the same
        /// checks in the same order, the same effects, with no message objects.
        /// </summary>
        private void Apply(Target self, InvocationResultView result, ReadOnlySpan<byte> reply)
        {
            if (result.Mutations.Count > 0)
            {
                state.RegisteredStates.TryGetValue(self.FunctionKey, out var registered);
                if (!state.Values.TryGetValue(self.AddressKey, out var values))
                {
                    values = new Dictionary<string, byte[]>(StringComparer.Ordinal);
                    state.Values[self.AddressKey] = values;
                }

                foreach (var mutation in result.Mutations)
                {
                    var name = mutation.Name.Of(reply);
                    var spec = Registered(registered, name)
                        ?? throw new StateFunDriverException($"{self.FunctionKey} changed state '{Encoding.UTF8.GetString(name)}', which it never registered.");
                    if (mutation.IsDelete)
                    {
                        values.Remove(spec.Name);
                        continue;
                    }

                    if (!mutation.Value.Present || !mutation.Value.Typename.Of(reply).SequenceEqual(Utf8(spec.TypeName)))
                    {
                        var written = mutation.Value.Present ? Encoding.UTF8.GetString(mutation.Value.Typename.Of(reply)) : null;
                        throw new StateFunDriverException(
                            $"{self.FunctionKey} wrote state '{spec.Name}' as '{written}'; it is registered as '{spec.TypeName}'.");
                    }

                    // The chunk owns its state's arrays (a deep copy of the request's), so a value of the same size is rewritten in place.
                    var bytes = mutation.Value.Value.Of(reply);
                    if (!values.TryGetValue(spec.Name, out var stored) || stored.Length != bytes.Length)
                    {
                        stored = new byte[bytes.Length];
                        values[spec.Name] = stored;
                    }

                    bytes.CopyTo(stored);
                }
            }

            foreach (var outgoing in result.Messages)
            {
                if (outgoing.Target is not { } address || !outgoing.Argument.Present)
                {
                    throw new StateFunDriverException($"{self.FunctionKey} sent a message without a target or an argument.");
                }

                var target = TargetFor(address, reply);
                var argument = outgoing.Argument;
                var typename = argument.Typename.Of(reply);
                var isProfile = target.IsGreetings && typename.SequenceEqual(profileTypename);
                pending.Enqueue(new Pending(
                    self, target, ToFunctionWriter.EncodeTypedValue(typename, argument.HasValue, argument.Value.Of(reply)), isProfile ? argument.Value.Length : -1));
            }

            foreach (var egress in result.Egresses)
            {
                AddEgress(
                    Decode(egress.Namespace.Of(reply), Greeter.Egress.Namespace),
                    Decode(egress.Type.Of(reply), Greeter.Egress.Name),
                    egress.Argument.Present ? Decode(egress.Argument.Typename.Of(reply), Greeter.EgressRecordType.TypeName.FullName) : null,
                    egress.Argument.Value.Of(reply));
            }
        }

        // The expected string itself when the bytes spell it, so a correct reply builds no strings.
        private string Decode(ReadOnlySpan<byte> utf8, string expected) =>
            utf8.SequenceEqual(Utf8(expected)) ? expected : Encoding.UTF8.GetString(utf8);

        private void AddEgress(string @namespace, string type, string? typename, ReadOnlySpan<byte> value)
        {
            if (egressCount++ > 0)
            {
                return; // Check fails a login with more than one; only the first is compared.
            }

            egressNamespace = @namespace;
            egressType = type;
            egressTypename = typename;
            if (egressValue.Length < value.Length)
            {
                egressValue = new byte[value.Length];
            }

            value.CopyTo(egressValue);
            egressValueLength = value.Length;
        }

        private StateFunRegisteredState? Registered(List<StateFunRegisteredState>? registered, ReadOnlySpan<byte> name)
        {
            if (registered is not null)
            {
                foreach (var spec in registered)
                {
                    if (name.SequenceEqual(Utf8(spec.Name)))
                    {
                        return spec;
                    }
                }
            }

            return null;
        }

        private async Task<int> SendAsync(Target target, byte[] body, CancellationToken cancellationToken)
        {
            using var message = NewRequest(target.Url, body, request.FunctionKey);

            state.HttpRequests++;
            // Headers only, then the body into this chunk's own buffer: no copy of every reply on the heap.
            using var response = await driver.httpClient.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var length = await ReadBodyAsync(response.Content, target, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var reason = length is > 0 and <= 512 ? ": " + System.Text.Encoding.UTF8.GetString(receive, 0, length) : string.Empty;
                throw new StateFunDriverException($"{target.FunctionKey} answered HTTP {(int)response.StatusCode}{reason}");
            }

            // The StateFun runtime checks the content type exactly and rejects an empty body. The raw header is
            // compared, as the runtime compares it, rather than a parsed and re-printed one.
            var contentType = response.Content.Headers.NonValidated.TryGetValues("Content-Type", out var values) ? values.ToString() : null;
            if (contentType != StateFunHttpEndpoint.ContentType)
            {
                throw new StateFunDriverException($"{target.FunctionKey} answered with Content-Type '{contentType}', not '{StateFunHttpEndpoint.ContentType}'.");
            }

            if (length == 0)
            {
                throw new StateFunDriverException($"{target.FunctionKey} answered with an empty body.");
            }

            return length;
        }

        /// <summary>The reply in <see cref="receive"/> through the generated parser: every shape the in-place view does not read.</summary>
        private Proto.FromFunction ParseReply(Target target, int length)
        {
            try
            {
                // Parsing copies every byte string out, so the buffer is free again for the next reply.
                return Proto.FromFunction.Parser.ParseFrom(receive.AsSpan(0, length));
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new StateFunDriverException($"{target.FunctionKey} answered with a body that is not a FromFunction: {e.Message}");
            }
        }

        private async Task<int> ReadBodyAsync(HttpContent content, Target target, CancellationToken cancellationToken)
        {
            var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var length = 0;
                while (true)
                {
                    if (length == receive.Length)
                    {
                        if (receive.Length >= MaxReplyBytes)
                        {
                            throw new StateFunDriverException($"{target.FunctionKey} answered with more than {MaxReplyBytes} bytes.");
                        }

                        Array.Resize(ref receive, Math.Min(receive.Length * 2, MaxReplyBytes));
                    }

                    var read = await stream.ReadAsync(receive.AsMemory(length), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return length;
                    }

                    length += read;
                }
            }
        }

        private Uri UrlFor(string functionName)
        {
            var template = request.Endpoint.OriginalString;
            return template.Contains(FunctionNamePlaceholder, StringComparison.Ordinal)
                ? new Uri(template.Replace(FunctionNamePlaceholder, Uri.EscapeDataString(functionName), StringComparison.Ordinal))
                : request.Endpoint;
        }
    }
}
