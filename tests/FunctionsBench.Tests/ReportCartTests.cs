using FunctionsBench.BenchOrchestrator.Report;

namespace FunctionsBench.Tests;

/// <summary>The report's shopping cart section: shown for cart units only, with its chart, unit table, invariants and reference points.</summary>
public class ReportCartTests
{
    private const string CartHeading = "<h2>Shopping cart</h2>";

    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Build_TwoCartUnits_ShowsTheChartsTheUnitsTheInvariantsAndTheReferencePoints()
    {
        // cart-df at 4 users: 100 operations in 20 s (5/s); cart-statefun at 16 users: 100 in 0.1 s (1000/s).
        ResultsDocument document = Document([
            Cart(Scenarios.CartDf, users: 4, seconds: 20, p99: 900, floor: 11.2, source: ScenarioResult.UnitFloor, broken: null),
            Cart(CartStateFunScenario.Name, users: 16, seconds: 0.1, p99: 13.5, floor: 11_572, source: ScenarioResult.TurnsFloor, broken: null)]);

        string html = HtmlReport.Build(document, inspection: null, []);

        Assert.Contains(CartHeading, html);
        string section = html[html.IndexOf(CartHeading, StringComparison.Ordinal)..];
        // Both systems on one throughput chart, against users on a log axis (4 to 16), and the p99 chart beside it.
        string throughput = Between(section, "Cart throughput against users", "</svg>");
        Assert.Contains(">cart-df</text>", throughput);
        Assert.Contains(">cart-statefun</text>", throughput);
        Assert.Contains("users in flight (log scale)", throughput);
        Assert.Contains("Cart p99 latency against users", section);
        // The unit table: operations/s, checkouts/s (15 checkouts), efficiency with its floor, p50/p99 per type.
        Assert.Contains("<td>cart-df</td><td>100</td><td>4</td><td>1</td><td>5.00</td><td>0.75</td><td>3.50</td><td>1.56</td><td>11.2 steps/s <span class=\"dim\">u</span></td>", section);
        Assert.Contains("<td>cart-statefun</td><td>100</td><td>16</td><td>1</td><td>1,000</td><td>150</td>", section);
        Assert.Contains("11,572 requests/s <span class=\"dim\">t</span>", section);
        Assert.Contains("<td>12.0 / 90.0 <span class=\"dim\">n=70</span></td>", section);
        // The invariant table: one column per invariant, each held.
        string invariants = Between(section, "<h3>Invariants</h3>", "<h3>Reference points");
        Assert.Contains("<th>conservation</th><th>no-negative-stock</th><th>exactly-once</th>", invariants);
        Assert.Equal(6, CountOf(invariants, ">held</span>"));
        Assert.DoesNotContain("broken", invariants);
        Assert.Contains("6 of 6 checks held", invariants);
        // Other systems' figures, with their sources and the label that they are not comparable one to one.
        string references = section[section.IndexOf("<h3>Reference points", StringComparison.Ordinal)..];
        Assert.Contains("not comparable one to one", references);
        Assert.Contains("7,074 transactions/s", references);
        Assert.Contains("diku-dk/OnlineMarketplaceBenchmark, README at commit c5a2c9d", references);
        Assert.Contains("64 entity operations/s", references);
        Assert.Contains("durable-functions-azure-storage-provider.md", references);
        Assert.Contains("900 / 1,400 / 1,900 signals/s", references);
        Assert.Contains("microsoft/durabletask-netherite, docs/scenarios.md, commit 7f79e47", references);

        // The headline table tells the units apart by their users; the charts against N beside the thesis leave the cart out.
        Assert.Contains("<td>100 <span class=\"dim\">4 users</span></td>", html);
        Assert.Contains("<td>100 <span class=\"dim\">16 users</span></td>", html);
        Assert.DoesNotContain("Against N, beside the thesis", html);
    }

    [Fact]
    public void Build_BrokenInvariant_MarksItBrokenWithItsDetail()
    {
        ScenarioResult locked = Cart(Scenarios.CartDf, users: 16, seconds: 10, p99: 900, floor: 9.3, source: ScenarioResult.UnitFloor, broken: null);
        ResultsDocument document = Document([
            Cart(Scenarios.CartDf, users: 1, seconds: 10, p99: 500, floor: 9.3, source: ScenarioResult.UnitFloor, broken: "item i3 initial 50 + restocked 4 != in stock 40 + in baskets 10 + checked out 2"),
            locked with { Cart = locked.Cart! with { CriticalSection = true } }]);

        string html = HtmlReport.Build(document, inspection: null, []);
        string invariants = Between(html, "<h3>Invariants</h3>", "<h3>Reference points");

        Assert.Contains("<span class=\"bad\">broken</span>", invariants);
        Assert.Contains("<b>conservation</b>: item i3 initial 50 + restocked 4 != in stock 40 + in baskets 10 + checked out 2", invariants);
        Assert.Equal(5, CountOf(invariants, ">held</span>"));
        Assert.Contains("5 of 6 checks held", invariants);
        // The unit run with the critical section says so beside its scenario; the other does not.
        Assert.Equal(1, CountOf(html, "<td>cart-df <span class=\"dim\">critical section</span></td><td>100</td><td>16</td>"));
        Assert.Contains("<td>cart-df</td><td>100</td><td>1</td>", html);
        // One scenario at two numbers of users: the users axis is logarithmic from 1 to 16.
        Assert.Contains("users in flight (log scale)", html);
    }

    [Fact]
    public void Build_GreeterOnlyRun_HasNoCartSection()
    {
        ResultsDocument document = Document([
            ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 100, 1), T0, T0.AddSeconds(10), [5.0, 6.0]),
            ScenarioResult.From(new BenchUnit(Scenarios.StateFun, 100, 1), T0, T0.AddSeconds(0.5), [0.5, 0.7])]);

        string html = HtmlReport.Build(document, inspection: null, []);

        Assert.DoesNotContain(CartHeading, html);
        Assert.DoesNotContain("Cart throughput against users", html);
        Assert.DoesNotContain("7,074", html);
        Assert.Contains("<h2>This run</h2>", html);
    }

    /// <summary>A cart unit of 100 operations (70 AddToCart, 5 ClearCart, 15 Checkout, 10 RestockItem) with three invariants.</summary>
    private static ScenarioResult Cart(string scenario, int users, double seconds, double p99, double floor, string source, string? broken)
    {
        var counts = new Dictionary<string, int> { ["AddToCart"] = 70, ["Checkout"] = 15, ["ClearCart"] = 5, ["RestockItem"] = 10 };
        var latency = new Dictionary<string, LatencySummary>
        {
            ["AddToCart"] = new(20, 12, 40, 90, 95),
            ["Checkout"] = new(8, 6, 12, 20, 22),
            ["ClearCart"] = new(15, 10, 30, 45, 50),
            ["RestockItem"] = new(5, 4, 8, 10, 11),
        };
        InvariantResult[] invariants =
        [
            broken is null ? new("conservation", true, "every item: initial + restocked = in stock + in baskets + checked out") : new("conservation", false, broken),
            new("no-negative-stock", true, "no stock below zero"),
            new("exactly-once", true, "every cart and stock applied what was addressed to it"),
        ];
        double perSecond = 100 / seconds;
        return new ScenarioResult(
            scenario, 100, 1, 1, 100, seconds, perSecond, perSecond, 100, new LatencySummary(15, 10, 40, p99, p99 + 5),
            StepsPerInvocation: 4, Efficiency: perSecond * 3.5 / floor, FloorRate: floor, FloorSource: source, Users: users,
            Invariants: invariants, Cart: new CartFigures(15 / seconds, counts, latency, 3.5, 70, CriticalSection: false));
    }

    private static ResultsDocument Document(ScenarioResult[] results)
    {
        var settings = new BenchSettings([.. results.Select(r => r.Scenario).Distinct()], [.. results.Select(r => r.Invocations).Distinct()], 1, BenchModes.Checkpointed, 100, 1, "http://127.0.0.1/", "1", "Joe");
        return new ResultsDocument("run-7", "embedded", "AzureStorage", T0, T0.AddMinutes(1), settings, results, ScenarioSummary.Of(results));
    }

    private static string Between(string text, string from, string to)
    {
        int start = text.IndexOf(from, StringComparison.Ordinal);
        Assert.True(start >= 0, $"'{from}' not found");
        int end = text.IndexOf(to, start, StringComparison.Ordinal);
        Assert.True(end > start, $"'{to}' not found after '{from}'");
        return text[start..end];
    }

    private static int CountOf(string text, string part) => text.Split(part).Length - 1;
}
