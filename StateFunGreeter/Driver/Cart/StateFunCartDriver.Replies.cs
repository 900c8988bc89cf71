using System.Diagnostics;
using System.Text;
using FunctionsBench.ShoppingCart;
using FunctionsBench.ShoppingCart.StateFun;
using Google.Protobuf;
using Proto = FunctionsBench.StateFun.Protocol;

namespace FunctionsBench.StateFun;

/// <summary>How a unit takes a function's reply: state mutations, the stock's availability, the egress receipts.</summary>
public sealed partial class StateFunCartDriver
{
    private sealed partial class Run
    {
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
    }
}
