namespace FunctionsBench.BenchOrchestrator.Thesis;

/// <summary>
/// One row of the thesis' Table 5.3 or 5.4: N, the execution time it measured and the throughput it printed.
/// </summary>
/// <param name="Table">"5.3" or "5.4".</param>
/// <param name="Scenario">This benchmark's scenario that repeats the row's test case.</param>
/// <param name="Invocations">N.</param>
/// <param name="ExecutionSeconds">The execution time the table prints.</param>
/// <param name="PrintedEventsPerSecond">The throughput the table prints.</param>
/// <param name="PrintedDecimals">Decimals of the printed throughput (its precision).</param>
/// <param name="EventsPerInvocation">Events per invocation of formula 4.1 for the test case (thesis section 4.3.2).</param>
public sealed record ThesisRow(string Table, string Scenario, int Invocations, double ExecutionSeconds, double PrintedEventsPerSecond, int PrintedDecimals, int EventsPerInvocation)
{
    /// <summary>Formula 4.1 on the row's own N and execution time: events per invocation x N / execution time.</summary>
    public double EventsPerSecond => (double)this.EventsPerInvocation * this.Invocations / this.ExecutionSeconds;

    /// <summary>N / execution time.</summary>
    public double InvocationsPerSecond => this.Invocations / this.ExecutionSeconds;

    /// <summary>
    /// Execution time / N in ms: with invocations one after another this bounds the mean latency from above; the thesis'
    /// Figure 5.3 plots mean latencies without printing them, so this is the figure this benchmark can set beside its own.
    /// </summary>
    public double MeanLatencyUpperBoundMs => this.ExecutionSeconds * 1000 / this.Invocations;

    /// <summary>Whether the printed throughput differs from formula 4.1 rounded to the printed precision.</summary>
    public bool PrintedDiffers => Math.Round(this.EventsPerSecond, this.PrintedDecimals) != Math.Round(this.PrintedEventsPerSecond, this.PrintedDecimals);

    /// <summary>The printed throughput as the table prints it.</summary>
    public string Printed => this.PrintedEventsPerSecond.ToString("F" + this.PrintedDecimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}

/// <summary>The performance study of the thesis (sections 3.4, 4.3, 5.3): its procedure and its published numbers.</summary>
public static class ThesisTables
{
    /// <summary>Repetitions of every run (section 3.4.1: "We repeated the execution 5 times and reported the averages").</summary>
    public const int Repetitions = 5;

    /// <summary>The mode the thesis ran: one orchestration whose history grows with N (section 4.3.2's for loop).</summary>
    public const string Mode = BenchModes.Single;

    /// <summary>Table 5.3: Flink StateFun, sequential UserLogin messages to the greeter (1 event per invocation).</summary>
    public static IReadOnlyList<ThesisRow> StateFun { get; } =
    [
        new("5.3", Scenarios.StateFun, 1000, 36, 28, 0, 1),
        new("5.3", Scenarios.StateFun, 4000, 83, 48, 0, 1),
        new("5.3", Scenarios.StateFun, 8000, 127, 63, 0, 1),
        new("5.3", Scenarios.StateFun, 16000, 246, 65, 0, 1),
    ];

    /// <summary>Table 5.4: Durable Functions, sequential SayHello activity calls from one orchestration (4 events per invocation).</summary>
    public static IReadOnlyList<ThesisRow> DurableFunctions { get; } =
    [
        new("5.4", Scenarios.DfActivity, 1000, 1906, 2.1, 1, 4),
        new("5.4", Scenarios.DfActivity, 2000, 4470, 1.78, 2, 4),
        new("5.4", Scenarios.DfActivity, 3000, 10132, 1.2, 1, 4),
        new("5.4", Scenarios.DfActivity, 4000, 18023, 0.8, 1, 4),
    ];

    /// <summary>Both tables, Table 5.3 first.</summary>
    public static IReadOnlyList<ThesisRow> All { get; } = [.. StateFun, .. DurableFunctions];

    /// <summary>The thesis' row of <paramref name="scenario"/> at <paramref name="invocations"/>, or null.</summary>
    public static ThesisRow? Find(string scenario, int invocations)
        => All.FirstOrDefault(r => r.Scenario == scenario && r.Invocations == invocations);

    /// <summary>The N the thesis ran each scenario at: Table 5.4's for df-activity, Table 5.3's for statefun.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<int>> InvocationsByScenario { get; } = new Dictionary<string, IReadOnlyList<int>>(StringComparer.Ordinal)
    {
        [Scenarios.DfActivity] = [.. DurableFunctions.Select(r => r.Invocations)],
        [Scenarios.StateFun] = [.. StateFun.Select(r => r.Invocations)],
    };

    /// <summary>What the thesis ran on (section 3.4.2), for the report's side-by-side.</summary>
    public const string TestBed =
        "one machine with 4 CPUs and 12 GB; StateFun: the playground greeter (Java) on docker-compose, 1 task manager, 4 task slots, " +
        "parallelism 4, messages sent with cURL and timed on the Flink dashboard; Durable Functions: C# on .NET 6 under Core Tools 4.0.4895, " +
        "state in an Azure Storage account, timestamps read from the TestHubNameHistory table";
}
