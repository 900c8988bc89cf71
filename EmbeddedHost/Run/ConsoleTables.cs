using FunctionsBench.BenchOrchestrator.Floors;
using FunctionsBench.BenchOrchestrator.History;
using Spectre.Console;

namespace FunctionsBench.Embedded.Run;

/// <summary>The run's detail tables on the console: floors, one table per scenario, repetitions, History, storage requests, queues.</summary>
public static class ConsoleTables
{
    /// <summary>
    /// Prints the floors, then one table per scenario (invocations, execution time, throughput, as the thesis' tables 5.3
    /// and 5.4) with latency percentiles and efficiency against the floor, then the History cross-check and the queue
    /// depths when the document has them (a backlog judged against the units' timed windows, from <paramref name="events"/>).
    /// Short headers keep every table within 100 columns.
    /// </summary>
    public static void PrintTables(IAnsiConsole console, ResultsDocument document, Inspection? inspection, IReadOnlyList<EventRecord> events)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(events);
        if (document.Storage is { } storage)
        {
            console.MarkupLineInterpolated($"Storage: {storage.Describe()}");
        }

        PrintFloors(console, document.Floors);
        foreach (IGrouping<string, ScenarioResult> scenario in document.Results.GroupBy(r => r.Scenario))
        {
            var table = new Table { Title = new TableTitle(Markup.Escape(ScenarioTitle(document, scenario.Key))) };
            table.AddColumns(ResultColumns);
            RightAlign(table, 0);
            foreach (ScenarioResult r in scenario)
            {
                table.AddRow(
                    r.Users > 1 || (BenchOrchestrator.Scenarios.IsKnown(r.Scenario) && BenchOrchestrator.Scenarios.Get(r.Scenario).HasUsers) ? $"{I(r.Invocations)} u{I(r.Users)}" : I(r.Invocations),
                    I(r.Repetition), Seconds(r.ExecutionSeconds), F(r.EventsPerSecond, "0.0"), F(r.InvocationsPerSecond, "0.0"),
                    r.Recorded == r.Invocations ? I(r.Recorded) : $"[red]{r.Recorded}[/]",
                    Format.Sig(r.LatencyMs.P50), Format.Sig(r.LatencyMs.P90), Format.Sig(r.LatencyMs.P99), Format.Sig(r.LatencyMs.Max), Ratio(r.Efficiency),
                    FloorCell(r));
            }

            console.Write(table);
        }

        if (document.Results.Any(r => r.FloorRate is not null))
        {
            console.WriteLine(FloorLegend);
        }

        PrintCart(console, document.Results);

        if (document.Settings.Repetitions > 1)
        {
            var summary = new Table { Title = new TableTitle("Over repetitions (throughput)") };
            summary.AddColumns("Scenario", "N", "Reps", "Mean s", "Events/s", "CV", "±95% CI", "Eff");
            RightAlign(summary, 1);
            foreach (ScenarioSummary s in document.Summary)
            {
                summary.AddRow(
                    s.Scenario, I(s.Invocations), I(s.Repetitions), Seconds(s.MeanExecutionSeconds), F(s.MeanEventsPerSecond, "0.0"),
                    s.Cv is double cv ? F(cv, "0.000") : "-", s.Ci95 is double ci ? F(ci, "0.0") : "-", Ratio(s.MeanEfficiency));
            }

            console.Write(summary);
        }

        foreach (string note in StorageFaults.Notes(inspection))
        {
            console.MarkupLineInterpolated($"[yellow]Storage faults: {note}[/]");
        }

        PrintDrift(console, inspection?.Drift ?? LatencyDrift.Of(events));
        PrintHistoryCheck(console, inspection?.HistoryCheck);
        PrintStorageRequests(console, inspection);
        PrintQueueDepths(console, document, inspection, UnitWindow.Of(events));
    }

    /// <summary>The cart units: throughput and latency per operation type against users, and their invariants.</summary>
    private static void PrintCart(IAnsiConsole console, IReadOnlyList<ScenarioResult> results)
    {
        ScenarioResult[] carts = [.. results.Where(r => r.Cart is not null)];
        if (carts.Length == 0)
        {
            return;
        }

        var table = new Table { Title = new TableTitle("Shopping cart (latency p50/p99 ms per operation)") };
        table.AddColumns("Scenario", "N", "Users", "Ops/s", "Checkouts/s", "Steps", "AddToCart", "Checkout", "ClearCart", "RestockItem", "Invariants");
        RightAlign(table, 1);
        foreach (ScenarioResult r in carts)
        {
            CartFigures cart = r.Cart!;
            string Latency(string kind) => cart.LatencyMsByOperation.TryGetValue(kind, out LatencySummary? l) ? $"{Format.Sig(l.P50)}/{Format.Sig(l.P99)}" : "-";
            int held = r.Invariants?.Count(i => i.Holds) ?? 0;
            int all = r.Invariants?.Count ?? 0;
            table.AddRow(
                Markup.Escape(r.Scenario), I(r.Invocations), I(r.Users), F(r.InvocationsPerSecond, "0.0"), F(cart.CheckoutsPerSecond, "0.00"), F(cart.StepsPerOperation, "0.00"),
                Latency("AddToCart"), Latency("Checkout"), Latency("ClearCart"), Latency("RestockItem"),
                held == all ? $"{held} of {all} hold" : $"[red]{held} of {all} hold[/]");
        }

        console.Write(table);
    }

    /// <summary>Units whose latency rose within the unit beyond the threshold, with what grew with it; one line when none did.</summary>
    internal static void PrintDrift(IAnsiConsole console, IReadOnlyList<UnitDrift> drifts)
    {
        if (drifts.Count == 0)
        {
            return;
        }

        UnitDrift[] flagged = [.. drifts.Where(d => d.Flagged)];
        if (flagged.Length == 0)
        {
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Latency drift: none ({drifts.Count} units judged; {LatencyDrift.Rule})."));
            return;
        }

        var table = new Table
        {
            Title = new TableTitle($"[yellow]Latency drift[/] in {flagged.Length} of {drifts.Count} units: last tenth's p50 > first's + {LatencyDrift.Threshold:0%}"),
        };
        table.AddColumns("Scenario", "N", "Rep", "First ms", "Last ms", "×", "History", "Requests/inv, first → last");
        RightAlign(table, 1, last: 6);
        foreach (UnitDrift d in flagged)
        {
            string grew = string.Join(", ", d.Grew.Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Operation} {g.First:0.0#} → {g.Last:0.0#}")));
            table.AddRow(
                Markup.Escape(d.Scenario), I(d.Invocations), I(d.Repetition), Format.Sig(d.FirstTenthMedianMs), Format.Sig(d.LastTenthMedianMs), F(d.Ratio, "0.00"),
                Scenarios.IsKnown(d.Scenario) && Scenarios.Get(d.Scenario).IsDurable ? d.HistoryRowsBefore.ToString("N0", CultureInfo.InvariantCulture) : "-",
                Markup.Escape(grew.Length == 0 ? "-" : grew));
        }

        console.Write(table);
        console.WriteLine("Their throughput depends on N. History: rows this run had written before the unit (every segment's are kept).");
    }

    /// <summary>Storage requests per invocation, one line per result: the total and each operation counted.</summary>
    private static void PrintStorageRequests(IAnsiConsole console, Inspection? inspection)
    {
        if (inspection?.StorageRequests is not { Count: > 0 } counts)
        {
            return;
        }

        var table = new Table { Title = new TableTitle($"Storage requests per invocation (the floor's step has {StorageFloorProbe.OperationsPerStep})") };
        table.AddColumns("Scenario", "N", "Rep", "Total", "By operation (per invocation, from 0.05 up)");
        RightAlign(table, 1, last: 3);
        foreach (StorageRequestCount c in counts)
        {
            // An operation seen fewer than once in twenty invocations would print as 0.0: counted in the total, not listed.
            string operations = string.Join(", ", c.ByOperation.Where(o => o.Value >= 0.05).OrderByDescending(o => o.Value)
                .Select(o => string.Create(CultureInfo.InvariantCulture, $"{o.Key} {o.Value:0.0#}")));
            table.AddRow(Markup.Escape(c.Scenario), I(c.Invocations), I(c.Repetition), F(c.PerInvocation, "0.0#"), Markup.Escape(operations.Length == 0 ? "none" : operations));
        }

        console.Write(table);
    }

    /// <summary>The per-scenario table's headers: short, so eleven columns fit in 100.</summary>
    internal static readonly string[] ResultColumns = ["N", "Rep", "Time s", "Events/s", "Inv/s", "Rec", "p50", "p90", "p99", "max ms", "Eff", "Floor/s"];

    /// <summary>How to read the floor column and recompute an efficiency from the table.</summary>
    internal const string FloorLegend =
        "Eff = Inv/s × steps per invocation (in the title) ÷ Floor/s, the floor it used: u measured just before the unit, " +
        "t in turns with its logins, r the run's start floor (storage steps/s; HTTP requests/s for statefun).";

    /// <summary>
    /// A scenario table's title: the scenario, its steps per invocation, and the settings that apply to it (mode and
    /// storage are the Durable Functions units'; statefun uses neither).
    /// </summary>
    internal static string ScenarioTitle(ResultsDocument document, string scenario)
    {
        if (!Scenarios.IsKnown(scenario))
        {
            return scenario;
        }

        Scenario s = Scenarios.Get(scenario);
        string steps = s.Floor == FloorKind.Http ? $"{s.StepsPerInvocation} HTTP requests/inv" : $"{s.StepsPerInvocation} storage step{(s.StepsPerInvocation == 1 ? string.Empty : "s")}/inv";
        return s.IsDurable
            ? $"{scenario}: {steps} ({document.Settings.Mode}, {document.Host}, {document.StorageProvider})"
            : $"{scenario}: {steps} (request-reply HTTP, {document.Host} host)";
    }

    /// <summary>The floor rate an efficiency used, with its source's initial (u, t, r), so the row can be recomputed.</summary>
    internal static string FloorCell(ScenarioResult r)
        => r.FloorRate is double rate ? $"{Format.Sig(rate)} {(r.FloorSource is { Length: > 0 } source ? source[..1] : "?")}" : "-";

    /// <summary>The History cross-check: recorded against written times, and rows per invocation against the formula.</summary>
    private static void PrintHistoryCheck(IAnsiConsole console, HistoryCheck? check)
    {
        if (check is null)
        {
            return;
        }

        if (!check.Available || check.Results.Count == 0)
        {
            // Unavailable is a warning; available with nothing to match (no Durable Functions unit) is not.
            string note = Markup.Escape(string.Join(" ", check.Notes.Take(1)));
            console.MarkupLine($"History cross-check ({Markup.Escape(HistoryTableReader.TableName(check.TaskHub))}): {(check.Available ? note : $"[yellow]{note}[/]")}");
            return;
        }

        var table = new Table { Title = new TableTitle($"History cross-check ({HistoryTableReader.TableName(check.TaskHub)})") };
        table.AddColumns("Scenario", "N", "Rep", "Rec", "Match", "Ev/inv", "Hist", "Start gap", "End gap");
        RightAlign(table, 1);
        foreach (HistoryCheckResult r in check.Results)
        {
            string measured = r.MeasuredEventsPerInvocation is double m ? F(m, "0.##") : "-";
            if (r.MeasuredEventsPerInvocation is double mm && Math.Abs(mm - r.EventsPerInvocation) >= 0.005)
            {
                measured = $"[yellow]{measured}[/]";
            }

            table.AddRow(
                r.Scenario, I(r.Invocations), I(r.Repetition), I(r.Recorded), r.Matched == r.Recorded ? I(r.Matched) : $"[yellow]{r.Matched}[/]",
                I(r.EventsPerInvocation), measured, Gap(r.StartGapMs), Gap(r.EndGapMs));
        }

        console.Write(table);
        console.WriteLine("Ev/inv: events per invocation by formula 4.1; Hist: History rows per invocation; gaps: p50/max ms.");
        foreach (HistoryCheckResult r in check.Results.Where(r => r.Note is not null))
        {
            console.MarkupLine($"  {Markup.Escape($"{r.Scenario} N={r.Invocations} rep {r.Repetition}: {r.Note}")}");
        }
    }

    /// <summary>
    /// One line on the queue depths: their peaks and whether a backlog built, in yellow where it did inside a Durable
    /// Functions unit's timed window (its figures then include queueing), plainly where it did only elsewhere.
    /// </summary>
    private static void PrintQueueDepths(IAnsiConsole console, ResultsDocument document, Inspection? inspection, IReadOnlyList<UnitWindow> windows)
    {
        if (inspection?.QueueDepths is not { Count: > 0 } samples)
        {
            return;
        }

        int threshold = QueueDepthSample.BacklogAbove(document.Settings.Parallelism);
        var (measured, elsewhere) = QueueDepthSample.BacklogsByWindow(samples, threshold, windows, document.StartedAt);
        static string At(IEnumerable<(double From, double To, int Deepest)> backlogs)
            => string.Join(", ", backlogs.Select(b => $"t={F(b.From, "0")}-{F(b.To, "0")} s (max {b.Deepest})"));
        string line = Markup.Escape($"Queue depths: {samples.Count} samples, at most {samples.Max(s => s.Control)} control and {samples.Max(s => s.WorkItems)} work-item messages");
        if (measured.Count == 0 && elsewhere.Count == 0)
        {
            line += Markup.Escape($"; no backlog (never more than {threshold}).");
        }

        if (measured.Count > 0)
        {
            line += $"; [yellow]backlog above {threshold} messages in Durable Functions units at {Markup.Escape(At(measured))}: there the benchmark measures queueing[/]";
        }

        if (elsewhere.Count > 0)
        {
            line += Markup.Escape($"; above {threshold} only outside the Durable Functions units' timed windows at {At(elsewhere)}, so in no figure");
        }

        console.MarkupLine(measured.Count + elsewhere.Count == 0 ? line : line + ".");
    }

    /// <summary>The floors the efficiencies are measured against; why one is missing goes below the table, where it does not wrap it.</summary>
    private static void PrintFloors(IAnsiConsole console, BenchFloors? floors)
    {
        var table = new Table { Title = new TableTitle("Floors at the run's start (each unit's own is in its table)") };
        table.AddColumns("Floor", "Rate", "Mean ms", "p50 ms", "p99 ms", "Against");
        RightAlign(table, 1, last: 4);
        var reasons = new List<string>();
        if (floors?.Storage is { } storage)
        {
            table.AddRow("storage step", $"{F(storage.StepsPerSecond, "0.0")} steps/s", F(storage.MsPerStep.Mean, "0.00"), F(storage.MsPerStep.P50, "0.00"), F(storage.MsPerStep.P99, "0.00"), Markup.Escape(storage.Connection));
        }
        else
        {
            table.AddRow("storage step", "[red]not measured[/]", "-", "-", "-", "see below");
            reasons.Add($"storage floor not measured: {floors?.StorageError ?? "no floors in this document"}");
        }

        if (floors?.Http is { } http)
        {
            table.AddRow("HTTP request", $"{F(http.RequestsPerSecond, "0.0")} req/s", F(http.Ms.Mean, "0.000"), F(http.Ms.P50, "0.000"), F(http.Ms.P99, "0.000"), Markup.Escape(http.Url));
        }
        else
        {
            table.AddRow("HTTP request", "[red]not measured[/]", "-", "-", "-", "see below");
            reasons.Add($"HTTP floor not measured: {floors?.HttpError ?? "no floors in this document"}");
        }

        console.Write(table);
        foreach (string reason in reasons)
        {
            console.MarkupLine($"  [red]{Markup.Escape(reason)}[/]");
        }
    }

    private static void RightAlign(Table table, int first, int? last = null)
    {
        for (int column = first; column <= (last ?? table.Columns.Count - 1); column++)
        {
            table.Columns[column].RightAligned();
        }
    }

    /// <summary>An execution time as every console table prints it: three decimals below a second, two from there.</summary>
    internal static string Seconds(double value) => F(value, value < 1 ? "0.###" : "0.00");

    private static string Gap(GapStatistics? gap) => gap is null ? "-" : $"{F(gap.Median, "0.0")}/{F(gap.Max, "0.0")}";

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Ratio(double? value) => value is double v ? F(v, "0.00") : "-";

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
