using FunctionsBench.BenchOrchestrator.History;
using FunctionsBench.BenchOrchestrator.Report.Svg;

namespace FunctionsBench.BenchOrchestrator;

/// <summary>
/// <c>df-entity</c>: the segment orchestration calls the greeter entity's <c>Login</c>, which keeps the user's seen-count.
/// Two storage steps: the call to the entity and the entity's reply, each a control-queue message processed by a work item.
/// </summary>
public static class DfEntityScenario
{
    /// <summary>The name in requests and results.</summary>
    public const string Name = "df-entity";

    /// <summary>The entity operation one invocation calls.</summary>
    public const string Operation = "Login";

    /// <summary>The scenario's facts.</summary>
    public static Scenario Descriptor { get; } = new(
        Name, Callee: "GreeterEntity", EventsPerInvocation: 4, FloorKind.Storage, StepsPerInvocation: 2,
        "calls GreeterEntity.Login, which keeps the user's seen-count: 4 rows in the caller (an entity's history is rewritten per batch)")
    {
        History = new Rule(),
        Style = new SeriesStyle("#1b9e77", Marker.Diamond),
    };

    /// <summary>Each EventSent row of a <see cref="Operation"/> request to the callee is the next invocation; the EventRaised row named by its request id is the answer.</summary>
    private sealed class Rule : HistoryRule
    {
        public override HistoryCall? CallOf(HistoryRow row, HistorySegment segment)
            => row.EventType == "EventSent" && row.TargetInstanceId is { } entity
                && entity.StartsWith("@" + segment.Scenario.Callee.ToLowerInvariant() + "@", StringComparison.OrdinalIgnoreCase)
                && EntityRequest(row.Input) is (Operation, { } requestId)
                    ? new HistoryCall(segment.Next, requestId)
                    : null;
    }
}
