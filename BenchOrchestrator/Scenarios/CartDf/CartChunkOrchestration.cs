using FunctionsBench.ShoppingCart;
using FunctionsBench.ShoppingCart.DurableFunctions;

namespace FunctionsBench.BenchOrchestrator;

/// <summary>What a cart chunk orchestration runs: consecutive operations of one user loop of a cart-df unit.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Unit">The unit (its timings entities).</param>
/// <param name="Scope">The unit's shop (<see cref="InstanceIds.CartScope"/>).</param>
/// <param name="Operations">The loop's operations, in the order its user makes them.</param>
/// <param name="CriticalSection">Whether AddToCart and ClearCart lock the entities they change.</param>
/// <param name="Recorded">Whether the timings are sent to the timings entities (not a warm-up).</param>
public sealed record CartChunkInput(string RunId, BenchUnit Unit, string Scope, IReadOnlyList<CartOperation> Operations, bool CriticalSection, bool Recorded);

/// <summary>When a chunk's operations started and ended, and what each returned to its user.</summary>
public sealed record CartChunkResult(DateTime Start, DateTime End, IReadOnlyList<CartOutcome> Outcomes);

/// <summary>
/// One chunk of a user loop: its operations one after another, each timed with the orchestration clock from before its
/// first entity call to after its last answer, the records sent to the timings entities at the end of the chunk (sequence
/// = operation id). A loop is a chain of these, so each orchestration history stays bounded (<c>checkpointEvery</c>
/// operations), as the greeter's segments do.
/// </summary>
public sealed class CartChunkOrchestration : TaskOrchestrator<CartChunkInput, CartChunkResult>
{
    /// <summary>Functions trigger.</summary>
    [Function(nameof(CartChunkOrchestration))]
    public static Task<CartChunkResult> Run([OrchestrationTrigger] TaskOrchestrationContext context)
        => new CartChunkOrchestration().RunAsync(context, context.GetInput<CartChunkInput>() ?? throw new InvalidOperationException("A cart chunk orchestration needs its input."));

    /// <inheritdoc/>
    public override async Task<CartChunkResult> RunAsync(TaskOrchestrationContext context, CartChunkInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        if (input.Operations.Count == 0)
        {
            throw new InvalidOperationException("A cart chunk of no operations.");
        }

        var shop = new CartShop(input.Scope);
        var outcomes = new List<CartOutcome>(input.Operations.Count);
        var records = new List<TimingRecord>(input.Operations.Count);
        foreach (CartOperation operation in input.Operations)
        {
            DateTime start = context.CurrentUtcDateTime;
            outcomes.Add(await CartWorkflow.ApplyAsync(context, shop, operation, input.CriticalSection));
            records.Add(new TimingRecord(operation.Id, start, context.CurrentUtcDateTime, operation.Kind.ToString()));
        }

        if (input.Recorded)
        {
            await TimingsChunk.RecordAsync(context, input.RunId, input.Unit, records);
        }

        return new CartChunkResult(records[0].Start, records[^1].End, outcomes);
    }
}
