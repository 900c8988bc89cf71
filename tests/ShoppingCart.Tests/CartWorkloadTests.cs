namespace FunctionsBench.ShoppingCart.Tests;

public sealed class CartWorkloadTests
{
    [Fact]
    public void Generate_SameSeed_SameOperations()
    {
        var options = new CartWorkloadOptions(Users: 4, Seed: 7);

        Assert.Equal(CartWorkload.Generate(options, 500), CartWorkload.Generate(options, 500));
    }

    [Fact]
    public void Generate_OtherSeed_OtherOperations()
    {
        Assert.NotEqual(CartWorkload.Generate(new CartWorkloadOptions(Seed: 1), 200), CartWorkload.Generate(new CartWorkloadOptions(Seed: 2), 200));
    }

    [Fact]
    public void Generate_IdsAreSequenceNumbersDealtRoundRobinToUsers()
    {
        var options = new CartWorkloadOptions(Users: 3);

        IReadOnlyList<CartOperation> operations = CartWorkload.Generate(options, 10);

        Assert.Equal(Enumerable.Range(0, 10), operations.Select(o => o.Id));
        Assert.All(operations, o => Assert.Equal($"u{o.Id % 3}", o.UserId));
        Assert.Equal([1, 4, 7], CartWorkload.ForLoop(options, operations, 1).Select(o => o.Id));
    }

    [Fact]
    public void Generate_Mix_ProportionsFollowWeights()
    {
        var options = new CartWorkloadOptions(Mix: new CartMix(50, 10, 30, 10), Seed: 3);

        IReadOnlyList<CartOperation> operations = CartWorkload.Generate(options, 20_000);

        double Share(CartOperationKind kind) => operations.Count(o => o.Kind == kind) / 20_000.0;
        Assert.InRange(Share(CartOperationKind.AddToCart), 0.48, 0.52);
        Assert.InRange(Share(CartOperationKind.ClearCart), 0.09, 0.11);
        Assert.InRange(Share(CartOperationKind.Checkout), 0.28, 0.32);
        Assert.InRange(Share(CartOperationKind.RestockItem), 0.09, 0.11);
    }

    [Fact]
    public void Generate_OperationFields_MatchTheirKind()
    {
        var options = new CartWorkloadOptions(Items: 5, MaxQuantity: 2);

        Assert.All(CartWorkload.Generate(options, 2000), o =>
        {
            if (o.AddressesItem)
            {
                Assert.Contains(o.ItemId, options.ItemKeys);
                Assert.InRange(o.Quantity, 1, 2);
            }
            else
            {
                Assert.Null(o.ItemId);
                Assert.Equal(0, o.Quantity);
            }
        });
    }

    [Fact]
    public void Generate_Uniform_SpreadsItemsEvenly()
    {
        var options = new CartWorkloadOptions(Items: 10, Mix: new CartMix(1, 0, 0, 0), Seed: 5);

        Dictionary<string, int> counts = CartWorkload.Generate(options, 50_000).GroupBy(o => o.ItemId!).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(10, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 4500, 5500));
    }

    [Fact]
    public void Generate_Zipfian_FollowsZipfsLaw()
    {
        // s = 1 over 100 items: item 0 has probability 1 / H(100) = 0.193, item 1 half that, item 9 a tenth of it.
        var options = new CartWorkloadOptions(Items: 100, Keys: ItemKeyDistribution.Zipfian, ZipfExponent: 1.0, Mix: new CartMix(1, 0, 0, 0), Seed: 11);
        double harmonic = Enumerable.Range(1, 100).Sum(k => 1.0 / k);

        IReadOnlyList<CartOperation> operations = CartWorkload.Generate(options, 100_000);

        double Share(int item) => operations.Count(o => o.ItemId == CartWorkloadOptions.ItemKey(item)) / 100_000.0;
        Assert.InRange(Share(0), 0.97 / harmonic, 1.03 / harmonic);
        Assert.InRange(Share(1), 0.5 * 0.95 / harmonic, 0.5 * 1.05 / harmonic);
        Assert.InRange(Share(9), 0.1 * 0.9 / harmonic, 0.1 * 1.1 / harmonic);
    }

    [Theory]
    [InlineData(0, 100, 50, "Users")]
    [InlineData(257, 100, 50, "Users")]
    [InlineData(1, 0, 50, "Items")]
    [InlineData(1, 100, -1, "InitialStock")]
    public void Validate_OutOfRange_NamesTheParameter(int users, int items, int stock, string name)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => new CartWorkloadOptions(users, items, stock).Validate());

        Assert.Equal(name, error.ParamName);
    }
}
