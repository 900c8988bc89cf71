namespace FunctionsBench.BenchOrchestrator.Thesis;

/// <summary>One row of the thesis' tables beside this run's mean at the same scenario and N (null when the run did not run it).</summary>
/// <param name="Thesis">The thesis' row.</param>
/// <param name="Run">This run's summary of the same scenario and N, or null.</param>
public sealed record ThesisComparisonRow(ThesisRow Thesis, ScenarioSummary? Run)
{
    /// <summary>This run's events per second ÷ the thesis' (formula 4.1 on its own time): how many times faster.</summary>
    public double? SpeedUp => this.Run is { } run ? run.MeanEventsPerSecond / this.Thesis.EventsPerSecond : null;
}

/// <summary>How a run's invocations/s of two scenarios at one N relate, here and in the thesis.</summary>
/// <param name="Invocations">N.</param>
/// <param name="Durable">The Durable Functions scenario.</param>
/// <param name="DurableInvocationsPerSecond">Its mean invocations per second.</param>
/// <param name="StateFunInvocationsPerSecond">StateFun's mean invocations per second at the same N.</param>
/// <param name="ThesisRatio">The thesis' StateFun ÷ Durable Functions invocations per second at this N, when both its tables have it.</param>
public sealed record HeadToHeadRow(int Invocations, string Durable, double DurableInvocationsPerSecond, double StateFunInvocationsPerSecond, double? ThesisRatio)
{
    /// <summary>StateFun ÷ this scenario, in invocations per second.</summary>
    public double Ratio => this.StateFunInvocationsPerSecond / this.DurableInvocationsPerSecond;
}

/// <summary>Sets a run beside the thesis, and its Durable Functions scenarios beside its StateFun one.</summary>
public static class ThesisComparison
{
    /// <summary>Every row of Tables 5.3 and 5.4 with this run's mean at the same scenario and N.</summary>
    public static IReadOnlyList<ThesisComparisonRow> Rows(IReadOnlyList<ScenarioSummary> summaries)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        return [.. ThesisTables.All.Select(t => new ThesisComparisonRow(t, summaries.FirstOrDefault(s => s.Scenario == t.Scenario && s.Invocations == t.Invocations)))];
    }

    /// <summary>
    /// For each N at which the run has StateFun and a Durable Functions scenario: how many times more invocations per
    /// second StateFun made, with the thesis' ratio where both its tables have that N.
    /// </summary>
    public static IReadOnlyList<HeadToHeadRow> HeadToHead(IReadOnlyList<ScenarioSummary> summaries)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        var rows = new List<HeadToHeadRow>();
        foreach (ScenarioSummary stateFun in summaries.Where(s => s.Scenario == Scenarios.StateFun).OrderBy(s => s.Invocations))
        {
            foreach (ScenarioSummary durable in summaries.Where(s => s.Invocations == stateFun.Invocations && Scenarios.IsKnown(s.Scenario) && Scenarios.Get(s.Scenario).History is not null))
            {
                ThesisRow? thesisStateFun = ThesisTables.Find(Scenarios.StateFun, stateFun.Invocations);
                ThesisRow? thesisDurable = ThesisTables.Find(durable.Scenario, durable.Invocations);
                rows.Add(new HeadToHeadRow(
                    stateFun.Invocations, durable.Scenario, InvocationsPerSecond(durable), InvocationsPerSecond(stateFun),
                    thesisStateFun is not null && thesisDurable is not null ? thesisStateFun.InvocationsPerSecond / thesisDurable.InvocationsPerSecond : null));
            }
        }

        return rows;
    }

    /// <summary>A summary's mean invocations per second (from its mean execution time in documents older than the field).</summary>
    public static double InvocationsPerSecond(ScenarioSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return summary.MeanInvocationsPerSecond ?? summary.Invocations / summary.MeanExecutionSeconds;
    }
}
