using FunctionsBench.BenchOrchestrator.Report.Svg;
using static FunctionsBench.BenchOrchestrator.Report.Html;

namespace FunctionsBench.BenchOrchestrator.Report;

/// <summary>
/// The shopping cart (ShoppingCart/README.md), shown only when the run has cart units: operations/s and p99 latency
/// against users for both systems, a table per unit (throughput, checkouts/s, efficiency with its floor, p50/p99 per
/// operation type), the invariants each unit checked, and other systems' published figures as reference points.
/// </summary>
internal static class CartSection
{
    /// <summary>The operation types of the workload, in the order the tables show them.</summary>
    public static readonly string[] OperationKinds = ["AddToCart", "ClearCart", "Checkout", "RestockItem"];

    /// <summary>The heading the section starts with.</summary>
    public const string Heading = "<h2>Shopping cart</h2>";

    /// <summary>Whether <paramref name="result"/> is a cart unit: it carries cart figures or is of a cart scenario.</summary>
    public static bool IsCart(ScenarioResult result)
        => result.Cart is not null || result.Scenario is Scenarios.CartDf or CartStateFunScenario.Name;

    public static string Build(ResultsDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        ScenarioResult[] units = [.. document.Results.Where(IsCart)
            .OrderBy(r => r.Scenario, StringComparer.Ordinal).ThenBy(r => r.Invocations).ThenBy(r => r.Users).ThenBy(r => r.Repetition)];
        if (units.Length == 0)
        {
            return string.Empty;
        }

        return Heading +
            Note("The second workload: items in stock and users with carts, users loops in flight at once (ShoppingCart/README.md). " +
                "An operation is one AddToCart, ClearCart, Checkout or RestockItem, timed from its first message to the last one it caused; " +
                "operations/s is the unit's N ÷ its execution time.") +
            Charts(units) + Units(units) + Invariants(units) + References();
    }

    /// <summary>Operations/s and p99 latency against users, one series per (scenario, N), means over repetitions.</summary>
    private static string Charts(ScenarioResult[] units)
    {
        var groups = units.GroupBy(r => (r.Scenario, r.Invocations)).ToList();
        bool severalN = groups.Select(g => g.Key.Scenario).Distinct().Count() < groups.Count;
        double[] users = [.. units.Select(r => (double)r.Users)];
        bool logX = users.Max() >= ChartsSection.LogAxisSpan * users.Min();
        List<ChartSeries> Series(Func<ScenarioResult, double> value) => [.. groups.Select(g => new ChartSeries(
            severalN ? I($"{g.Key.Scenario} N={g.Key.Invocations}") : g.Key.Scenario,
            [.. g.GroupBy(r => r.Users).OrderBy(u => u.Key).Select(u => ((double)u.Key, u.Average(value)))],
            ScenarioStyles.Of(g.Key.Scenario)))];
        LineChart Chart(string title, string y, Func<ScenarioResult, double> value) => new()
        {
            Title = title,
            XLabel = "users in flight",
            YLabel = y,
            LogX = logX,
            LogY = true,
            Dodge = 4,
            Series = Series(value),
        };

        return "<div class=\"charts\">" +
            Figure(Chart("Cart throughput against users", "operations per second", r => r.InvocationsPerSecond).ToSvg(),
                "Operations of the unit ÷ its execution time, the mean over repetitions at each number of users; both systems on one chart.") +
            Figure(Chart("Cart p99 latency against users", "milliseconds", r => r.LatencyMs.P99).ToSvg(),
                "The 99th percentile of every operation's latency in the unit (all types together), the mean over repetitions.") +
            "</div>";
    }

    /// <summary>One row per unit: throughput, checkouts, efficiency with its floor, and p50/p99 per operation type.</summary>
    private static string Units(ScenarioResult[] units)
    {
        string[] headers =
        [
            "scenario", "N", "users", "rep", "operations/s", "checkouts/s", "steps/op", "efficiency", "floor",
            .. OperationKinds.Select(k => E(k) + "<br>p50 / p99 ms"),
        ];
        var rows = units.Select(r => (IEnumerable<string>)
        [
            E(r.Scenario) + (r.Cart?.CriticalSection == true ? " <span class=\"dim\">critical section</span>" : string.Empty), W(r.Invocations), W(r.Users), W(r.Repetition), Sig(r.InvocationsPerSecond), Sig(r.Cart?.CheckoutsPerSecond),
            r.Cart is { } cart ? N(cart.StepsPerOperation, "0.00") : "&ndash;",
            N(r.Efficiency, "0.00"), Floor(r),
            .. OperationKinds.Select(k => OperationLatency(r, k)),
        ]);
        return "<h3>Per unit</h3>" + Table(headers, rows) +
            Note("Efficiency = operations/s × steps (storage steps for cart-df, HTTP requests for cart-statefun) per operation ÷ the floor's rate beside it " +
                "(u: measured just before the unit, t: in turns with the unit's parts, r: the run's start floor). " +
                "Latency per type: p50 / p99 of the operations of that type the unit recorded (n: how many); a dash where the unit had none. " +
                "A cart-df unit run with --critical-section says so beside its scenario.");
    }

    private static string Floor(ScenarioResult r)
    {
        if (r.FloorRate is not double rate)
        {
            return "&ndash;";
        }

        string unit = Scenarios.IsKnown(r.Scenario) && Scenarios.Get(r.Scenario).Floor == FloorKind.Http ? "requests/s" : "steps/s";
        string source = r.FloorSource switch
        {
            ScenarioResult.UnitFloor => "u",
            ScenarioResult.TurnsFloor => "t",
            ScenarioResult.RunFloor => "r",
            _ => "?",
        };
        return I($"{Sig(rate)} {unit} <span class=\"dim\">{source}</span>");
    }

    private static string OperationLatency(ScenarioResult r, string kind)
    {
        if (r.Cart?.LatencyMsByOperation.GetValueOrDefault(kind) is not LatencySummary latency)
        {
            return "&ndash;";
        }

        string count = r.Cart.Operations.TryGetValue(kind, out int n) ? I($" <span class=\"dim\">n={W(n)}</span>") : string.Empty;
        return Sig(latency.P50) + " / " + Sig(latency.P99) + count;
    }

    /// <summary>Every unit's invariants: held or broken, with the detail of what broke.</summary>
    private static string Invariants(ScenarioResult[] units)
    {
        string[] names = [.. units.SelectMany(r => r.Invariants ?? []).Select(i => i.Name).Distinct()];
        string[] headers = ["scenario", "N", "users", "rep", .. names.Select(E), "what broke"];
        var rows = units.Select(r =>
        {
            IReadOnlyList<InvariantResult> checks = r.Invariants ?? [];
            string[] broken = [.. checks.Where(c => !c.Holds).Select(c => $"<b>{E(c.Name)}</b>: {E(c.Detail)}")];
            return (IEnumerable<string>)
            [
                E(r.Scenario), W(r.Invocations), W(r.Users), W(r.Repetition),
                .. names.Select(name => checks.FirstOrDefault(c => c.Name == name) is { } check
                    ? (check.Holds ? $"<span title=\"{E(check.Detail)}\">held</span>" : "<span class=\"bad\">broken</span>")
                    : "<span class=\"dim\">not checked</span>"),
                r.Invariants is null ? "<span class=\"dim\">no invariants recorded</span>"
                    : broken.Length == 0 ? "<span class=\"dim\">nothing</span>"
                    : $"<span class=\"text bad\">{string.Join("<br>", broken)}</span>",
            ];
        });
        int held = units.Sum(r => r.Invariants?.Count(c => c.Holds) ?? 0), all = units.Sum(r => r.Invariants?.Count ?? 0);
        return "<h3>Invariants</h3>" + Table(headers, rows) +
            Note(I($"Checked after every unit (ShoppingCart/README.md, The workload: Invariants): {held} of {all} checks held. ") +
                "A unit whose invariant broke fails the run, naming the item, user or operation and its numbers; hover a \"held\" for what the check found.");
    }

    /// <summary>Other systems' published figures, each with its source as ShoppingCart/README.md gives it.</summary>
    private static string References()
    {
        string[] headers = ["system", "published figure", "what it measured", "source"];
        string[][] rows =
        [
            [
                "Online Marketplace benchmark (Orleans and StateFun implementations, C# driver)",
                "7,074 transactions/s",
                "<span class=\"text\">customer sessions that add to cart and check out among other transactions; the README's example configuration runs 48 concurrent workers, and its example result file reports a 60 s run of 424,452 transactions (the run dated 2023-10-04 there, its platform and machine not named beside it)</span>",
                "<span class=\"text\">Laigner et al., \"Online Marketplace: A Benchmark for Data Management in Microservices\", SIGMOD 2025 (PACMMOD, published 2025-02-11); diku-dk/OnlineMarketplaceBenchmark, README at commit c5a2c9d, 2025-07-16</span>",
            ],
            [
                "Durable Functions, Azure Storage provider",
                "64 entity operations/s",
                "<span class=\"text\">documented per-instance target for entity operation processing: one counter entity under a constant stream of operations</span>",
                "<span class=\"text\">MicrosoftDocs/azure-docs, articles/azure-functions/durable/durable-functions-azure-storage-provider.md, \"Performance targets\", commit 1d25717</span>",
            ],
            [
                "Durable Functions, Netherite provider",
                "900 / 1,400 / 1,900 signals/s",
                "<span class=\"text\">signals to a single entity on one EP1 / EP2 / EP3 worker</span>",
                "<span class=\"text\">microsoft/durabletask-netherite, docs/scenarios.md, commit 7f79e47</span>",
            ],
        ];
        return "<h3>Reference points: other systems' published figures</h3>" +
            "<p class=\"note\"><b>Measured elsewhere, not comparable one to one with this run:</b> other workloads, machines, " +
            "storage and concurrency, and none of them this cart's operations or invariants. They say which order of magnitude those systems " +
            "reach in their own setting; this run's figures are in the table above.</p>" +
            Table(headers, rows, "refs");
    }
}
