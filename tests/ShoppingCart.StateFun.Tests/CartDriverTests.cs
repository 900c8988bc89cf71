using System.Text;
using System.Text.Json;
using FunctionsBench.StateFun;

namespace FunctionsBench.ShoppingCart.StateFun.Tests;

/// <summary>The cart driver end to end against the standalone server in this process, with the invariants checked after each unit.</summary>
public sealed class CartDriverTests : IAsyncLifetime
{
    private StateFunServer? server;
    private HttpClient? client;

    // Few items and little stock, so that users contend for items and AddToCart finds them out of stock.
    private static CartWorkloadOptions Options(int users) => new(Users: users, Items: 8, InitialStock: 6, MaxQuantity: 3, Seed: 11 + users);

    public async Task InitializeAsync()
    {
        server = await StateFunServer.StartAsync(port: 0, bindAddress: "127.0.0.1");
        client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        client?.Dispose();
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(16)]
    public async Task AUnit_AtEveryConcurrency_KeepsEveryInvariant(int users)
    {
        var options = Options(users);
        var operations = CartWorkload.Generate(options, 400);

        var result = await new StateFunCartDriver(client!).RunAsync(new StateFunCartRequest(server!.BaseAddress, options, operations, StateFunCartDriver.InitialState(options)), CancellationToken.None);
        var final = StateFunCartDriver.FinalState(result.State);
        var verdicts = CartInvariants.Check(options, operations, result.Outcomes, final);

        Assert.Null(CartInvariants.Failure(verdicts));
        Assert.Equal(CartInvariants.Names, verdicts.Select(v => v.Name));
        Assert.Equal(operations.Select(o => (o.Id, o.Kind)), result.Timings.Select(t => (t.Id, t.Kind)));
        Assert.All(result.Timings, t => Assert.True(t.EndUtc >= t.StartUtc));
        Assert.Equal(operations.Count(o => o.Kind == CartOperationKind.Checkout), result.Receipts);
        // The unit exercised both answers of a stock, and receipts with lines.
        var adds = operations.Where(o => o.Kind == CartOperationKind.AddToCart).Select(o => result.Outcomes[o.Id].InStock).ToList();
        Assert.Contains(true, adds);
        Assert.Contains(false, adds);
        Assert.Contains(result.Outcomes, o => o.Receipt is { Count: > 0 });
        // One request per delivery, plus one per handshake (one per function type, or a few when first messages race).
        Assert.Equal(result.Deliveries + result.State.Handshakes, result.HttpRequests);
        Assert.InRange(result.State.Handshakes, 2, 2 * users);
        // Every item's stock address counted every operation sent to it, including the loaded initial stock's item never touched.
        Assert.Equal(options.Items, final.Stock.Count);
    }

    [Fact]
    public async Task AUnitInTwoParts_WithTheStateCarriedAsJson_KeepsEveryInvariant()
    {
        var options = Options(4);
        var operations = CartWorkload.Generate(options, 300);
        var driver = new StateFunCartDriver(client!);

        var first = await driver.RunAsync(new StateFunCartRequest(server!.BaseAddress, options, [.. operations.Take(137)], StateFunCartDriver.InitialState(options)), CancellationToken.None);
        var carried = JsonSerializer.Deserialize<StateFunRuntimeState>(JsonSerializer.Serialize(first.State))!;
        var second = await driver.RunAsync(new StateFunCartRequest(server.BaseAddress, options, [.. operations.Skip(137)], carried), CancellationToken.None);

        var verdicts = CartInvariants.Check(options, operations, [.. first.Outcomes, .. second.Outcomes], StateFunCartDriver.FinalState(second.State));
        Assert.Null(CartInvariants.Failure(verdicts));
        Assert.Equal(first.State.Handshakes, second.State.Handshakes); // the registered states came with the state
        Assert.Equal(first.HttpRequests, first.State.HttpRequests);
        Assert.Equal(first.HttpRequests + second.HttpRequests, second.State.HttpRequests); // the state counts every run's requests
    }

    [Theory]
    [InlineData("clear-keeps-stock", CartInvariants.Conservation)]
    [InlineData("checkout-keeps-basket", CartInvariants.ReceiptsMatchBaskets)]
    [InlineData("restock-twice", CartInvariants.ExactlyOnce)]
    public async Task ABrokenFunction_BreaksTheInvariants_Loudly(string defect, string broken)
    {
        await using var brokenServer = await StateFunServer.StartAsync(port: 0, bindAddress: "127.0.0.1", handler: BrokenCart.Handler(defect));
        var options = Options(4);
        var operations = CartWorkload.Generate(options, 300);

        var result = await new StateFunCartDriver(client!).RunAsync(new StateFunCartRequest(brokenServer.BaseAddress, options, operations, StateFunCartDriver.InitialState(options)), CancellationToken.None);
        var verdicts = CartInvariants.Check(options, operations, result.Outcomes, StateFunCartDriver.FinalState(result.State));

        var verdict = Assert.Single(verdicts, v => v.Name == broken);
        Assert.False(verdict.Holds);
        Assert.Matches(@"\bi\d+\b|\bu\d+\b", verdict.Detail); // names the item or user
        Assert.NotNull(CartInvariants.Failure(verdicts));
    }

    [Fact]
    public async Task AFunctionThatAnswersAnotherUsersCart_FailsTheRunWithWhatItSent()
    {
        await using var brokenServer = await StateFunServer.StartAsync(port: 0, bindAddress: "127.0.0.1", handler: BrokenCart.Handler("answer-wrong-cart"));
        var options = Options(2);
        var operations = CartWorkload.Generate(options, 50);

        var error = await Assert.ThrowsAsync<StateFunDriverException>(() => new StateFunCartDriver(client!).RunAsync(
            new StateFunCartRequest(brokenServer.BaseAddress, options, operations, StateFunCartDriver.InitialState(options)), CancellationToken.None));
        Assert.Contains("ItemAvailability", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEndpointWithoutTheCart_FailsTheRunWith404()
    {
        await using var greeterOnly = await StateFunServer.StartAsync(port: 0, bindAddress: "127.0.0.1", handler: Greeter.CreateHandler());
        var options = Options(2);

        var error = await Assert.ThrowsAsync<StateFunDriverException>(() => new StateFunCartDriver(client!).RunAsync(
            new StateFunCartRequest(greeterOnly.BaseAddress, options, CartWorkload.Generate(options, 10), StateFunCartDriver.InitialState(options)), CancellationToken.None));
        Assert.Contains("404", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The real functions with one defect each, as a bug or the playground's own choices would put it there.</summary>
    private static class BrokenCart
    {
        public static RequestReplyHandler Handler(string defect)
        {
            var real = new StatefulFunctions().AddShoppingCart();
            var cart = real.Functions.Single(f => f.TypeName == ShoppingCartFunctions.CartFunction).Handler;
            var stock = real.Functions.Single(f => f.TypeName == ShoppingCartFunctions.StockFunction).Handler;
            StatefulFunction brokenCart = (context, message) =>
            {
                if (defect == "clear-keeps-stock" && message.Is(ShoppingCartFunctions.ClearCartType))
                {
                    // Empties the basket without returning anything.
                    context.Storage.Remove(ShoppingCartFunctions.BasketState);
                    context.Storage.Set(ShoppingCartFunctions.AppliedState, context.Storage.GetOrDefault(ShoppingCartFunctions.AppliedState, 0) + 1);
                    return ValueTask.CompletedTask;
                }

                if (defect == "checkout-keeps-basket" && message.Is(ShoppingCartFunctions.CheckoutType))
                {
                    // The playground's checkout: a receipt, and the basket left as it was.
                    var basket = context.Storage.TryGet(ShoppingCartFunctions.BasketState, out var stored) ? stored.Items : [];
                    var payload = Encoding.UTF8.GetString(ShoppingCartFunctions.ReceiptType.Serialize(new Receipt(context.Self.Id, ShoppingCartFunctions.Details(basket))).Span);
                    context.SendEgress(ShoppingCartFunctions.Egress, ShoppingCartFunctions.EgressRecordType, new ReceiptRecord(ShoppingCartFunctions.ReceiptsTopic, payload));
                    context.Storage.Set(ShoppingCartFunctions.AppliedState, context.Storage.GetOrDefault(ShoppingCartFunctions.AppliedState, 0) + 1);
                    return ValueTask.CompletedTask;
                }

                return cart(context, message);
            };
            StatefulFunction brokenStock = async (context, message) =>
            {
                await stock(context, message);
                if (defect == "restock-twice" && message.Is(ShoppingCartFunctions.RestockItemType))
                {
                    await stock(context, message);
                }
                else if (defect == "answer-wrong-cart" && message.Is(ShoppingCartFunctions.RequestItemType) && context.Caller is { } caller)
                {
                    context.Send(new Address(caller.Type, caller.Id + "x"), ShoppingCartFunctions.ItemAvailabilityType, new ItemAvailability(AvailabilityStatus.InStock, 1));
                }
            };
            return new RequestReplyHandler(new StatefulFunctions()
                .Register(ShoppingCartFunctions.CartFunction, brokenCart, ShoppingCartFunctions.BasketState, ShoppingCartFunctions.AppliedState)
                .Register(ShoppingCartFunctions.StockFunction, brokenStock, ShoppingCartFunctions.StockState, ShoppingCartFunctions.AppliedState));
        }
    }
}
