using System.Security.Cryptography;

namespace FunctionsBench.BenchOrchestrator.Cost;

/// <summary>Which price file a cost came from: its id, where it was read, and a hash of its bytes.</summary>
/// <param name="Id">The file's <c>id</c>.</param>
/// <param name="Path">Where it was read.</param>
/// <param name="Currency">Its currency.</param>
/// <param name="Sha256">SHA-256 of the file's text (UTF-8), so two costs from different files never look alike.</param>
public sealed record PriceIdentity(string Id, string Path, string Currency, string Sha256)
{
    /// <summary>The identity of <paramref name="prices"/>, whose text was <paramref name="text"/>.</summary>
    public static PriceIdentity Of(PriceFile prices, string text)
    {
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentNullException.ThrowIfNull(text);
        return new PriceIdentity(prices.Id, prices.Path, prices.Currency, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))));
    }
}

/// <summary>One term of a cost: what it is, its amount per million invocations (null when not priced) and how it is made.</summary>
/// <param name="Item">What is priced (<c>queue.class2 on gpv2-lrs</c>, <c>executions</c>, <c>GB-s</c>, <c>actions</c>).</param>
/// <param name="Dollars">Its cost per million invocations in the price file's currency; null when its price is not sourced.</param>
/// <param name="Formula">The arithmetic, with the counts and the price, so it can be redone by hand.</param>
public sealed record CostLine(string Item, double? Dollars, string Formula);

/// <summary>
/// One way of running a scenario priced per million invocations: a storage backend with a hosting plan.
/// </summary>
/// <param name="Key">Its key (<c>storage-v1+consumption</c>, ...).</param>
/// <param name="Label">How tables name it.</param>
/// <param name="Dollars">The sum of the priced lines per million invocations.</param>
/// <param name="Complete">Whether every line with a count was priced; when false, <see cref="Dollars"/> is a lower bound.</param>
/// <param name="NotPriced">The items with a count but no sourced price.</param>
/// <param name="Lines">How the figure is made.</param>
public sealed record CostOption(string Key, string Label, double Dollars, bool Complete, IReadOnlyList<string> NotPriced, IReadOnlyList<CostLine> Lines)
{
    /// <summary>The figure as tables show it: <c>$1.23</c>, or <c>≥ $1.23</c> with the items not priced named apart.</summary>
    public string Text(string currency = "USD")
        => (this.Complete ? string.Empty : ">= ") + Money(this.Dollars, currency);

    /// <summary><paramref name="dollars"/> to the cent, or to 8 decimals below a cent.</summary>
    public static string Money(double dollars, string currency = "USD")
    {
        string symbol = currency == "USD" ? "$" : currency + " ";
        return dollars >= 0.01 || dollars == 0
            ? symbol + dollars.ToString("#,0.00", CultureInfo.InvariantCulture)
            : symbol + dollars.ToString("0.########", CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// The cost of one unit per million invocations (an entry of inspection.json's <c>cost.results</c>), from what the run
/// counted and the price file.
/// </summary>
/// <param name="Scenario">The scenario.</param>
/// <param name="Invocations">N.</param>
/// <param name="Repetition">The repetition.</param>
/// <param name="StorageTransactionsPerInvocation">Transactions per invocation by billing category on a v2 account (v1 differs only for blobs); null when not counted.</param>
/// <param name="ExecutionsPerInvocation">Billed function executions per invocation (Durable Functions: orchestrator episodes, activities, entity batches; StateFun: HTTP requests to the remote function).</param>
/// <param name="ExecutionSecondsPerInvocation">Their execution time per invocation.</param>
/// <param name="SchedulerActionsPerInvocation">Durable Task Scheduler actions per invocation (Durable Functions only).</param>
/// <param name="Options">Every way of running it, priced.</param>
public sealed record UnitCost(
    string Scenario, int Invocations, int Repetition, IReadOnlyDictionary<string, double>? StorageTransactionsPerInvocation, double ExecutionsPerInvocation,
    double ExecutionSecondsPerInvocation, double? SchedulerActionsPerInvocation, IReadOnlyList<CostOption> Options)
{
    /// <summary>The option the headline shows: Azure Storage on a v1 account with Consumption (Durable Functions), Consumption (StateFun).</summary>
    public CostOption Headline => this.Options[0];
}

/// <summary>inspection.json's <c>cost</c>: every unit priced with one price file.</summary>
/// <param name="Prices">The price file.</param>
/// <param name="Results">One entry per unit with counts.</param>
/// <param name="Notes">What the figures include and leave out.</param>
public sealed record CostReport(PriceIdentity Prices, IReadOnlyList<UnitCost> Results, IReadOnlyList<string> Notes);

/// <summary>
/// Prices a unit's counts. Every figure is per million invocations and is the plain sum of its lines: storage
/// transactions per invocation x 100 (10,000s per million) x the category's price; executions per invocation x the price
/// per million executions; billed seconds per invocation x 1,000,000 x memory in GB x the price per GB-s; Durable Task
/// Scheduler actions per invocation x the price per million actions. Free monthly grants are not taken off: they are
/// per subscription and month, not per invocation.
/// </summary>
public static class CostModel
{
    /// <summary>The Consumption plan's key in a price file.</summary>
    public const string Consumption = "consumption";

    /// <summary>The Flex Consumption plan's key in a price file.</summary>
    public const string FlexConsumption = "flexConsumption";

    /// <summary>Consumption bills memory rounded up to the next 128 MB (Azure Functions pricing page).</summary>
    public const double MemoryStepMb = 128;

    private const double Million = 1_000_000;

    /// <summary>What every cost figure includes and leaves out.</summary>
    public static readonly IReadOnlyList<string> Notes =
    [
        "Per million invocations, from the counts in each unit's window (everything the host did then: the invocations, idle polling of other queues, lease renewals, and the harness's own timing records and checkpoints).",
        "Free monthly grants (executions, GB-s) are per subscription and are not taken off.",
        "Consumption GB-s: every execution billed at least 100 ms, at the memory the price file assumes (rounded up to 128 MB); Flex Consumption: execution time at the instance memory, no minimum applied.",
        "Durable Task Scheduler: actions = orchestrator episodes + activity executions + entity batches (one action each, as its billing page counts a start, a scheduled activity and a processed result); compute is billed on top by the hosting plan.",
        "StateFun: the remote function's executions only (one HTTP-triggered execution per request); the Flink cluster (job and task managers, checkpoint storage) is outside what this measures.",
        "Storage capacity, bandwidth and the idle cost of a task hub (see the idle figure) are not included.",
    ];

    /// <summary>Prices every unit that has execution counts (and storage counts, for Durable Functions).</summary>
    public static CostReport Of(PriceFile prices, PriceIdentity identity, IReadOnlyList<ExecutionCount> executions, IReadOnlyList<StorageRequestCount>? storage)
    {
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentNullException.ThrowIfNull(executions);
        var results = new List<UnitCost>();
        foreach (ExecutionCount count in executions)
        {
            StorageRequestCount? requests = storage?.FirstOrDefault(s => s.Scenario == count.Scenario && s.Invocations == count.Invocations && s.Repetition == count.Repetition);
            results.Add(Unit(prices, count, requests));
        }

        return new CostReport(identity, results, Notes);
    }

    /// <summary>
    /// One unit priced. A Durable Functions unit (the scenario registry's <see cref="Scenario.IsDurable"/>) is priced on
    /// Azure Storage v1 and v2 with Consumption and Flex Consumption, and on the Durable Task Scheduler with Consumption;
    /// a StateFun unit only as the remote function's executions on Consumption and Flex Consumption.
    /// </summary>
    public static UnitCost Unit(PriceFile prices, ExecutionCount executions, StorageRequestCount? storage)
    {
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentNullException.ThrowIfNull(executions);
        bool durable = !Scenarios.IsKnown(executions.Scenario) || Scenarios.Get(executions.Scenario).IsDurable;
        string[] kinds = durable ? [FunctionExecutions.Orchestrator, FunctionExecutions.Activity, FunctionExecutions.Entity] : [FunctionExecutions.Http];
        int n = executions.Invocations;
        ExecutionTally[] tallies = [.. kinds.Select(executions.Of)];
        double perInvocation = (double)tallies.Sum(t => t.Count) / n;
        double seconds = tallies.Sum(t => t.Seconds) / n;
        FunctionsPlanPrices consumption = prices.Plan(Consumption)!, flex = prices.Plan(FlexConsumption)!;
        List<CostLine> Compute(FunctionsPlanPrices plan) => ComputeLines(plan, tallies, n, perInvocation, prices.Currency);

        var options = new List<CostOption>();
        if (!durable)
        {
            options.Add(Option(CostModel.Consumption, $"remote function on {consumption.Label}", Compute(consumption)));
            options.Add(Option(FlexConsumption, $"remote function on {flex.Label}", Compute(flex)));
            return new UnitCost(executions.Scenario, n, executions.Repetition, null, Math.Round(perInvocation, 4), Math.Round(seconds, 6), null, options);
        }

        StorageAccountPrices v1 = prices.Account("v1")!, v2 = prices.Account("v2")!;
        List<CostLine> Storage(StorageAccountPrices account) => storage is null
            ? [new CostLine($"storage transactions ({account.Key})", null, "storage requests were not counted (Functions host, or the request log was incomplete)")]
            : StorageLines(account, storage.ByOperation, prices.Currency);
        options.Add(Option("storage-v1+consumption", $"Azure Storage {v1.Label} + {consumption.Label}", [.. Storage(v1), .. Compute(consumption)]));
        options.Add(Option("storage-v2+consumption", $"Azure Storage {v2.Label} + {consumption.Label}", [.. Storage(v2), .. Compute(consumption)]));
        options.Add(Option("storage-v1+flex", $"Azure Storage {v1.Label} + {flex.Label}", [.. Storage(v1), .. Compute(flex)]));
        options.Add(Option("storage-v2+flex", $"Azure Storage {v2.Label} + {flex.Label}", [.. Storage(v2), .. Compute(flex)]));

        double actions = (double)(executions.Of(FunctionExecutions.Orchestrator).Count + executions.Of(FunctionExecutions.Activity).Count
            + executions.Of(FunctionExecutions.Entity).Count) / n;
        Price perAction = prices.SchedulerPerMillionActions;
        var scheduler = new CostLine(
            "Durable Task Scheduler actions",
            perAction.Value is { } p ? actions * p : null,
            perAction.Value is { } q
                ? $"{Number(actions)} actions per invocation x {Money(q, prices.Currency)} per million actions"
                : $"{Number(actions)} actions per invocation x {Price.NotPriced} (price per action not sourced)");
        options.Add(Option("scheduler+consumption", $"Durable Task Scheduler (consumption SKU) + {consumption.Label}", [scheduler, .. Compute(consumption)]));
        IReadOnlyDictionary<string, double>? transactions = storage is null ? null
            : BillingCategories.Sum(storage.ByOperation, "v2").Where(p => p.Value > 0).ToDictionary(p => p.Key, p => Math.Round(p.Value, 4), StringComparer.Ordinal);
        return new UnitCost(executions.Scenario, n, executions.Repetition, transactions, Math.Round(perInvocation, 4), Math.Round(seconds, 6), Math.Round(actions, 4), options);
    }

    /// <summary>The storage lines of one account: one per billing category with transactions.</summary>
    public static List<CostLine> StorageLines(StorageAccountPrices account, IReadOnlyDictionary<string, double> perInvocationByOperation, string currency)
    {
        ArgumentNullException.ThrowIfNull(account);
        var lines = new List<CostLine>();
        foreach ((string category, double perInvocation) in BillingCategories.Sum(perInvocationByOperation, account.Kind).Where(p => p.Value > 0))
        {
            Price price = account.PerTenThousand[category];
            lines.Add(new CostLine(
                $"{category} ({account.Key})",
                price.Value is { } v ? perInvocation * (Million / 10_000) * v : null,
                price.Value is { } w
                    ? $"{Number(perInvocation)} per invocation x 100 (10,000s per million) x {Money(w, currency)} per 10,000"
                    : $"{Number(perInvocation)} per invocation x 100 x {Price.NotPriced}"));
        }

        return lines;
    }

    /// <summary>The compute lines of one plan: executions and GB-s.</summary>
    private static List<CostLine> ComputeLines(FunctionsPlanPrices plan, ExecutionTally[] tallies, int n, double executionsPerInvocation, string currency)
    {
        double memoryMb = plan.MemoryMb.Value!.Value;
        bool consumption = plan.Key == Consumption;
        double billedMb = consumption ? Math.Ceiling(memoryMb / MemoryStepMb) * MemoryStepMb : memoryMb;
        double minimum = plan.MinimumMs.Value!.Value / 1000;
        double billedSeconds = tallies.Sum(t => t.BilledSeconds(minimum)) / n;
        double gbSeconds = billedSeconds * Million * billedMb / 1024;
        return
        [
            new CostLine(
                $"executions ({plan.Key})",
                plan.PerMillionExecutions.Value is { } e ? executionsPerInvocation * e : null,
                plan.PerMillionExecutions.Value is { } f
                    ? $"{Number(executionsPerInvocation)} executions per invocation x {Money(f, currency)} per million executions"
                    : $"{Number(executionsPerInvocation)} executions per invocation x {Price.NotPriced}"),
            new CostLine(
                $"GB-s ({plan.Key})",
                plan.PerGbSecond.Value is { } g ? gbSeconds * g : null,
                $"{Number(billedSeconds)} s per invocation{(minimum > 0 ? $" (each execution at least {minimum * 1000:0} ms)" : string.Empty)} x 1,000,000 x {billedMb / 1024:0.###} GB = {Number(gbSeconds)} GB-s x " +
                (plan.PerGbSecond.Value is { } h ? $"{h.ToString("0.#########", CultureInfo.InvariantCulture)} {currency} per GB-s" : Price.NotPriced)),
        ];
    }

    private static CostOption Option(string key, string label, List<CostLine> lines)
    {
        string[] notPriced = [.. lines.Where(l => l.Dollars is null).Select(l => l.Item)];
        return new CostOption(key, label, Math.Round(lines.Sum(l => l.Dollars ?? 0), 6), notPriced.Length == 0, notPriced, lines);
    }

    private static string Money(double value, string currency) => (currency == "USD" ? "$" : currency + " ") + value.ToString("0.#########", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("#,0.####", CultureInfo.InvariantCulture);
}
