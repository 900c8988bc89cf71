using FunctionsBench.BenchOrchestrator.Cost;

namespace FunctionsBench.BenchOrchestrator.Csv;

/// <summary>
/// The cost columns at the end of <c>results.csv</c> and <c>summary.csv</c>: dollars per million invocations for each
/// way of running the scenario, the counts they come from, and the price file's id. Empty where a run has no cost.
/// </summary>
public static class CostCsv
{
    /// <summary>The options' columns, in order: option key to column name.</summary>
    public static readonly IReadOnlyList<(string Option, string Column)> OptionColumns =
    [
        ("storage-v1+consumption", "perMillionStorageV1Consumption"),
        ("storage-v2+consumption", "perMillionStorageV2Consumption"),
        ("storage-v1+flex", "perMillionStorageV1Flex"),
        ("storage-v2+flex", "perMillionStorageV2Flex"),
        ("scheduler+consumption", "perMillionSchedulerConsumption"),
        (CostModel.Consumption, "perMillionConsumption"),
        (CostModel.FlexConsumption, "perMillionFlexConsumption"),
    ];

    /// <summary>The columns added to results.csv.</summary>
    public static readonly string ResultsColumns =
        "storageTransactionsPerInvocation,executionsPerInvocation,executionSecondsPerInvocation,schedulerActionsPerInvocation," +
        string.Join(',', OptionColumns.Select(c => c.Column)) + ",perMillionHeadline,perMillionComplete,pricesId";

    /// <summary>The columns added to summary.csv.</summary>
    public const string SummaryColumns = "meanPerMillionHeadline,perMillionComplete,pricesId";

    /// <summary><paramref name="resultsCsv"/> (rows in <paramref name="document"/>'s result order) with the cost columns appended.</summary>
    public static string AppendToResults(string resultsCsv, ResultsDocument document, CostReport? cost)
    {
        ArgumentNullException.ThrowIfNull(resultsCsv);
        ArgumentNullException.ThrowIfNull(document);
        return Append(resultsCsv, ResultsColumns, document.Results.Select(r => Unit(cost, r.Scenario, r.Invocations, r.Repetition) is { } u ? Row(u, cost!) : Empty(ResultsColumns)));
    }

    /// <summary><paramref name="summaryCsv"/> (rows in <see cref="ScenarioSummary.Of"/> order) with the mean headline cost appended.</summary>
    public static string AppendToSummary(string summaryCsv, ResultsDocument document, CostReport? cost)
    {
        ArgumentNullException.ThrowIfNull(summaryCsv);
        ArgumentNullException.ThrowIfNull(document);
        return Append(summaryCsv, SummaryColumns, ScenarioSummary.Of(document.Results).Select(s =>
        {
            UnitCost[] units = cost is null ? [] : [.. cost.Results.Where(u => u.Scenario == s.Scenario && u.Invocations == s.Invocations)];
            return units.Length == 0
                ? Empty(SummaryColumns)
                : string.Join(',', CsvText.Number(Round(units.Average(u => u.Headline.Dollars))), units.All(u => u.Headline.Complete) ? "true" : "false", CsvText.Field(cost!.Prices.Id));
        }));
    }

    private static UnitCost? Unit(CostReport? cost, string scenario, int invocations, int repetition)
        => cost?.Results.FirstOrDefault(u => u.Scenario == scenario && u.Invocations == invocations && u.Repetition == repetition);

    private static string Row(UnitCost u, CostReport cost)
    {
        string transactions = u.StorageTransactionsPerInvocation is { } t ? CsvText.Number(t.Values.Sum()) : string.Empty;
        IEnumerable<string> options = OptionColumns.Select(c => u.Options.FirstOrDefault(o => o.Key == c.Option) is { } o ? CsvText.Number(Round(o.Dollars)) : string.Empty);
        return string.Join(',', [
            transactions, CsvText.Number(u.ExecutionsPerInvocation), Precise(u.ExecutionSecondsPerInvocation), CsvText.Number(u.SchedulerActionsPerInvocation),
            .. options, CsvText.Number(Round(u.Headline.Dollars)), u.Headline.Complete ? "true" : "false", CsvText.Field(cost.Prices.Id)]);
    }

    /// <summary>Dollars per million to the cent (three decimals, as the CSVs write every number).</summary>
    private static double Round(double dollars) => Math.Round(dollars, 3);

    private static string Precise(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    private static string Empty(string columns) => new(',', columns.Count(c => c == ','));

    private static string Append(string csv, string header, IEnumerable<string> rows)
    {
        string[] lines = csv.TrimEnd('\n').Split('\n');
        string[] added = [.. rows];
        if (added.Length != lines.Length - 1)
        {
            throw new InvalidOperationException($"The CSV has {lines.Length - 1} rows and the cost {added.Length}.");
        }

        var text = new StringBuilder(lines[0]).Append(',').Append(header).Append('\n');
        for (int i = 1; i < lines.Length; i++)
        {
            text.Append(lines[i]).Append(',').Append(added[i - 1]).Append('\n');
        }

        return text.ToString();
    }
}
