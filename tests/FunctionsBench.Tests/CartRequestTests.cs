using System.Text;

namespace FunctionsBench.Tests;

/// <summary>The cart's request fields (<c>users</c> and the workload's parameters) and the units they make.</summary>
public sealed class CartRequestTests
{
    private const string OwnEndpoint = "http://localhost:7071/api/statefun/{function.name}";

    private static (BenchSettings? Settings, BenchRequestError? Error) Parse(string body)
        => BenchRequestParser.Parse(Encoding.UTF8.GetBytes(body), OwnEndpoint, new BenchLimits());

    [Fact]
    public void Users_MakesOneCartUnitPerValue_AndLeavesTheGreeterAtOne()
    {
        (BenchSettings? settings, BenchRequestError? error) = Parse("{\"scenarios\":[\"df-activity\",\"cart-df\"],\"invocations\":[200],\"users\":[1,8],\"repetitions\":2}");

        Assert.Null(error);
        IReadOnlyList<BenchUnit> units = BenchPlan.Units(settings!);
        Assert.Equal(
            [new("df-activity", 200, 1), new("cart-df", 200, 1, 1), new("cart-df", 200, 1, 8), new("df-activity", 200, 2), new("cart-df", 200, 2, 1), new("cart-df", 200, 2, 8)],
            units);
        Assert.Equal(200L * 6, BenchPlan.TotalInvocations(settings!));
        Assert.Equal(8, BenchPlan.WarmUps(settings!).Single(u => u.Scenario == "cart-df").Users);
    }

    [Theory]
    [InlineData("{\"users\":[0]}", "users[0]")]
    [InlineData("{\"users\":[257]}", "users[0]")]
    [InlineData("{\"users\":[4,4]}", "users[1]")]
    [InlineData("{\"users\":[]}", "users")]
    [InlineData("{\"users\":4}", "users")]
    [InlineData("{\"items\":0}", "items")]
    [InlineData("{\"zipf\":-1}", "zipf")]
    [InlineData("{\"initialStock\":-1}", "initialStock")]
    [InlineData("{\"criticalSection\":1}", "criticalSection")]
    public void BadCartField_IsRefusedNamingIt(string body, string field)
    {
        (BenchSettings? settings, BenchRequestError? error) = Parse(body);

        Assert.Null(settings);
        Assert.Equal(field, error!.Field);
    }

    [Fact]
    public void CartFields_ReachTheWorkload()
    {
        (BenchSettings? settings, BenchRequestError? error) = Parse("{\"scenarios\":[\"cart-df\"],\"items\":20,\"initialStock\":7,\"zipf\":1.2,\"seed\":9,\"criticalSection\":true}");

        Assert.Null(error);
        ShoppingCart.CartWorkloadOptions options = settings!.Cart!.Workload(4);
        Assert.Equal(new ShoppingCart.CartWorkloadOptions(Users: 4, Items: 20, InitialStock: 7, Keys: ShoppingCart.ItemKeyDistribution.Zipfian, ZipfExponent: 1.2, Seed: 9), options);
        Assert.True(settings.Cart.CriticalSection);
    }

    [Fact]
    public void CartUnitIds_CarryTheUsers_AndParseBack()
    {
        var unit = new BenchUnit("cart-df", 200, 1, 8);

        string id = InstanceIds.Unit("r1", unit);

        Assert.Equal("r1:cart-df:200u8:1", id);
        Assert.Equal((unit, (int?)null, (int?)null), InstanceIds.Parse("r1", id));
        Assert.NotEqual(InstanceIds.Unit("r1", unit with { Users = 1 }), id);
        Assert.Equal("r1:df-activity:200:1", InstanceIds.Unit("r1", new BenchUnit("df-activity", 200, 1)));
    }
}
