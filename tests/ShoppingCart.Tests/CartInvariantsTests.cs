namespace FunctionsBench.ShoppingCart.Tests;

public sealed class CartInvariantsTests
{
    // Little stock and many users, so some AddToCart find none and the out-of-stock path is checked too.
    private static readonly CartWorkloadOptions Options = new(Users: 8, Items: 20, InitialStock: 4, Seed: 21);
    private static readonly IReadOnlyList<CartOperation> Operations = CartWorkload.Generate(Options, 3000);

    [Fact]
    public void Check_CorrectShop_EveryInvariantHolds()
    {
        var shop = new InMemoryShop(Options);
        shop.ApplyAll(Operations);

        IReadOnlyList<CartInvariantResult> results = CartInvariants.Check(Options, Operations, shop.Outcomes, shop.Final());

        Assert.Equal(CartInvariants.Names, results.Select(r => r.Name));
        Assert.All(results, r => Assert.True(r.Holds, r.Detail));
        Assert.Null(CartInvariants.Failure(results));
        Assert.Contains(shop.Outcomes, o => !o.InStock);
    }

    [Fact]
    public void Check_UsersInterleavedDifferently_StillHolds()
    {
        // Another order of the users' operations (each user's own order kept) gives other outcomes, and still no violation.
        var shop = new InMemoryShop(Options);
        shop.ApplyAll(Operations.OrderBy(o => CartWorkload.LoopOf(Options, o.Id)).ThenBy(o => o.Id));

        Assert.All(CartInvariants.Check(Options, Operations, shop.Outcomes, shop.Final()), r => Assert.True(r.Holds, r.Detail));
    }

    [Fact]
    public void Check_AddsAppliedTwice_ExactlyOnceAndStateFail()
    {
        var shop = new InMemoryShop(Options) { DoubleApplyAdds = true };
        shop.ApplyAll(Operations);

        IReadOnlyList<CartInvariantResult> results = CartInvariants.Check(Options, Operations, shop.Outcomes, shop.Final());

        CartInvariantResult exactlyOnce = Single(results, CartInvariants.ExactlyOnce);
        Assert.False(exactlyOnce.Holds);
        Assert.Matches(@"cart u\d+: applied \d+ operations, \d+ were sent", exactlyOnce.Detail);
        Assert.False(Single(results, CartInvariants.StateMatchesReplay).Holds);
        Assert.NotNull(CartInvariants.Failure(results));
    }

    [Fact]
    public void Check_ClearWithoutReturn_ConservationNamesTheItemAndNumbers()
    {
        var shop = new InMemoryShop(Options) { ClearWithoutReturn = true };
        shop.ApplyAll(Operations);

        CartInvariantResult conservation = Single(CartInvariants.Check(Options, Operations, shop.Outcomes, shop.Final()), CartInvariants.Conservation);

        Assert.False(conservation.Holds);
        Assert.Matches(@"i\d+: initial 4 \+ restocked \d+ = \d+, but in stock \d+ \+ in baskets \d+ \+ checked out \d+ = \d+", conservation.Detail);
        Assert.True(conservation.Violations > 0);
    }

    [Fact]
    public void Check_ShortReceipt_ReceiptsFailWithTheCheckout()
    {
        var shop = new InMemoryShop(Options) { ShortReceipts = true };
        shop.ApplyAll(Operations);

        CartInvariantResult receipts = Single(CartInvariants.Check(Options, Operations, shop.Outcomes, shop.Final()), CartInvariants.ReceiptsMatchBaskets);

        Assert.False(receipts.Holds);
        Assert.Matches(@"checkout \d+ of u\d+: receipt \[.*\], basket \[.*\]", receipts.Detail);
    }

    [Fact]
    public void Check_Oversold_NegativeStockFails()
    {
        var options = Options with { InitialStock = 0, Mix = new CartMix(1, 0, 0, 0) };
        IReadOnlyList<CartOperation> operations = CartWorkload.Generate(options, 100);
        var shop = new InMemoryShop(options) { Oversell = true };
        shop.ApplyAll(operations);

        CartInvariantResult negative = Single(CartInvariants.Check(options, operations, shop.Outcomes, shop.Final()), CartInvariants.NoNegativeStock);

        Assert.False(negative.Holds);
        Assert.Matches(@"i\d+: stock -\d+", negative.Detail);
    }

    [Fact]
    public void Check_LostAndDuplicatedOutcomes_EveryOutcomeFails()
    {
        var shop = new InMemoryShop(Options);
        shop.ApplyAll(Operations);
        List<CartOutcome> outcomes = [.. shop.Outcomes.Skip(1), shop.Outcomes[5]];

        CartInvariantResult every = Single(CartInvariants.Check(Options, Operations, outcomes, shop.Final()), CartInvariants.EveryOutcome);

        Assert.False(every.Holds);
        Assert.Contains("operation 5 answered more than once", every.Detail);
        Assert.Contains("operation 0 (", every.Detail);
        Assert.Equal(2, every.Violations);
    }

    private static CartInvariantResult Single(IReadOnlyList<CartInvariantResult> results, string name) => Assert.Single(results, r => r.Name == name);
}
