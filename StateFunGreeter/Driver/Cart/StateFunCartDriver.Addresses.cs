using System.Diagnostics;
using System.Text;
using FunctionsBench.ShoppingCart;
using FunctionsBench.ShoppingCart.StateFun;
using Google.Protobuf;
using Proto = FunctionsBench.StateFun.Protocol;

namespace FunctionsBench.StateFun;

/// <summary>What the cart driver keeps per address and per operation: targets, their mailboxes, the messages in flight.</summary>
public sealed partial class StateFunCartDriver
{
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
}
