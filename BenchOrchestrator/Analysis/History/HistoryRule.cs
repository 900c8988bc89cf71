using System.Text.Json;

namespace FunctionsBench.BenchOrchestrator.History;

/// <summary>
/// A scenario's History matching rule: which rows of one segment orchestration's History are the benchmark's calls, and
/// how each call's answer is found. <see cref="HistoryMatcher"/> does the rest (answers, gaps, rows per invocation).
/// </summary>
public abstract class HistoryRule
{
    /// <summary>
    /// The call <paramref name="row"/> makes, or null when it is not one of the scenario's calls. Rows come in row order;
    /// <see cref="HistorySegment.Next"/> is the sequence the next call has when calls are numbered in the order made.
    /// </summary>
    public abstract HistoryCall? CallOf(HistoryRow row, HistorySegment segment);

    /// <summary>
    /// Whether each invocation's called instance writes History rows of its own that formula 4.1 counts (a
    /// sub-orchestration): they are added to the caller's rows and reported as the callee's.
    /// </summary>
    public virtual bool CountsCalleeRows => false;

    /// <summary>An entity request's operation and request id, from an EventSent row's input; nulls when the input is not one.</summary>
    public static (string? Operation, string? Id) EntityRequest(string? input)
    {
        if (string.IsNullOrEmpty(input))
        {
            return (null, null);
        }

        try
        {
            using JsonDocument json = JsonDocument.Parse(input);
            JsonElement root = json.RootElement;
            return root.ValueKind != JsonValueKind.Object ? (null, null) : (
                root.TryGetProperty("op", out JsonElement op) && op.ValueKind == JsonValueKind.String ? op.GetString() : null,
                root.TryGetProperty("id", out JsonElement id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}

/// <summary>The segment whose rows a <see cref="HistoryRule"/> is reading.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Scenario">The unit's scenario.</param>
/// <param name="Next">The sequence of the next call in the order made (the segment's first invocation plus the calls found so far).</param>
public sealed record HistorySegment(string RunId, Scenario Scenario, int Next);

/// <summary>One benchmark call found in History: which invocation, and the key its answer row carries.</summary>
/// <param name="Sequence">The invocation it makes.</param>
/// <param name="RequestId">
/// The entity request id its answer (an EventRaised row named so) carries; null for a task, whose answer
/// (TaskCompleted, SubOrchestrationInstanceCompleted) names the call row's event id.
/// </param>
public sealed record HistoryCall(int Sequence, string? RequestId = null);
