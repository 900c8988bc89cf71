using System.Text;
using Google.Protobuf;
using Proto = FunctionsBench.StateFun.Protocol;

namespace FunctionsBench.StateFun;

/// <summary>How a chunk takes a function's reply: the handshake, the state mutations, the messages and the egress.</summary>
public sealed partial class StateFunDriver
{
    private sealed partial class ChunkRun
    {
        /// <summary>Takes the reply in <see cref="receive"/>: true once the message is delivered, false after a handshake (send it again).</summary>
        private bool Delivered(Target target, int length)
        {
            var reply = receive.AsSpan(0, length);
            if (view.TryRead(reply))
            {
                Apply(target, view, reply);
                return true;
            }

            var parsed = ParseReply(target, length);
            switch (parsed.ResponseCase)
            {
                case Proto.FromFunction.ResponseOneofCase.IncompleteInvocationContext:
                    state.Register(target.FunctionKey, parsed.IncompleteInvocationContext);
                    return false;
                case Proto.FromFunction.ResponseOneofCase.InvocationResult:
                    // Written again as an SDK writes it, the generated parser's reading kept (repeats merged, the last
                    // value winning, unknown fields dropped), and then taken as any other reply.
                    var written = FromFunctionEncoder.Encode(parsed);
                    if (!view.TryRead(written, countDelayed: true))
                    {
                        throw new InvalidOperationException("A FromFunction written by FromFunctionEncoder was not in the shape it writes.");
                    }

                    Apply(target, view, written);
                    return true;
                default:
                    return true; // The runtime treats an empty reply as a response with no side effects.
            }
        }

        /// <summary>
        /// Applies an invocation result as the runtime would: the state mutations (each of a registered state, of its
        /// registered typename), then the outgoing messages queued for delivery with their sender, then the egress.
        /// </summary>
        private void Apply(Target self, InvocationResultView result, ReadOnlySpan<byte> reply)
        {
            if (result.Mutations.Count > 0)
            {
                state.RegisteredStates.TryGetValue(self.FunctionKey, out var registered);
                var values = ValuesOf(self);

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

            if (result.DelayedCount > 0)
            {
                throw new StateFunDriverException($"{self.FunctionKey} sent delayed messages, which the bench runtime does not deliver.");
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
                    self, target, ToFunctionWriter.EncodeTypedValue(typename, argument.HasValue, argument.Value.Of(reply)), isProfile ? argument.Value.Of(reply).Length : -1));
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

        // The address's state values, an empty set the first time it writes one.
        private Dictionary<string, byte[]> ValuesOf(Target self)
        {
            if (!state.Values.TryGetValue(self.AddressKey, out var values))
            {
                values = new Dictionary<string, byte[]>(StringComparer.Ordinal);
                state.Values[self.AddressKey] = values;
            }

            return values;
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
    }
}
