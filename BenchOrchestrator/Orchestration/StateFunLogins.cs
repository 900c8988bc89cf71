using System.Text.Json;
using FunctionsBench.Hosting;
using FunctionsBench.StateFun;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsBench.BenchOrchestrator;

/// <summary>One chunk of StateFun logins: where the greeter is, who logs in, which sequences, and the runtime's state so far.</summary>
/// <param name="RuntimeState">The emulated runtime's state (registered states, stored values) from the previous chunk; null to start empty.</param>
/// <param name="FunctionKey">The endpoint's function key (the <c>x-functions-key</c> header); null for none.</param>
public sealed record StateFunLoginsInput(string Url, string UserId, string UserName, int FirstSequence, int Count, JsonElement? RuntimeState, string? FunctionKey = null);

/// <summary>The timed logins of a chunk and the runtime's state after them.</summary>
public sealed record StateFunLoginsOutput(IReadOnlyList<TimingRecord> Records, JsonElement RuntimeState);

/// <summary>
/// The <c>statefun</c> scenario's driver activity: plays the StateFun runtime for one chunk of logins against a remote
/// greeter. The orchestration carries the runtime's state from chunk to chunk, so a crash costs at most one chunk.
/// </summary>
public sealed class StateFunLogins(StateFunDriver driver) : DurableActivity<StateFunLoginsInput, StateFunLoginsOutput>
{
    /// <summary>Functions trigger.</summary>
    [Function(nameof(StateFunLogins))]
    public Task<StateFunLoginsOutput> Run([ActivityTrigger] StateFunLoginsInput input, CancellationToken cancellationToken)
        => this.ExecuteAsync(input, cancellationToken);

    /// <inheritdoc/>
    public override async Task<StateFunLoginsOutput> ExecuteAsync(StateFunLoginsInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        StateFunRuntimeState state = input.RuntimeState is { } json
            ? json.Deserialize<StateFunRuntimeState>(BenchJson.Options) ?? new StateFunRuntimeState()
            : new StateFunRuntimeState();
        var request = new StateFunChunkRequest(new Uri(input.Url), input.UserId, input.UserName, input.FirstSequence, input.Count, state, input.FunctionKey);
        StateFunChunkResult result = await driver.RunChunkAsync(request, cancellationToken);
        var records = result.Logins.Select(l => new TimingRecord(l.Sequence, l.StartUtc, l.EndUtc)).ToList();
        return new StateFunLoginsOutput(records, JsonSerializer.SerializeToElement(result.State, BenchJson.Options));
    }
}
