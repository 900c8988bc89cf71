using System.Diagnostics;
using System.Text;
using FunctionsBench.ShoppingCart;
using FunctionsBench.ShoppingCart.StateFun;
using Google.Protobuf;
using Proto = FunctionsBench.StateFun.Protocol;

namespace FunctionsBench.StateFun;

/// <summary>One unit of the cart: user loops in flight, messages delivered one at a time per address.</summary>
public sealed partial class StateFunCartDriver
{
    private sealed partial class Run(StateFunCartDriver driver, StateFunCartRequest request, StateFunRuntimeState state)
    {
        private readonly object gate = new();
        private readonly Dictionary<string, Target> targets = new(StringComparer.Ordinal);
        private readonly Dictionary<string, byte[]> utf8 = new(StringComparer.Ordinal);
        private readonly byte[] availabilityTypename = Encoding.UTF8.GetBytes(ShoppingCartFunctions.ItemAvailabilityType.TypeName.FullName);
        private long httpRequests;
        private long deliveries;
        private long mailboxWaits;
        private int receipts;

        public async Task<StateFunCartResult> RunAsync(CancellationToken cancellationToken)
        {
            var options = request.Options;
            var ops = request.Operations;
            var timings = new CartOperationTiming[ops.Count];
            var outcomes = new CartOutcome[ops.Count];
            var loops = new List<(int Index, CartOperation Op)>[options.Users];
            for (var i = 0; i < loops.Length; i++)
            {
                loops[i] = [];
            }

            for (var i = 0; i < ops.Count; i++)
            {
                if (i > 0 && ops[i].Id <= ops[i - 1].Id)
                {
                    throw new ArgumentException($"Operations must be in increasing id order; {ops[i].Id} follows {ops[i - 1].Id}.", nameof(request));
                }

                loops[CartWorkload.LoopOf(options, ops[i].Id)].Add((i, ops[i]));
            }

            var startUtc = driver.time.GetUtcNow().UtcDateTime;
            var started = driver.time.GetTimestamp();
            using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await Task.WhenAll(loops.Where(l => l.Count > 0).Select(loop => Task.Run(() => LoopAsync(loop), CancellationToken.None))).ConfigureAwait(false);
            state.HttpRequests += httpRequests; // the runtime's count over every run of the unit

            return new StateFunCartResult(timings, outcomes, state, httpRequests, deliveries, mailboxWaits, receipts);

            async Task LoopAsync(List<(int Index, CartOperation Op)> loop)
            {
                try
                {
                    foreach (var (index, op) in loop)
                    {
                        var operation = new Operation(op);
                        var begin = driver.time.GetElapsedTime(started);
                        await SendAsync(Ingress(operation), failed.Token).ConfigureAwait(false);
                        var end = driver.time.GetElapsedTime(started);
                        timings[index] = new CartOperationTiming(op.Id, op.Kind, startUtc + begin, startUtc + end);
                        outcomes[index] = Outcome(operation);
                    }
                }
                catch
                {
                    await failed.CancelAsync().ConfigureAwait(false);
                    throw;
                }
            }
        }

        private static CartOutcome Outcome(Operation operation)
        {
            var op = operation.Op;
            if (op.Kind == CartOperationKind.AddToCart && operation.InStock is null)
            {
                throw new StateFunDriverException($"AddToCart {op.Id} of {op.UserId} ended without an ItemAvailability from stock {op.ItemId}.");
            }

            if (operation.Receipts > (op.Kind == CartOperationKind.Checkout ? 1 : 0) || (op.Kind == CartOperationKind.Checkout && operation.Receipts == 0))
            {
                throw new StateFunDriverException($"{op.Kind} {op.Id} of {op.UserId} caused {operation.Receipts} receipts.");
            }

            return new CartOutcome(op.Id, operation.InStock ?? true, operation.Receipt);
        }

        private Envelope Ingress(Operation operation)
        {
            var op = operation.Op;
            byte[] argument;
            Target target;
            switch (op.Kind)
            {
                case CartOperationKind.AddToCart:
                    target = TargetFor(ShoppingCartFunctions.CartFunction, op.UserId);
                    argument = Encode(ShoppingCartFunctions.AddToCartType, new AddToCart(op.UserId, op.ItemId!, op.Quantity));
                    break;
                case CartOperationKind.ClearCart:
                    target = TargetFor(ShoppingCartFunctions.CartFunction, op.UserId);
                    argument = Encode(ShoppingCartFunctions.ClearCartType, new ClearCart(op.UserId));
                    break;
                case CartOperationKind.Checkout:
                    target = TargetFor(ShoppingCartFunctions.CartFunction, op.UserId);
                    argument = Encode(ShoppingCartFunctions.CheckoutType, new Checkout(op.UserId));
                    break;
                case CartOperationKind.RestockItem:
                    target = TargetFor(ShoppingCartFunctions.StockFunction, op.ItemId!);
                    argument = Encode(ShoppingCartFunctions.RestockItemType, new RestockItem(op.ItemId!, op.Quantity));
                    break;
                default:
                    throw new ArgumentException($"Operation {op.Id} has an unknown kind {op.Kind}.", nameof(operation));
            }

            return Queue(null, target, argument, operation);
        }

        private static byte[] Encode<T>(StateFunType<T> type, T value) =>
            ToFunctionWriter.EncodeTypedValue(Encoding.UTF8.GetBytes(type.TypeName.FullName), hasValue: true, type.Serialize(value).Span);

        /// <summary>Queues a message at its target's mailbox now, so messages from one sender keep their order.</summary>
        private Envelope Queue(Target? caller, Target target, byte[] argument, Operation operation)
        {
            if (Interlocked.Increment(ref operation.Deliveries) > MaxDeliveriesPerOperation)
            {
                throw new StateFunDriverException($"Operation {operation.Op.Id} caused more than {MaxDeliveriesPerOperation} messages; the functions seem to loop.");
            }

            var turn = target.Mailbox.Enter(out var waited);
            if (waited)
            {
                Interlocked.Increment(ref mailboxWaits);
            }

            return new Envelope(caller, target, argument, operation, turn);
        }

        /// <summary>Delivers a message when its address is free, then everything its reply sent, all at once.</summary>
        private async Task SendAsync(Envelope message, CancellationToken cancellationToken)
        {
            List<Envelope> next;
            // A failed loop cancels the others, whose messages may be waiting behind an address that never frees.
            await message.Turn.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                next = await DeliverAsync(message, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                message.Target.Mailbox.Exit();
            }

            switch (next.Count)
            {
                case 0:
                    return;
                case 1:
                    await SendAsync(next[0], cancellationToken).ConfigureAwait(false);
                    return;
                default:
                    await Task.WhenAll(next.Select(m => SendAsync(m, cancellationToken))).ConfigureAwait(false);
                    return;
            }
        }

        /// <summary>One delivery (with its handshakes): the reply applied, the messages it sent queued at their targets.</summary>
        private async Task<List<Envelope>> DeliverAsync(Envelope message, CancellationToken cancellationToken)
        {
            var target = message.Target;
            Interlocked.Increment(ref deliveries);
            for (var attempt = 0; ; attempt++)
            {
                if (attempt == MaxHandshakesPerDelivery)
                {
                    throw new StateFunDriverException($"{target.FunctionKey} kept asking for states after {MaxHandshakesPerDelivery} handshakes.");
                }

                using var post = StateFunDriver.NewRequest(target.Url, BuildRequest(message), request.FunctionKey);
                Interlocked.Increment(ref httpRequests);
                using var response = await driver.httpClient.SendAsync(post, cancellationToken).ConfigureAwait(false);
                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                Check(response, target, body);
                Proto.FromFunction reply;
                try
                {
                    reply = Proto.FromFunction.Parser.ParseFrom(body);
                }
                catch (InvalidProtocolBufferException e)
                {
                    throw new StateFunDriverException($"{target.FunctionKey} answered with a body that is not a FromFunction: {e.Message}");
                }

                switch (reply.ResponseCase)
                {
                    case Proto.FromFunction.ResponseOneofCase.IncompleteInvocationContext:
                        Register(target.FunctionKey, reply.IncompleteInvocationContext);
                        continue;
                    case Proto.FromFunction.ResponseOneofCase.InvocationResult:
                        return Apply(message, reply.InvocationResult);
                    default:
                        return []; // The runtime treats an empty reply as a response with no side effects.
                }
            }
        }

        private static void Check(HttpResponseMessage response, Target target, byte[] body)
        {
            if (!response.IsSuccessStatusCode)
            {
                var reason = body.Length is > 0 and <= 512 ? ": " + Encoding.UTF8.GetString(body) : string.Empty;
                throw new StateFunDriverException($"{target.AddressKey} answered HTTP {(int)response.StatusCode}{reason}");
            }

            var contentType = response.Content.Headers.NonValidated.TryGetValues("Content-Type", out var values) ? values.ToString() : null;
            if (contentType != StateFunHttpEndpoint.ContentType)
            {
                throw new StateFunDriverException($"{target.AddressKey} answered with Content-Type '{contentType}', not '{StateFunHttpEndpoint.ContentType}'.");
            }

            if (body.Length == 0)
            {
                throw new StateFunDriverException($"{target.AddressKey} answered with an empty body.");
            }
        }

        private byte[] BuildRequest(Envelope message)
        {
            var target = message.Target;
            ToFunctionWriter.State[] attached;
            lock (gate)
            {
                if (!state.RegisteredStates.TryGetValue(target.FunctionKey, out var registered) || registered.Count == 0)
                {
                    attached = [];
                }
                else
                {
                    // The address's values are only written while it holds its mailbox, which this delivery does.
                    state.Values.TryGetValue(target.AddressKey, out var values);
                    attached = new ToFunctionWriter.State[registered.Count];
                    for (var i = 0; i < registered.Count; i++)
                    {
                        byte[]? value = null;
                        values?.TryGetValue(registered[i].Name, out value);
                        attached[i] = new ToFunctionWriter.State(Utf8(registered[i].Name), Utf8(registered[i].TypeName), value);
                    }
                }
            }

            return ToFunctionWriter.Encode(target.Encoded, message.Caller?.Encoded, message.EncodedArgument, attached);
        }

        private void Register(string functionKey, Proto.FromFunction.Types.IncompleteInvocationContext incomplete)
        {
            lock (gate)
            {
                state.Register(functionKey, incomplete);
            }
        }

        private Target TargetFor(TypeName function, string id)
        {
            lock (gate)
            {
                return TargetFor(new Proto.Address { Namespace = function.Namespace, Type = function.Name, Id = id });
            }
        }

        // Under the gate.
        private Target TargetFor(Proto.Address address)
        {
            var key = string.Concat(address.Namespace, "/", address.Type, "/", address.Id);
            if (!targets.TryGetValue(key, out var target))
            {
                target = new Target(address.Clone(), UrlFor(address.Type));
                targets[key] = target;
            }

            return target;
        }

        private byte[] Utf8(string text)
        {
            lock (utf8)
            {
                if (!utf8.TryGetValue(text, out var bytes))
                {
                    bytes = Encoding.UTF8.GetBytes(text);
                    utf8[text] = bytes;
                }

                return bytes;
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
