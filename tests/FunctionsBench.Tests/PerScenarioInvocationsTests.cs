using System.Text;

namespace FunctionsBench.Tests;

/// <summary>`invocations` as an object: each scenario at its own N (the thesis ran StateFun and Durable Functions at different N).</summary>
public class PerScenarioInvocationsTests
{
    private static (BenchSettings? Settings, BenchRequestError? Error) Parse(string body)
        => BenchRequestParser.Parse(Encoding.UTF8.GetBytes(body), "http://127.0.0.1/api/statefun/{function.name}", new BenchLimits());

    [Fact]
    public void Parse_ObjectOfLists_NamesTheScenariosAndTheUnionOfN()
    {
        (BenchSettings? settings, BenchRequestError? error) = Parse("{\"invocations\":{\"statefun\":[1000,4000],\"df-activity\":[2000,1000]}}");

        Assert.Null(error);
        Assert.Equal([Scenarios.DfActivity, Scenarios.StateFun], settings!.Scenarios);
        Assert.Equal([1000, 2000, 4000], settings.Invocations);
        Assert.Equal([2000, 1000], settings.InvocationsOf(Scenarios.DfActivity));
        Assert.Equal([1000, 4000], settings.InvocationsOf(Scenarios.StateFun));
    }

    [Fact]
    public void Units_PerScenarioN_RunEachScenarioAtItsOwnNInAscendingN()
    {
        BenchSettings settings = Parse("{\"invocations\":{\"statefun\":[1000,4000],\"df-activity\":[1000,2000]},\"repetitions\":2}").Settings!;

        IReadOnlyList<BenchUnit> units = BenchPlan.Units(settings);

        Assert.Equal(
            [
                new(Scenarios.DfActivity, 1000, 1), new(Scenarios.StateFun, 1000, 1), new(Scenarios.DfActivity, 1000, 2), new(Scenarios.StateFun, 1000, 2),
                new(Scenarios.DfActivity, 2000, 1), new(Scenarios.DfActivity, 2000, 2), new(Scenarios.StateFun, 4000, 1), new(Scenarios.StateFun, 4000, 2),
            ],
            units);
        Assert.Equal(2 * (1000 + 2000 + 1000 + 4000), BenchPlan.TotalInvocations(settings));
    }

    [Theory]
    [InlineData("{\"invocations\":{\"nope\":[1]}}", "invocations.nope")]
    [InlineData("{\"invocations\":{\"statefun\":[0]}}", "invocations.statefun[0]")]
    [InlineData("{\"invocations\":{\"statefun\":[]}}", "invocations.statefun")]
    [InlineData("{\"invocations\":{}}", "invocations")]
    [InlineData("{\"scenarios\":[\"statefun\"],\"invocations\":{\"df-activity\":[1]}}", "scenarios")]
    [InlineData("{\"invocations\":{\"statefun\":[100000]},\"repetitions\":11}", "invocations")]
    public void Parse_BadObject_RefusedNamingTheField(string body, string field)
    {
        (BenchSettings? settings, BenchRequestError? error) = Parse(body);

        Assert.Null(settings);
        Assert.Equal(field, error!.Field);
    }

    [Fact]
    public void Parse_ScenariosAgreeingWithTheObject_IsAccepted()
    {
        (BenchSettings? settings, BenchRequestError? error) = Parse("{\"invocations\":{\"statefun\":[5]},\"scenarios\":[\"statefun\"]}");

        Assert.Null(error);
        Assert.Equal([Scenarios.StateFun], settings!.Scenarios);
    }
}
