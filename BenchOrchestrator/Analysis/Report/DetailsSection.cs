using FunctionsBench.BenchOrchestrator.Floors;
using static FunctionsBench.BenchOrchestrator.Report.Html;

namespace FunctionsBench.BenchOrchestrator.Report;

/// <summary>The run's own figures in full: every result, the means over repetitions, the floors and where the time above them goes.</summary>
internal static class DetailsSection
{
    public static string Results(ResultsDocument document)
    {
        var rows = document.Results.Select(r => (IEnumerable<string>)[
            E(r.Scenario), W(r.Invocations), W(r.Repetition), N(r.ExecutionSeconds, "0.00"), N(r.EventsPerSecond), N(r.InvocationsPerSecond),
            r.Recorded == r.Invocations ? W(r.Recorded) : $"<b class=\"bad\">{W(r.Recorded)}</b>", Sig(r.LatencyMs.Mean), Sig(r.LatencyMs.P50), Sig(r.LatencyMs.P90),
            Sig(r.LatencyMs.P99), Sig(r.LatencyMs.Max), W(r.StepsPerInvocation), N(r.Efficiency, "0.00"), FloorRate(r), E(r.FloorSource ?? "")]);
        return "<h2>Every result</h2>" +
            Table(["scenario", "N", "rep", "time (s)", "events/s", "invocations/s", "recorded", "mean (ms)", "p50", "p90", "p99", "max", "steps/inv", "efficiency", "floor (/s)", "floor"], rows) +
            Note("N: invocations; time: from the first invocation's start to the last one's end; latencies in ms; recorded: timing records read back (red when fewer than N). " +
                "Efficiency = invocations/s × steps/inv ÷ floor, the floor this unit was measured against (storage steps/s; HTTP requests/s for statefun): " +
                "unit = measured just before the unit, turns = in turns with its logins, run = the run's start floor (the unit's could not be measured).");
    }

    /// <summary>The floor rate a result's efficiency used, to the precision its efficiency can be recomputed with.</summary>
    private static string FloorRate(ScenarioResult r) => r.FloorRate is double rate ? N(rate, rate >= 100 ? "#,0.0" : "0.00") : "&ndash;";

    public static string Summary(IReadOnlyList<ScenarioSummary> summaries)
    {
        var rows = summaries.Select(s => (IEnumerable<string>)[
            E(s.Scenario), W(s.Invocations), W(s.Repetitions), N(s.MeanExecutionSeconds, "0.00"), N(s.MeanEventsPerSecond), N(s.Cv, "0.000"), N(s.Ci95),
            N(s.MeanInvocationsPerSecond), Sig(s.MeanLatencyMs), N(s.MeanEfficiency, "0.00")]);
        return "<h2>Over repetitions</h2>" +
            Table(["scenario", "N", "reps", "mean time (s)", "mean events/s", "CV", "&plusmn;95% CI", "mean inv/s", "mean latency (ms)", "mean efficiency"], rows) +
            Note("CV and the 95% confidence interval of the mean (Student's t) concern events/s and need at least two repetitions.");
    }

    public static string Floors(ResultsDocument document)
    {
        if (document.Floors is not { } floors)
        {
            return "<h2>Floors</h2>" + Note("This results document has no floors (it predates them).");
        }

        var rows = new List<IEnumerable<string>>
        {
            floors.Storage is { } s
                ? [I($"storage step ({s.OperationsPerStep} operations)"), I($"{s.StepsPerSecond:0.0} steps/s"), N(s.MsPerStep.Mean, "0.00"), N(s.MsPerStep.P50, "0.00"), N(s.MsPerStep.P99, "0.00"), I($"{s.Steps} in {s.Seconds:0.0} s"), E(s.Connection)]
                : ["storage step", $"not measured: {E(floors.StorageError ?? "no reason recorded")}", "", "", "", "", ""],
            floors.Http is { } h
                ? [I($"HTTP POST of {h.BodyBytes} bytes"), I($"{h.RequestsPerSecond:0.0} requests/s"), N(h.Ms.Mean, "0.000"), N(h.Ms.P50, "0.000"), N(h.Ms.P99, "0.000"), I($"{h.Requests} in {h.Seconds:0.0} s"), E(h.Url)]
                : ["HTTP request", $"not measured: {E(floors.HttpError ?? "no reason recorded")}", "", "", "", "", ""],
        };
        return "<h2>Floors</h2>" + Table(["floor", "rate", "mean (ms)", "p50", "p99", "measured", "against"], rows) +
            Note("These are the floors measured at the start of the run. Each unit's efficiency uses the floor measured for it (its rate and source are in " +
                "the last columns of 'Every result'), so an efficiency is recomputed from that row, not from this table.") +
            Note("The storage floor is the storage operations one sequential step of the Azure Storage provider needs at minimum (control-queue receive, " +
                "History batch of 4, Instances upsert, work-item send, control delete, work-item receive, control send, work-item delete), one step after " +
                "another against the task hub's account; the HTTP floor is sequential StateFun-sized POSTs to the host's no-op endpoint. Each unit is measured " +
                "against a floor taken just before it; a statefun unit against the HTTP floor measured in turns with its chunks of logins (floor source 'turns'), " +
                "whose slices are left out of its execution time. Efficiency = invocations/s × steps per invocation ÷ the floor's rate (df-activity 1, " +
                "df-suborchestration 3, df-entity 2 storage steps; statefun 2 HTTP requests).");
    }

    /// <summary>A time per step with three significant digits, so that 0.040 and 5.98 read as the floors table prints them.</summary>
    private static string FloorMsText(double ms) => Format.Sig(ms);

    /// <summary>Per (scenario, N): how much longer a floor step took in the scenario than in the floor, and where that time goes.</summary>
    public static string RemainingTime(IReadOnlyList<ScenarioSummary> summaries, ResultsDocument document, Inspection? inspection)
    {
        var items = new List<string>();
        foreach (ScenarioSummary s in summaries.Where(s => Scenarios.IsKnown(s.Scenario)))
        {
            double[] rates = [.. document.Results.Where(r => r.Scenario == s.Scenario && r.Invocations == s.Invocations && r.FloorRate is not null).Select(r => r.FloorRate!.Value)];
            if (s.MeanEfficiency is not double efficiency || efficiency <= 0 || rates.Length == 0)
            {
                continue;
            }

            bool http = Scenarios.Get(s.Scenario).Floor == FloorKind.Http;
            // The units' own floors, as 'Every result' lists them; the start floor only where a unit had none of its own.
            string[] sources = [.. document.Results.Where(r => r.Scenario == s.Scenario && r.Invocations == s.Invocations && r.FloorSource is not null).Select(r => r.FloorSource!).Distinct()];
            string against = sources.Length == 1 ? sources[0] switch
            {
                ScenarioResult.UnitFloor => rates.Length == 1 ? "its unit floor" : I($"its unit floors (mean of {rates.Length})"),
                ScenarioResult.TurnsFloor => rates.Length == 1 ? "its floor in turns" : I($"its floors in turns (mean of {rates.Length})"),
                _ => "the run's start floor",
            } : "its floors";
            double floorMs = 1000 / rates.Average(), stepMs = floorMs / efficiency;
            string unit = http ? "HTTP request" : "storage step";
            string where = http
                ? "between the no-op's bare request and the real one: the greeter's work (protobuf, state, the reply) and the driver's bookkeeping"
                : "outside the floor's storage operations: in the Durable Task engine (polling and its back-off, history loading and replay, serialization, the extra storage calls a real step makes) and in recording the timings";
            string floorText = I($"{against} of {FloorMsText(floorMs)} ms ({rates.Average():#,0.0} per second, as in 'Every result')");
            string text = efficiency >= 1
                ? I($"{s.Scenario} at N={s.Invocations} reached its floor ({FloorMsText(stepMs)} ms per {unit} against {floorText}): nothing measurable is left above it.")
                : I($"{s.Scenario} at N={s.Invocations} took {FloorMsText(stepMs)} ms per {unit} against {floorText}, efficiency {efficiency:0.00}; the remaining {FloorMsText(stepMs - floorMs)} ms ({1 - efficiency:0%}) is spent {where}.");
            if (!http && inspection?.StorageRequests?.Where(c => c.Scenario == s.Scenario && c.Invocations == s.Invocations).ToArray() is { Length: > 0 } counts)
            {
                string top = string.Join(", ", counts.SelectMany(c => c.ByOperation.Keys).Distinct()
                    .Select(o => (Operation: o, PerInvocation: counts.Average(c => c.ByOperation.GetValueOrDefault(o))))
                    .OrderByDescending(o => o.PerInvocation).Take(3).Select(o => I($"{o.Operation} {o.PerInvocation:0.0}")));
                text += I($" Counted: {counts.Average(c => c.PerInvocation):0.0} storage requests per invocation where the floor has {Scenarios.Get(s.Scenario).StepsPerInvocation * StorageFloor.StepOperations} (most: {top}); requests differ in cost (an empty receive is cheap), so the count explains the extra work, not its exact time.");
            }

            items.Add($"<li>{E(text)}</li>");
        }

        return "<h2>Where the time above the floor goes</h2>" + (items.Count == 0
            ? Note("No efficiency could be computed: the floors were not measured.")
            : new StringBuilder("<ul>").AppendJoin(string.Empty, items).Append("</ul>").ToString());
    }
}
