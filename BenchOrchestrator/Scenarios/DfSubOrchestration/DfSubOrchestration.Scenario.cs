using FunctionsBench.BenchOrchestrator.History;
using FunctionsBench.BenchOrchestrator.Report.Svg;

namespace FunctionsBench.BenchOrchestrator;

/// <summary>
/// <c>df-suborchestration</c>: the segment orchestration calls the greeter orchestration, which calls <c>SayHello</c>.
/// Three storage steps: the caller starts the greeter orchestration, the greeter calls its activity, the greeter's
/// completion wakes the caller.
/// </summary>
public static class DfSubOrchestrationScenario
{
    /// <summary>The name in requests and results.</summary>
    public const string Name = "df-suborchestration";

    /// <summary>The scenario's facts.</summary>
    public static Scenario Descriptor { get; } = new(
        Name, Callee: "GreeterOrchestration", EventsPerInvocation: 12, FloorKind.Storage, StepsPerInvocation: 3,
        "calls GreeterOrchestration, which calls SayHello: 4 History rows in the caller and 8 in the greeter orchestration")
    {
        History = new Rule(),
        Style = new SeriesStyle("#7570b3", Marker.Square),
    };

    /// <summary>
    /// Each SubOrchestrationInstanceCreated row is the invocation its target instance id names
    /// (<see cref="InstanceIds.SubOrchestration"/>); the called instance's own rows count towards formula 4.1.
    /// </summary>
    private sealed class Rule : HistoryRule
    {
        public override bool CountsCalleeRows => true;

        public override HistoryCall? CallOf(HistoryRow row, HistorySegment segment)
            => row.EventType == "SubOrchestrationInstanceCreated" && row.TargetInstanceId is { } target
                && InstanceIds.Parse(segment.RunId, target) is (_, null, int sequence)
                    ? new HistoryCall(sequence)
                    : null;
    }
}
