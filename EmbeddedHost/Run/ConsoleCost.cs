using FunctionsBench.BenchOrchestrator.Cost;
using Spectre.Console;

namespace FunctionsBench.Embedded.Run;

/// <summary>The console's "$ per million invocations" table, beside the headline; and the same figure across runs for <c>./bench compare</c>.</summary>
public static class ConsoleCost
{
    /// <summary>Prints each (scenario, N)'s mean cost per million invocations for every way of running it; nothing without a cost.</summary>
    public static void Print(IAnsiConsole console, Inspection? inspection)
    {
        ArgumentNullException.ThrowIfNull(console);
        if (inspection?.Cost is not { Results.Count: > 0 } cost)
        {
            return;
        }

        // StateFun's options (the remote function alone) go under the table, so it fits 100 columns.
        UnitCost[] durable = [.. cost.Results.Where(u => u.SchedulerActionsPerInvocation is not null)];
        UnitCost[] remote = [.. cost.Results.Where(u => u.SchedulerActionsPerInvocation is null)];
        if (durable.Length > 0)
        {
            string[] keys = [.. durable.SelectMany(u => u.Options.Select(o => o.Key)).Distinct()];
            var table = new Table { Title = new TableTitle($"$ per million invocations ({cost.Prices.Id}; >= : part not priced)") };
            table.AddColumns(["Scenario", "N", .. keys.Select(Short)]);
            foreach (IGrouping<(string Scenario, int Invocations), UnitCost> unit in durable.GroupBy(u => (u.Scenario, u.Invocations)))
            {
                table.AddRow([Markup.Escape(unit.Key.Scenario), unit.Key.Invocations.ToString(CultureInfo.InvariantCulture), .. keys.Select(k => Mean(unit, k, cost.Prices.Currency))]);
            }

            for (int column = 1; column < table.Columns.Count; column++)
            {
                table.Columns[column].RightAligned();
            }

            console.Write(table);
        }

        foreach (IGrouping<(string Scenario, int Invocations), UnitCost> unit in remote.GroupBy(u => (u.Scenario, u.Invocations)))
        {
            string figures = string.Join(", ", unit.First().Options.Select(o => $"{Mean(unit, o.Key, cost.Prices.Currency)} on {Markup.Escape(o.Label.Replace("remote function on ", string.Empty, StringComparison.Ordinal))}"));
            console.MarkupLine($"{Markup.Escape(unit.Key.Scenario)} N={unit.Key.Invocations.ToString(CultureInfo.InvariantCulture)}: {figures} per million (the remote function's executions; the Flink cluster is not included)");
        }

        string[] notPriced = [.. cost.Results.SelectMany(u => u.Options.SelectMany(o => o.NotPriced)).Select(i => i.Split(" (")[0]).Distinct()];
        console.MarkupLine(Markup.Escape(
            (notPriced.Length == 0 ? "Every count is priced." : $"Not priced (no sourced price in the file), so left out of the figures marked >=: {string.Join(", ", notPriced)}.") +
            " report.html shows how each figure is made."));
    }

    /// <summary>For <c>./bench compare</c>: each run's headline cost per (scenario, N) against the first run's, all priced with one file.</summary>
    public static void PrintCompare(IAnsiConsole console, IReadOnlyList<(string Letter, Inspection? Inspection)> runs, CostPrices prices)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(prices);
        CostReport?[] costs = [.. runs.Select(r => prices.Price(r.Inspection)?.Cost)];
        if (costs.All(c => c is null))
        {
            console.MarkupLine("Cost: no run has execution counts (inspection.json of an embedded-host run of this version), so none is priced.");
            return;
        }

        var table = new Table { Title = new TableTitle($"$ per million invocations, headline option (ratio = run ÷ A; {prices.Identity.Id})") };
        table.AddColumns("Scenario", "N", "Run", "A", "Run $", "Ratio");
        (string, int)[] units = [.. costs.Where(c => c is not null).SelectMany(c => c!.Results.Select(u => (u.Scenario, u.Invocations))).Distinct()];
        foreach ((string scenario, int n) in units)
        {
            double? baseline = MeanHeadline(costs[0], scenario, n);
            for (int i = 1; i < runs.Count; i++)
            {
                double? other = MeanHeadline(costs[i], scenario, n);
                if (baseline is null && other is null)
                {
                    continue;
                }

                table.AddRow(
                    Markup.Escape(scenario), n.ToString(CultureInfo.InvariantCulture), runs[i].Letter, Money(baseline, prices.File.Currency), Money(other, prices.File.Currency),
                    baseline is > 0 && other is double o ? Format.Sig(o / baseline.Value) + "x" : "-");
            }
        }

        console.Write(table);
        console.MarkupLine("Headline option: Azure Storage v1 + Consumption (Durable Functions), Consumption (StateFun's remote function); lower bounds where a part is not priced.");
    }

    private static double? MeanHeadline(CostReport? cost, string scenario, int n)
    {
        UnitCost[] units = cost is null ? [] : [.. cost.Results.Where(u => u.Scenario == scenario && u.Invocations == n)];
        return units.Length == 0 ? null : units.Average(u => u.Headline.Dollars);
    }

    private static string Mean(IEnumerable<UnitCost> units, string key, string currency)
    {
        CostOption[] options = [.. units.SelectMany(u => u.Options.Where(o => o.Key == key))];
        return options.Length == 0 ? "-"
            : Markup.Escape((options.All(o => o.Complete) ? string.Empty : ">=") + CostOption.Money(options.Average(o => o.Dollars), currency));
    }

    private static string Money(double? value, string currency) => value is double v ? Markup.Escape(CostOption.Money(v, currency)) : "-";

    private static string Short(string key) => key switch
    {
        "storage-v1+consumption" => "v1+Cons",
        "storage-v2+consumption" => "v2+Cons",
        "storage-v1+flex" => "v1+Flex",
        "storage-v2+flex" => "v2+Flex",
        "scheduler+consumption" => "DTS+Cons",
        CostModel.Consumption => "fn Cons",
        CostModel.FlexConsumption => "fn Flex",
        _ => key,
    };
}
