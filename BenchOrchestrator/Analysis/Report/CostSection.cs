using FunctionsBench.BenchOrchestrator.Cost;
using static FunctionsBench.BenchOrchestrator.Report.Html;

namespace FunctionsBench.BenchOrchestrator.Report;

/// <summary>
/// What a million invocations cost: on the first screen one figure per scenario and N (and each way of running it), and
/// further down every figure's lines with the counts and prices they are made of, so each can be redone by hand.
/// </summary>
internal static class CostSection
{
    /// <summary>The first screen's table: the mean over repetitions of each option per (scenario, N).</summary>
    public static string Headline(Inspection? inspection)
    {
        if (inspection?.Cost is not { Results.Count: > 0 } cost)
        {
            return string.Empty;
        }

        string[] keys = [.. cost.Results.SelectMany(u => u.Options.Select(o => o.Key)).Distinct()];
        var rows = cost.Results.GroupBy(u => (u.Scenario, u.Invocations)).Select(g => (IEnumerable<string>)[
            HeadlineSection.Swatch(g.Key.Scenario), I($"{g.Key.Invocations}"),
            .. keys.Select(k => Mean(g, k, cost.Prices.Currency))]);
        return "<h2>$ per million invocations</h2>" +
            // Headers on two lines, so the table fits the page beside the others (1400 px).
            Table(["scenario", "N", .. keys.Select(k => E(Label(k)).Replace(" + ", "<br>+ ", StringComparison.Ordinal).Replace(", ", ",<br>", StringComparison.Ordinal))], rows, "headline") +
            Note($"Means over repetitions, priced with {cost.Prices.Id} ({cost.Prices.Path}). '>=' marks a lower bound: a count with no sourced price " +
                 "(table transactions; the Durable Task Scheduler's price per action) is left out and named in the cost section, never estimated. " +
                 "StateFun: the remote function's executions only; the Flink cluster's cost is outside what this measures.");
    }

    /// <summary>How every figure is made: per unit and option, its lines with counts, prices and arithmetic.</summary>
    public static string Details(Inspection? inspection)
    {
        if (inspection?.Cost is not { } cost)
        {
            return string.Empty;
        }

        var html = new StringBuilder("<h2>Cost: how each figure is made</h2>");
        html.Append(I($"<p>Price file <b>{E(cost.Prices.Id)}</b> ({E(cost.Prices.Path)}, sha256 {E(cost.Prices.Sha256[..12])}…), {E(cost.Prices.Currency)}.</p>"));
        html.Append("<ul class=\"note\">").Append(string.Concat(cost.Notes.Select(n => $"<li>{E(n)}</li>"))).Append("</ul>");
        if (inspection.Executions is { Count: > 0 } executions)
        {
            var rows = executions.Select(c => (IEnumerable<string>)[
                E(c.Scenario), I($"{c.Invocations}"), I($"{c.Repetition}"),
                .. FunctionExecutions.Kinds.Select(k => c.Of(k) is { Count: > 0 } t ? I($"{t.Count:#,0} ({t.Seconds / t.Count * 1000:0.##} ms)") : "&ndash;"),
                c.OrchestratorStartedRows is long h ? I($"{h:#,0}") : "&ndash;",
                c.OrchestratorStartedRows is long r ? I($"{c.Of(FunctionExecutions.Orchestrator).Count - r:+#,0;-#,0;0}") : "&ndash;"]);
            html.Append(Table(["scenario", "N", "rep", "orchestrator episodes (mean)", "activities", "entity batches", "StateFun requests", "OrchestratorStarted rows", "episodes − rows"], rows))
                .Append(Note("Executions the host dispatched in each unit's window, against the History table's OrchestratorStarted rows in the same window " +
                    "(one per episode the Azure Storage provider ran for this run's instances). Entity batches write no OrchestratorStarted row of the run; " +
                    "a row's time is the episode's own start, so an episode at a window's edge may fall on either side."));
        }

        foreach (UnitCost unit in cost.Results)
        {
            html.Append(I($"<h3 style=\"font-size:1em\">{E(unit.Scenario)} N = {unit.Invocations} rep {unit.Repetition}</h3>"));
            html.Append(I($"<p class=\"note\">{unit.ExecutionsPerInvocation:0.####} executions and {unit.ExecutionSecondsPerInvocation * 1000:0.###} ms of execution time per invocation"))
                .Append(unit.SchedulerActionsPerInvocation is double a ? I($"; {a:0.####} scheduler actions") : string.Empty)
                .Append(unit.StorageTransactionsPerInvocation is { } t
                    ? "; storage transactions per invocation: " + E(string.Join(", ", t.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value:0.###}"))))
                    : string.Empty)
                .Append(".</p>");
            var rows = unit.Options.SelectMany(o => o.Lines.Select((l, i) => (IEnumerable<string>)[
                i == 0 ? $"<b>{E(o.Label)}</b><br>{E(o.Text(cost.Prices.Currency))}" : string.Empty,
                E(l.Item), l.Dollars is double d ? E(CostOption.Money(d, cost.Prices.Currency)) : "<span class=\"differs\">not priced</span>",
                $"<span class=\"text\">{E(l.Formula)}</span>"]));
            html.Append("<div class=\"wide\">").Append(Table(["option (per million invocations)", "item", "amount", "how"], rows)).Append("</div>");
        }

        return html.ToString();
    }

    /// <summary>How the headline table names an option.</summary>
    public static string Label(string key) => key switch
    {
        "storage-v1+consumption" => "Storage v1 + Consumption",
        "storage-v2+consumption" => "Storage v2 + Consumption",
        "storage-v1+flex" => "Storage v1 + Flex",
        "storage-v2+flex" => "Storage v2 + Flex",
        "scheduler+consumption" => "Scheduler + Consumption",
        CostModel.Consumption => "remote fn, Consumption",
        CostModel.FlexConsumption => "remote fn, Flex",
        _ => key,
    };

    private static string Mean(IEnumerable<UnitCost> units, string key, string currency)
    {
        CostOption[] options = [.. units.SelectMany(u => u.Options.Where(o => o.Key == key))];
        if (options.Length == 0)
        {
            return "&ndash;";
        }

        double mean = options.Average(o => o.Dollars);
        return E((options.All(o => o.Complete) ? string.Empty : ">= ") + CostOption.Money(mean, currency));
    }
}
