using System.Text.Json;

namespace FunctionsBench.Embedded.Tests;

/// <summary>
/// cart-df end to end on the embedded host with Azurite, through the HTTP API: every unit's operations applied to the
/// cart and stock entities by its user loops, every invariant holding, N timing records per unit.
/// </summary>
[Collection(AzuriteCollection.Name)]
[Trait(TestLane.Trait, TestLane.Full)]
public sealed class CartDfEndToEndTests(ShortFloorsFixture fixture) : IClassFixture<ShortFloorsFixture>
{
    private static readonly string[] Invariants = ["every-outcome", "conservation", "no-negative-stock", "receipts-match-baskets", "state-matches-replay", "exactly-once"];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_CartDf_AtOneAndEightUsers_EveryInvariantHolds(bool criticalSection)
    {
        // Few items with little stock, so AddToCart finds items out of stock and users contend for the same stocks.
        var request = new
        {
            scenarios = new[] { "cart-df" }, invocations = new[] { 200 }, users = new[] { 1, 8 }, checkpointEvery = 30, warmup = 0,
            items = 10, initialStock = 8, zipf = 1.0, criticalSection,
        };

        JsonElement document = await this.RunToCompletionAsync(request);

        JsonElement[] results = [.. document.GetProperty("results").EnumerateArray()];
        Assert.Equal([1, 8], results.Select(r => r.GetProperty("users").GetInt32()));
        foreach (JsonElement result in results)
        {
            Assert.Equal("cart-df", result.GetProperty("scenario").GetString());
            Assert.Equal(200, result.GetProperty("invocations").GetInt32());
            Assert.Equal(200, result.GetProperty("recorded").GetInt32());
            JsonElement[] invariants = [.. result.GetProperty("invariants").EnumerateArray()];
            Assert.Equal(Invariants, invariants.Select(i => i.GetProperty("name").GetString()));
            Assert.All(invariants, i => Assert.True(i.GetProperty("holds").GetBoolean(), i.GetProperty("detail").GetString()));
            JsonElement cart = result.GetProperty("cart");
            Assert.Equal(criticalSection, cart.GetProperty("criticalSection").GetBoolean());
            Assert.True(cart.GetProperty("checkoutsPerSecond").GetDouble() > 0);
            Assert.Equal(200, cart.GetProperty("operations").EnumerateObject().Sum(p => p.Value.GetInt32()));
            int adds = cart.GetProperty("operations").GetProperty("AddToCart").GetInt32();
            int inStock = cart.GetProperty("inStock").GetInt32();
            Assert.InRange(inStock, 1, adds - 1);
            foreach (JsonProperty kind in cart.GetProperty("latencyMsByOperation").EnumerateObject())
            {
                Assert.True(kind.Value.GetProperty("p99").GetDouble() >= kind.Value.GetProperty("p50").GetDouble(), kind.Name);
            }

            Assert.True(cart.GetProperty("stepsPerOperation").GetDouble() >= 2);
        }

        Assert.Equal(2, document.GetProperty("summary").GetArrayLength());
    }

    [Fact]
    public async Task Run_GreeterWithUsers_RunsTheGreeterOnceAtOneUser()
    {
        JsonElement document = await this.RunToCompletionAsync(new { scenarios = new[] { "df-activity" }, invocations = new[] { 3 }, users = new[] { 1, 4 }, warmup = 0 });

        JsonElement result = Assert.Single(document.GetProperty("results").EnumerateArray());
        Assert.Equal(1, result.GetProperty("users").GetInt32());
    }

    private async Task<JsonElement> RunToCompletionAsync(object request)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        string id = await BenchRuns.StartAsync(fixture.Http, request, timeout.Token);
        return (await BenchRuns.WaitForCompletionAsync(fixture.Http, id, timeout.Token)).Output;
    }
}
