using System.Diagnostics;
using System.Text;
using FunctionsBench.ShoppingCart;
using FunctionsBench.ShoppingCart.StateFun;
using Google.Protobuf;
using Proto = FunctionsBench.StateFun.Protocol;

namespace FunctionsBench.StateFun;

/// <summary>
/// The bench's stand-in for the StateFun runtime, for the shopping cart: many addresses in flight at once, one
/// message at a time per address.
/// </summary>
/// <remarks>
/// <para>
/// Each user loop sends its operations in order, the next once everything the previous one caused has been applied;
/// all loops run at once. Every address has a mailbox: a message to an address that is busy with another waits for
/// it, in arrival order, as StateFun's runtime delivers messages to one address one at a time. Each delivery is one
/// request-reply call with the address's state attached; the reply's state mutations are applied, its outgoing
/// messages queued at their targets with the sender as caller (cart to stock <c>RequestItem</c>, stock to cart
/// <c>ItemAvailability</c>, cart to stock <c>RestockItem</c> returns), and its egress records collected.
/// </para>
/// <para>
/// <b>Attribution.</b> The runtime delivers one message per request, so everything a reply sends was caused by the
/// message just delivered; the driver tags each message it routes with the operation whose ingress message started
/// the chain. A stock's <c>ItemAvailability</c> is thereby the answer to the AddToCart it carries the tag of (its
/// status is the operation's outcome), and a receipt the one of the Checkout whose delivery emitted it, with no field
/// added to the playground's messages. An operation ends when no message it caused is waiting or in flight.
/// </para>
/// <para>
/// The state is <see cref="StateFunRuntimeState"/> (registered states per function type, values per address), as the
/// greeter's driver keeps it; <see cref="InitialState"/> loads every item's initial stock, as a unit starts from a
/// stocked shop, and <see cref="FinalState"/> reads the shop back from it.
/// </para>
/// </remarks>
/// <param name="httpClient">
/// The client for every request. Messages to different addresses are in flight at once (one per user loop, more
/// while a ClearCart returns several items), so its handler opens connections as they are needed; cap them with
/// <see cref="SocketsHttpHandler.MaxConnectionsPerServer"/> to hold a unit to as many connections as users.
/// </param>
/// <param name="timeProvider">The clock for timestamps and latencies; <see cref="TimeProvider.System"/> when null.</param>
public sealed class StateFunCartDriver(HttpClient httpClient, TimeProvider? timeProvider = null)
{
    // A function that keeps messaging would otherwise never end its operation.
    private const int MaxDeliveriesPerOperation = 100_000;
    private const int MaxHandshakesPerDelivery = 4;
    private const string FunctionNamePlaceholder = "{function.name}";

    private static readonly string CartKey = ShoppingCartFunctions.CartFunction.FullName;
    private static readonly string StockKey = ShoppingCartFunctions.StockFunction.FullName;

    private readonly HttpClient httpClient = httpClient ?? throw new ArgumentNullException(nameof(httpClient));
    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;

    /// <summary>The state a unit starts from: no state registered, every item's <c>stock</c> at the initial stock, nothing applied.</summary>
    public static StateFunRuntimeState InitialState(CartWorkloadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var state = new StateFunRuntimeState();
        var stock = ShoppingCartFunctions.StockState.Type.Serialize(options.InitialStock).ToArray();
        foreach (var item in options.ItemKeys)
        {
            state.Values[AddressKey(StockKey, item)] = new Dictionary<string, byte[]>(StringComparer.Ordinal)
            {
                [ShoppingCartFunctions.StockState.Name] = stock.ToArray(),
            };
        }

        return state;
    }

    /// <summary>
    /// A body the size of the cart driver's typical request, for the HTTP floor: the <c>ToFunction</c> that delivers an
    /// <c>AddToCart</c> to <c>com.example/user-shopping-cart/u0</c> with its states attached (a basket of two lines and a count).
    /// </summary>
    public static byte[] FloorBody()
    {
        var basket = ShoppingCartFunctions.BasketType.Serialize(new Basket(new Dictionary<string, int>(StringComparer.Ordinal) { ["i1"] = 2, ["i17"] = 1 })).ToArray();
        var applied = ShoppingCartFunctions.AppliedState.Type.Serialize(12).ToArray();
        ToFunctionWriter.State[] states =
        [
            new(Encoding.UTF8.GetBytes(ShoppingCartFunctions.BasketState.Name), Encoding.UTF8.GetBytes(ShoppingCartFunctions.BasketState.TypeName.FullName), basket),
            new(Encoding.UTF8.GetBytes(ShoppingCartFunctions.AppliedState.Name), Encoding.UTF8.GetBytes(ShoppingCartFunctions.AppliedState.TypeName.FullName), applied),
        ];
        var target = ToFunctionWriter.EncodeAddress(ShoppingCartFunctions.CartFunction.Namespace, ShoppingCartFunctions.CartFunction.Name, CartWorkloadOptions.UserKey(0));
        var argument = ToFunctionWriter.EncodeTypedValue(
            Encoding.UTF8.GetBytes(ShoppingCartFunctions.AddToCartType.TypeName.FullName), hasValue: true,
            ShoppingCartFunctions.AddToCartType.Serialize(new AddToCart(CartWorkloadOptions.UserKey(0), CartWorkloadOptions.ItemKey(17), 2)).Span);
        return ToFunctionWriter.Encode(target, [], argument, states);
    }

    /// <summary>The shop as the runtime state holds it: every stock and basket, and every address's count of applied operations.</summary>
    /// <exception cref="StateFunDriverException">A state value cannot be read as the function declares it.</exception>
    public static CartFinalState FinalState(StateFunRuntimeState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var stock = new Dictionary<string, int>(StringComparer.Ordinal);
        var stockApplied = new Dictionary<string, int>(StringComparer.Ordinal);
        var baskets = new Dictionary<string, IReadOnlyDictionary<string, int>>(StringComparer.Ordinal);
        var cartApplied = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (address, values) in state.Values)
        {
            if (IdOf(address, StockKey) is { } item)
            {
                stock[item] = Read(values, ShoppingCartFunctions.StockState, address) ?? 0;
                stockApplied[item] = Read(values, ShoppingCartFunctions.AppliedState, address) ?? 0;
            }
            else if (IdOf(address, CartKey) is { } user)
            {
                var basket = values.TryGetValue(ShoppingCartFunctions.BasketState.Name, out var bytes) ? Decode(ShoppingCartFunctions.BasketState, bytes, address).Items : [];
                baskets[user] = new Dictionary<string, int>(basket, StringComparer.Ordinal);
                cartApplied[user] = Read(values, ShoppingCartFunctions.AppliedState, address) ?? 0;
            }
        }

        return new CartFinalState(stock, baskets, cartApplied, stockApplied);
    }

    /// <summary>Runs the request's operations with every user loop in flight at once.</summary>
    /// <returns>Each operation's timing and outcome, and the runtime state after them.</returns>
    /// <exception cref="StateFunDriverException">A function replied with something a StateFun runtime would reject.</exception>
    /// <exception cref="HttpRequestException">The endpoint could not be reached.</exception>
    public async Task<StateFunCartResult> RunAsync(StateFunCartRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Endpoint);
        ArgumentNullException.ThrowIfNull(request.Options);
        ArgumentNullException.ThrowIfNull(request.Operations);
        request.Options.Validate();

        var run = new Run(this, request, (request.State ?? InitialState(request.Options)).Clone());
        return await run.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string AddressKey(string functionKey, string id) => string.Concat(functionKey, "/", id);

    private static string? IdOf(string addressKey, string functionKey) =>
        addressKey.Length > functionKey.Length + 1 && addressKey.StartsWith(functionKey, StringComparison.Ordinal) && addressKey[functionKey.Length] == '/'
            ? addressKey[(functionKey.Length + 1)..]
            : null;

    private static int? Read(Dictionary<string, byte[]> values, ValueSpec<int> spec, string address) =>
        values.TryGetValue(spec.Name, out var bytes) ? Decode(spec, bytes, address) : null;

    private static T Decode<T>(ValueSpec<T> spec, byte[] bytes, string address)
    {
        try
        {
            return spec.Type.Deserialize(bytes);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new StateFunDriverException($"{address} holds a '{spec.Name}' that is not a {spec.TypeName}: {e.Message}");
        }
    }

    /// <summary>An address the run has talked to: its encoded form, URL and mailbox.</summary>
    private sealed class Target(Proto.Address address, Uri url)
    {
        public Proto.Address Address { get; } = address;

        public string FunctionKey { get; } = string.Concat(address.Namespace, "/", address.Type);

        public string AddressKey { get; } = string.Concat(address.Namespace, "/", address.Type, "/", address.Id);

        public Uri Url { get; } = url;

        public byte[] Encoded { get; } = ToFunctionWriter.EncodeAddress(address.Namespace, address.Type, address.Id);

        public Mailbox Mailbox { get; } = new();
    }

    /// <summary>One message at a time per address: a message that finds the address busy waits its turn, first come first served.</summary>
    private sealed class Mailbox
    {
        private readonly Queue<TaskCompletionSource> waiting = new();
        private bool busy;

        /// <summary>Takes a place in the queue now; the task completes when it is this message's turn.</summary>
        public Task Enter(out bool waited)
        {
            lock (waiting)
            {
                if (!busy)
                {
                    busy = true;
                    waited = false;
                    return Task.CompletedTask;
                }

                var turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                waiting.Enqueue(turn);
                waited = true;
                return turn.Task;
            }
        }

        public void Exit()
        {
            TaskCompletionSource? next;
            lock (waiting)
            {
                if (!waiting.TryDequeue(out next))
                {
                    busy = false;
                    return;
                }
            }

            next.SetResult();
        }
    }

    /// <summary>A message on its way: sender (null for the ingress), target, argument, and the operation that caused it.</summary>
    private sealed record Envelope(Target? Caller, Target Target, byte[] EncodedArgument, Operation Operation, Task Turn);

    /// <summary>An operation in flight and what it has produced so far.</summary>
    private sealed class Operation(CartOperation op)
    {
        public CartOperation Op { get; } = op;

        public int Deliveries;

        public bool? InStock;

        public Dictionary<string, int>? Receipt;

        public int Receipts;
    }

    private sealed class Run(StateFunCartDriver driver, StateFunCartRequest request, StateFunRuntimeState state)
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

        /// <summary>
        /// Applies an invocation result as the runtime would: the state mutations (each of a registered state, of its
        /// registered typename), then the egress, then the outgoing messages queued at their targets with their sender.
        /// </summary>
        private List<Envelope> Apply(Envelope message, Proto.FromFunction.Types.InvocationResponse result)
        {
            var self = message.Target;
            var operation = message.Operation;
            if (result.DelayedInvocations.Count > 0)
            {
                throw new StateFunDriverException($"{self.AddressKey} sent delayed messages, which the bench runtime does not deliver.");
            }

            lock (gate)
            {
                if (result.StateMutations.Count > 0)
                {
                    state.RegisteredStates.TryGetValue(self.FunctionKey, out var registered);
                    if (!state.Values.TryGetValue(self.AddressKey, out var values))
                    {
                        values = new Dictionary<string, byte[]>(StringComparer.Ordinal);
                        state.Values[self.AddressKey] = values;
                    }

                    foreach (var mutation in result.StateMutations)
                    {
                        var spec = registered?.Find(s => s.Name == mutation.StateName)
                            ?? throw new StateFunDriverException($"{self.AddressKey} changed state '{mutation.StateName}', which it never registered.");
                        if (mutation.MutationType == Proto.FromFunction.Types.PersistedValueMutation.Types.MutationType.Delete)
                        {
                            values.Remove(spec.Name);
                        }
                        else if (mutation.StateValue is null || mutation.StateValue.Typename != spec.TypeName)
                        {
                            throw new StateFunDriverException($"{self.AddressKey} wrote state '{spec.Name}' as '{mutation.StateValue?.Typename}'; it is registered as '{spec.TypeName}'.");
                        }
                        else
                        {
                            values[spec.Name] = mutation.StateValue.Value.ToByteArray();
                        }
                    }
                }

            }

            foreach (var egress in result.OutgoingEgresses)
            {
                TakeEgress(self, operation, egress);
            }

            if (result.OutgoingMessages.Count == 0)
            {
                return [];
            }

            var next = new List<Envelope>(result.OutgoingMessages.Count);
            foreach (var outgoing in result.OutgoingMessages)
            {
                if (outgoing.Target is not { } address || outgoing.Argument is not { } argument)
                {
                    throw new StateFunDriverException($"{self.AddressKey} sent a message without a target or an argument.");
                }

                Target target;
                lock (gate)
                {
                    target = TargetFor(address);
                }

                var typename = Utf8(argument.Typename);
                if (target.FunctionKey == CartKey && typename.AsSpan().SequenceEqual(availabilityTypename))
                {
                    TakeAvailability(self, target, operation, argument);
                }

                next.Add(Queue(self, target, ToFunctionWriter.EncodeTypedValue(typename, argument.HasValue, argument.Value.Span), operation));
            }

            return next;
        }

        // The answer of a stock to the AddToCart whose chain this is.
        private static void TakeAvailability(Target stock, Target cart, Operation operation, Proto.TypedValue argument)
        {
            var op = operation.Op;
            ItemAvailability availability;
            try
            {
                availability = ShoppingCartFunctions.ItemAvailabilityType.Deserialize(argument.Value.Span);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or NotSupportedException)
            {
                throw new StateFunDriverException($"{stock.AddressKey} sent {cart.AddressKey} an ItemAvailability that does not parse: {e.Message}");
            }

            if (op.Kind != CartOperationKind.AddToCart || operation.InStock is not null || cart.Address.Id != op.UserId || stock.Address.Id != op.ItemId || availability.Quantity != op.Quantity)
            {
                throw new StateFunDriverException(
                    $"{stock.AddressKey} sent {cart.AddressKey} an ItemAvailability {availability.Status} x{availability.Quantity} within {op.Kind} {op.Id} of {op.UserId} (item {op.ItemId}, quantity {op.Quantity}): not the one answer its AddToCart asks for.");
            }

            operation.InStock = availability.Status == AvailabilityStatus.InStock;
        }

        private void TakeEgress(Target self, Operation operation, Proto.FromFunction.Types.EgressMessage egress)
        {
            var op = operation.Op;
            if ($"{egress.EgressNamespace}/{egress.EgressType}" != ShoppingCartFunctions.Egress.FullName || egress.Argument?.Typename != ShoppingCartFunctions.EgressRecordType.TypeName.FullName)
            {
                throw new StateFunDriverException($"{self.AddressKey} sent {egress.Argument?.Typename} to egress {egress.EgressNamespace}/{egress.EgressType}; receipts go to {ShoppingCartFunctions.Egress} as {ShoppingCartFunctions.EgressRecordType.TypeName}.");
            }

            Receipt receipt;
            try
            {
                var record = ShoppingCartFunctions.EgressRecordType.Deserialize(egress.Argument.Value.Span);
                if (record.Topic != ShoppingCartFunctions.ReceiptsTopic)
                {
                    throw new StateFunDriverException($"{self.AddressKey} sent a record to topic '{record.Topic}', not '{ShoppingCartFunctions.ReceiptsTopic}'.");
                }

                receipt = ShoppingCartFunctions.ReceiptType.Deserialize(Encoding.UTF8.GetBytes(record.Payload ?? string.Empty));
                operation.Receipt = ShoppingCartFunctions.ParseDetails(receipt.Details ?? string.Empty);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or NotSupportedException or FormatException)
            {
                throw new StateFunDriverException($"{self.AddressKey} sent a receipt that does not parse: {e.Message}");
            }

            if (receipt.UserId != op.UserId)
            {
                throw new StateFunDriverException($"{self.AddressKey} sent a receipt for user '{receipt.UserId}' within {op.Kind} {op.Id} of {op.UserId}.");
            }

            operation.Receipts++;
            Interlocked.Increment(ref receipts);
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
