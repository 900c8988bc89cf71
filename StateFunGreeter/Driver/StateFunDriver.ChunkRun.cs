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

        /// <summary>
        /// Runs the chunk's logins one after another, each with everything it causes, and checks each greeting.
        /// One asynchronous method for the whole chunk, as the HTTP floor's loop is one: its awaits share one state
        /// machine instead of allocating one per login, delivery and request.
        /// </summary>
        public async Task<List<StateFunLogin>> RunAsync(TimeProvider time, CancellationToken cancellationToken)
        {
            var logins = new List<StateFunLogin>(request.Count);
            for (var i = 0; i < request.Count; i++)
            {
                var startUtc = time.GetUtcNow().UtcDateTime;
                var started = time.GetTimestamp();
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

                    var target = message.Target;
                    for (var attempt = 0; ; attempt++)
                    {
                        if (attempt == MaxHandshakesPerDelivery)
                        {
                            throw new StateFunDriverException($"{target.FunctionKey} kept asking for states after {MaxHandshakesPerDelivery} handshakes.");
                        }

                        using var post = NewRequest(target.Url, BuildRequest(message.Caller, target, message.EncodedArgument), request.FunctionKey);
                        state.HttpRequests++;

                        // Headers only, then the body into this chunk's own buffer: no copy of every reply on the heap.
                        using var response = await driver.httpClient.SendAsync(post, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                        var length = 0;
                        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                        await using (stream.ConfigureAwait(false))
                        {
                            int read;
                            while ((read = await stream.ReadAsync(ReceiveSpace(target, length), cancellationToken).ConfigureAwait(false)) > 0)
                            {
                                length += read;
                            }
                        }

                        CheckResponse(response, target, length);
                        if (Delivered(target, length))
                        {
                            break;
                        }
                    }
                }

                var endUtc = startUtc + time.GetElapsedTime(started);
                var (seenCount, deltaMs) = Check();
                logins.Add(new StateFunLogin(request.FirstSequence + i, startUtc, endUtc, seenCount, deltaMs, request.UserName));
            }

            return logins;
        }

        // The free part of the receive buffer, grown when full.
        private Memory<byte> ReceiveSpace(Target target, int length)
        {
            if (length == receive.Length)
            {
                if (receive.Length >= MaxReplyBytes)
                {
                    throw new StateFunDriverException($"{target.FunctionKey} answered with more than {MaxReplyBytes} bytes.");
                }

                Array.Resize(ref receive, Math.Min(receive.Length * 2, MaxReplyBytes));
            }

            return receive.AsMemory(length);
        }

        private void CheckResponse(HttpResponseMessage response, Target target, int length)
        {
            if (!response.IsSuccessStatusCode)
            {
                var reason = length is > 0 and <= 512 ? ": " + Encoding.UTF8.GetString(receive, 0, length) : string.Empty;
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

        private Uri UrlFor(string functionName)
        {
            var template = request.Endpoint.OriginalString;
            return template.Contains(FunctionNamePlaceholder, StringComparison.Ordinal)
                ? new Uri(template.Replace(FunctionNamePlaceholder, Uri.EscapeDataString(functionName), StringComparison.Ordinal))
                : request.Endpoint;
        }
    }
}
