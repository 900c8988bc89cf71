using FunctionsBench.ShoppingCart.DurableFunctions;
using Microsoft.DurableTask.Entities;

namespace FunctionsBench.Tests;

/// <summary>The cart and stock entities run by name as a host runs them, their state through JSON between operations.</summary>
public sealed class CartEntityTests
{
    private static EntityHarness Cart() => new(new CartEntity(), new EntityInstanceId(nameof(CartEntity), "t.u0"));

    private static EntityHarness Stock() => new(new StockEntity(), new EntityInstanceId(nameof(StockEntity), "t.i0"));

    [Fact]
    public async Task Stock_ReservesOnlyWhatItHas_AndCountsEveryOperation()
    {
        EntityHarness stock = Stock();
        await stock.RunAsync(nameof(StockEntity.Seed), 5);

        ItemAvailability first = (await stock.RunAsync<ItemAvailability>(nameof(StockEntity.Reserve), 3))!;
        ItemAvailability second = (await stock.RunAsync<ItemAvailability>(nameof(StockEntity.Reserve), 3))!;
        int afterRestock = await stock.RunAsync<int>(nameof(StockEntity.Restock), 4);
        int afterReturn = await stock.RunAsync<int>(nameof(StockEntity.Return), 3);

        Assert.True(first.InStock);
        Assert.False(second.InStock);
        Assert.Equal(6, afterRestock);
        Assert.Equal(9, afterReturn);
        StockState state = stock.State<StockState>()!;
        Assert.Equal(9, state.Stock);
        Assert.Equal(4, state.Applied);
    }

    [Fact]
    public async Task Stock_NonPositiveQuantity_IsRefusedAndChangesNothing()
    {
        EntityHarness stock = Stock();
        await stock.RunAsync(nameof(StockEntity.Seed), 5);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => stock.RunAsync<ItemAvailability>(nameof(StockEntity.Reserve), 0));

        Assert.Equal(5, stock.State<StockState>()!.Stock);
        Assert.Equal(0, stock.State<StockState>()!.Applied);
    }

    [Fact]
    public async Task Cart_AddsOnlyInStockLines_CheckoutEmitsTheBasketAndEmptiesIt()
    {
        EntityHarness cart = Cart();
        await cart.RunAsync(nameof(CartEntity.Add), new CartLine(0, "i1", 2, InStock: true));
        await cart.RunAsync(nameof(CartEntity.Add), new CartLine(1, "i2", 1, InStock: false));
        await cart.RunAsync(nameof(CartEntity.Add), new CartLine(2, "i1", 1, InStock: true));

        Dictionary<string, int> receipt = (await cart.RunAsync<Dictionary<string, int>>(nameof(CartEntity.Checkout)))!;
        Dictionary<string, int> after = (await cart.RunAsync<Dictionary<string, int>>(nameof(CartEntity.Checkout)))!;

        Assert.Equal(new Dictionary<string, int> { ["i1"] = 3 }, receipt);
        Assert.Empty(after);
        Assert.Equal(5, cart.State<CartState>()!.Applied);
    }

    [Fact]
    public async Task Cart_ClearReturnsTheLinesToGiveBack_AndLinesChangesNothing()
    {
        EntityHarness cart = Cart();
        await cart.RunAsync(nameof(CartEntity.Add), new CartLine(0, "i1", 2, InStock: true));
        await cart.RunAsync(nameof(CartEntity.Add), new CartLine(1, "i3", 1, InStock: true));

        Dictionary<string, int> lines = (await cart.RunAsync<Dictionary<string, int>>(nameof(CartEntity.Lines)))!;
        Dictionary<string, int> cleared = (await cart.RunAsync<Dictionary<string, int>>(nameof(CartEntity.Clear)))!;

        Assert.Equal(lines, cleared);
        Assert.Equal(new Dictionary<string, int> { ["i1"] = 2, ["i3"] = 1 }, cleared);
        CartState state = cart.State<CartState>()!;
        Assert.Empty(state.Basket);
        Assert.Equal(3, state.Applied);
    }

    [Fact]
    public void Catalog_RegistersTheCartEntities()
    {
        Assert.Contains(DurableCatalog.App, e => e.Name == nameof(CartEntity) && e.Kind == DurableFunctionKind.Entity);
        Assert.Contains(DurableCatalog.App, e => e.Name == nameof(StockEntity) && e.Kind == DurableFunctionKind.Entity);
        Assert.Contains(DurableCatalog.App, e => e.Name == nameof(CartChunkOrchestration) && e.Kind == DurableFunctionKind.Orchestrator);
    }
}
