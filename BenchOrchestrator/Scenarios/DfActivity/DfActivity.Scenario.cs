using FunctionsBench.BenchOrchestrator.History;
using FunctionsBench.BenchOrchestrator.Report.Svg;

namespace FunctionsBench.BenchOrchestrator;

/// <summary>
/// <c>df-activity</c>: the segment orchestration calls the greeter's <c>SayHello</c> activity (the thesis' Durable
/// Functions test case). One storage step: the orchestrator schedules the activity, the activity answers on the control queue.
/// </summary>
public static class DfActivityScenario
{
    /// <summary>The name in requests and results.</summary>
    public const string Name = "df-activity";

    /// <summary>The scenario's facts.</summary>
    public static Scenario Descriptor { get; } = new(
        Name, Callee: "SayHello", EventsPerInvocation: 4, FloorKind.Storage, StepsPerInvocation: 1,
        "the control orchestration calls SayHello: OrchestratorStarted, TaskScheduled, OrchestratorCompleted, TaskCompleted (the thesis' Figure 4.4)")
    {
        History = new Rule(),
        Style = new SeriesStyle("#d95f02", Marker.Circle),
    };

    /// <summary>Each TaskScheduled row of the callee is the next invocation; its TaskCompleted is the answer.</summary>
    private sealed class Rule : HistoryRule
    {
        public override HistoryCall? CallOf(HistoryRow row, HistorySegment segment)
            => row.EventType == "TaskScheduled" && row.Name == segment.Scenario.Callee ? new HistoryCall(segment.Next) : null;
    }
}
