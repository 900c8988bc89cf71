using System.Text.Json;

namespace FunctionsBench.Embedded.Tests;

/// <summary>
/// cart-statefun end to end on the embedded host, through the HTTP API: the driver activity plays the StateFun runtime for
/// every unit's user loops against the host's own cart functions, every invariant holds, N timing records per unit, the
/// HTTP floor measured in turns.
/// </summary>
[Collection(AzuriteCollection.Name)]
[Trait(TestLane.Trait, TestLane.Full)]
public sealed class CartStateFunEndToEndTests(ShortFloorsFixture fixture) : IClassFixture<ShortFloorsFixture>
{
    private static readonly string[] Invariants = ["every-outcome", "conservation", "no-negative-stock", "receipts-match-baskets", "state-matches-replay", "exactly-once"];

    [Fact]
    public async Task Run_CartStateFun_AtOneAndEightUsers_EveryInvariantHolds()
    {
        // Few items with little stock, so AddToCart finds items out of stock and users contend for the same stocks.
        var request = new { scenarios = new[] { "cart-statefun" }, invocations = new[] { 300 }, users = new[] { 1, 8 }, warmup = 0, items = 10, initialStock = 8, zipf = 1.0 };

        JsonElement document = await this.RunToCompletionAsync(request);

        JsonElement[] results = [.. document.GetProperty("results").EnumerateArray()];
        Assert.Equal([1, 8], results.Select(r => r.GetProperty("users").GetInt32()));
        foreach (JsonElement result in results)
        {
            Assert.Equal("cart-statefun", result.GetProperty("scenario").GetString());
            Assert.Equal(300, result.GetProperty("invocations").GetInt32());
            Assert.Equal(300, result.GetProperty("recorded").GetInt32());
            JsonElement[] invariants = [.. result.GetProperty("invariants").EnumerateArray()];
            Assert.Equal(Invariants, invariants.Select(i => i.GetProperty("name").GetString()));
            Assert.All(invariants, i => Assert.True(i.GetProperty("holds").GetBoolean(), i.GetProperty("detail").GetString()));
            JsonElement cart = result.GetProperty("cart");
            Assert.Equal(300, cart.GetProperty("operations").EnumerateObject().Sum(p => p.Value.GetInt32()));
            int adds = cart.GetProperty("operations").GetProperty("AddToCart").GetInt32();
            Assert.InRange(cart.GetProperty("inStock").GetInt32(), 1, adds - 1);
            // HTTP requests per operation, handshakes included: between a Checkout's one and an AddToCart's three.
            Assert.InRange(cart.GetProperty("stepsPerOperation").GetDouble(), 1.5, 3.5);
        }
    }

    private async Task<JsonElement> RunToCompletionAsync(object request)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        string id = await BenchRuns.StartAsync(fixture.Http, request, timeout.Token);
        return (await BenchRuns.WaitForCompletionAsync(fixture.Http, id, timeout.Token)).Output;
    }
}
