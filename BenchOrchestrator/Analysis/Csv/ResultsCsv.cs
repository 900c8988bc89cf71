namespace FunctionsBench.BenchOrchestrator.Csv;

/// <summary><c>results.csv</c> (one row per scenario, N and repetition) and <c>summary.csv</c> (one row per scenario and N).</summary>
public static class ResultsCsv
{
    /// <summary>The header of <c>results.csv</c>: the run's identity, then the result's fields with their units.</summary>
    public const string ResultsHeader = RunIdentity.Header +
        ",scenario,invocations,users,repetition,eventsPerInvocation,events,executionSeconds,eventsPerSecond,invocationsPerSecond,recorded," +
        "latencyMeanMs,latencyP50Ms,latencyP90Ms,latencyP99Ms,latencyMaxMs,stepsPerInvocation,efficiency,floorRate,floorUnit,floorSource,floorSliceSeconds";

    /// <summary>The header of <c>summary.csv</c>: the run's identity, then the means over repetitions.</summary>
    public const string SummaryHeader = RunIdentity.Header +
        ",scenario,invocations,users,repetitions,meanExecutionSeconds,meanEventsPerSecond,meanInvocationsPerSecond,cv," +
        "ci95,meanLatencyMs,meanEfficiency";

    /// <summary><c>results.csv</c> of <paramref name="document"/>.</summary>
    public static string Results(ResultsDocument document)
    {
        string identity = RunIdentity.Of(document).Columns();
        var csv = new StringBuilder(ResultsHeader).Append('\n');
        foreach (ScenarioResult r in document.Results)
        {
            csv.Append(identity).Append(',').AppendJoin(',',
                CsvText.Field(r.Scenario), Whole(r.Invocations), Whole(r.Users), Whole(r.Repetition), Whole(r.EventsPerInvocation), Whole(r.Events),
                CsvText.Number(r.ExecutionSeconds), CsvText.Number(r.EventsPerSecond), CsvText.Number(r.InvocationsPerSecond), Whole(r.Recorded),
                CsvText.Number(r.LatencyMs.Mean), CsvText.Number(r.LatencyMs.P50), CsvText.Number(r.LatencyMs.P90), CsvText.Number(r.LatencyMs.P99),
                CsvText.Number(r.LatencyMs.Max), Whole(r.StepsPerInvocation), CsvText.Number(r.Efficiency), CsvText.Number(r.FloorRate),
                r.FloorRate is null ? string.Empty : FloorUnit(r.Scenario), CsvText.Field(r.FloorSource), CsvText.Number(FloorSliceSeconds(r))).Append('\n');
        }

        return csv.ToString();
    }

    /// <summary><c>summary.csv</c> of <paramref name="document"/>, computed from its results (so older documents get every column).</summary>
    public static string Summary(ResultsDocument document)
    {
        string identity = RunIdentity.Of(document).Columns();
        var csv = new StringBuilder(SummaryHeader).Append('\n');
        foreach (ScenarioSummary s in ScenarioSummary.Of(document.Results))
        {
            csv.Append(identity).Append(',').AppendJoin(',',
                CsvText.Field(s.Scenario), Whole(s.Invocations), Whole(s.Users), Whole(s.Repetitions), CsvText.Number(s.MeanExecutionSeconds),
                CsvText.Number(s.MeanEventsPerSecond), CsvText.Number(s.MeanInvocationsPerSecond), CsvText.Number(s.Cv), CsvText.Number(s.Ci95),
                CsvText.Number(s.MeanLatencyMs), CsvText.Number(s.MeanEfficiency)).Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>What <c>floorRate</c> counts: <c>steps/s</c> (storage steps) or <c>requests/s</c> (HTTP requests, statefun).</summary>
    public static string FloorUnit(string scenario)
        => Scenarios.IsKnown(scenario) && Scenarios.Get(scenario).Floor == FloorKind.Http ? "requests/s" : "steps/s";

    /// <summary>
    /// The seconds of HTTP floor slices taken out of a statefun unit's execution time (floor in turns): two no-op
    /// requests per login of every chunk after a segment's first, at the unit's floor rate. 0 for every other result, so
    /// (last endUtc - first startUtc in events.csv) - floorSliceSeconds = executionSeconds.
    /// </summary>
    public static double FloorSliceSeconds(ScenarioResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (r.FloorSource != ScenarioResult.TurnsFloor || r.FloorRate is not double rate || rate <= 0)
        {
            return 0;
        }

        long requests = 0;
        for (int first = 0; first < r.Invocations; first += BenchPlan.StateFunSegmentLogins)
        {
            int count = Math.Min(BenchPlan.StateFunSegmentLogins, r.Invocations - first);
            int chunk = EventsCsv.ChunkLogins(count);
            requests += 2L * chunk * (((count + chunk - 1) / chunk) - 1);
        }

        return requests / rate;
    }

    private static string Whole(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
