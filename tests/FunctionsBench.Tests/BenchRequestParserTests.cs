using System.Text;

namespace FunctionsBench.Tests;

public class BenchRequestParserTests
{
    private const string OwnEndpoint = "http://127.0.0.1:7071/api/statefun/{function.name}";

    private static (BenchSettings? Settings, BenchRequestError? Error) Parse(string body, BenchLimits? limits = null)
        => BenchRequestParser.Parse(Encoding.UTF8.GetBytes(body), OwnEndpoint, limits ?? new BenchLimits());

    [Fact]
    public void Parse_EmptyBody_GivesDocumentedDefaults()
    {
        (BenchSettings? settings, BenchRequestError? error) = Parse("");

        Assert.Null(error);
        Assert.Equal(["df-activity", "df-suborchestration", "df-entity", "statefun"], settings!.Scenarios);
        Assert.Equal([1000], settings.Invocations);
        Assert.Equal(1, settings.Repetitions);
        Assert.Equal(BenchModes.Checkpointed, settings.Mode);
        Assert.Equal(100, settings.CheckpointEvery);
        Assert.Equal(1, settings.Parallelism);
        Assert.Equal(OwnEndpoint, settings.StateFunUrl);
        Assert.Equal(100, settings.Warmup);
    }

    [Theory]
    [InlineData("{\"warmup\":0}", 0)]
    [InlineData("{\"warmup\":10000}", 10000)]
    public void Parse_Warmup_IsTaken(string body, int warmup)
    {
        (BenchSettings? settings, BenchRequestError? error) = Parse(body);

        Assert.Null(error);
        Assert.Equal(warmup, settings!.Warmup);
    }

    [Fact]
    public void Parse_EveryField_IsTakenAndScenariosKeepCanonicalOrder()
    {
        (BenchSettings? settings, BenchRequestError? error) = Parse("""
            {"scenarios":["statefun","df-activity"],"invocations":[16000,1000],"repetitions":5,"mode":"single",
             "checkpointEvery":250,"parallelism":4,"stateFunUrl":"http://localhost:8000/statefun","userId":"u-7","userName":"Ada Lovelace"}
            """);

        Assert.Null(error);
        Assert.Equal(["df-activity", "statefun"], settings!.Scenarios);
        Assert.Equal([16000, 1000], settings.Invocations);
        Assert.Equal((5, "single", 250, 4), (settings.Repetitions, settings.Mode, settings.CheckpointEvery, settings.Parallelism));
        Assert.Equal(("http://localhost:8000/statefun", "u-7", "Ada Lovelace"), (settings.StateFunUrl, settings.UserId, settings.UserName));
    }

    [Theory]
    [InlineData("[1,2]", "body")]
    [InlineData("{\"invocations\":", "body")]
    [InlineData("\"text\"", "body")]
    [InlineData("{\"invocation\":[10]}", "invocation")]
    [InlineData("{\"scenarios\":\"df-activity\"}", "scenarios")]
    [InlineData("{\"scenarios\":[]}", "scenarios")]
    [InlineData("{\"scenarios\":[\"df-actor\"]}", "scenarios[0]")]
    [InlineData("{\"scenarios\":[\"statefun\",\"statefun\"]}", "scenarios[1]")]
    [InlineData("{\"scenarios\":[\"statefun\",42]}", "scenarios[1]")]
    [InlineData("{\"invocations\":1000}", "invocations")]
    [InlineData("{\"invocations\":[]}", "invocations")]
    [InlineData("{\"invocations\":[-5]}", "invocations[0]")]
    [InlineData("{\"invocations\":[0]}", "invocations[0]")]
    [InlineData("{\"invocations\":[100,1.5]}", "invocations[1]")]
    [InlineData("{\"invocations\":[\"1000\"]}", "invocations[0]")]
    [InlineData("{\"invocations\":[100001]}", "invocations[0]")]
    [InlineData("{\"invocations\":[99999999999]}", "invocations[0]")]
    [InlineData("{\"invocations\":[10,10]}", "invocations[1]")]
    [InlineData("{\"invocations\":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17]}", "invocations")]
    [InlineData("{\"invocations\":[100000,99999],\"repetitions\":20}", "invocations")]
    [InlineData("{\"repetitions\":0}", "repetitions")]
    [InlineData("{\"repetitions\":21}", "repetitions")]
    [InlineData("{\"repetitions\":true}", "repetitions")]
    [InlineData("{\"mode\":\"fast\"}", "mode")]
    [InlineData("{\"mode\":1}", "mode")]
    [InlineData("{\"checkpointEvery\":0}", "checkpointEvery")]
    [InlineData("{\"checkpointEvery\":10001}", "checkpointEvery")]
    [InlineData("{\"warmup\":-1}", "warmup")]
    [InlineData("{\"warmup\":10001}", "warmup")]
    [InlineData("{\"warmup\":\"100\"}", "warmup")]
    [InlineData("{\"parallelism\":-1}", "parallelism")]
    [InlineData("{\"parallelism\":65}", "parallelism")]
    [InlineData("{\"stateFunUrl\":\"not a url\"}", "stateFunUrl")]
    [InlineData("{\"stateFunUrl\":\"ftp://127.0.0.1/x\"}", "stateFunUrl")]
    [InlineData("{\"stateFunUrl\":\"http://example.org/statefun\"}", "stateFunUrl")]
    [InlineData("{\"stateFunUrl\":\"http://user:pw@127.0.0.1/statefun\"}", "stateFunUrl")]
    [InlineData("{\"stateFunUrl\":8000}", "stateFunUrl")]
    [InlineData("{\"userId\":\"\"}", "userId")]
    [InlineData("{\"userId\":\"a/b\"}", "userId")]
    [InlineData("{\"userName\":\"\\u0007bell\"}", "userName")]
    [InlineData("{\"userName\":\"   \"}", "userName")]
    [InlineData("{\"userName\":null}", "userName")]
    [InlineData("{\"mode\":\"single\",\"mode\":\"checkpointed\"}", "mode")]
    public void Parse_BadInput_NamesTheField(string body, string field)
    {
        (BenchSettings? settings, BenchRequestError? error) = Parse(body);

        Assert.Null(settings);
        Assert.NotNull(error);
        Assert.Equal(field, error.Field);
        Assert.False(string.IsNullOrWhiteSpace(error.Error));
    }

    [Fact]
    public void Parse_OversizedBody_NamesTheBody()
    {
        string body = "{\"userName\":\"" + new string('x', BenchLimits.MaxBodyBytes) + "\"}";

        (BenchSettings? settings, BenchRequestError? error) = Parse(body);

        Assert.Null(settings);
        Assert.Equal("body", error!.Field);
    }

    [Fact]
    public void Parse_DeeplyNestedBody_IsRefused()
    {
        string body = "{\"scenarios\":" + new string('[', 50) + new string(']', 50) + "}";

        Assert.Equal("body", Parse(body).Error!.Field);
    }

    [Fact]
    public void Parse_StateFunHostAllowedByOperator_IsAccepted()
    {
        var limits = new BenchLimits { StateFunAllowedHosts = ["greeter-functions"] };

        (BenchSettings? settings, BenchRequestError? error) = Parse("{\"stateFunUrl\":\"http://greeter-functions:1108/\"}", limits);

        Assert.Null(error);
        Assert.Equal("http://greeter-functions:1108/", settings!.StateFunUrl);
    }

    [Fact]
    public void TotalInvocations_MultipliesScenariosCountsAndRepetitions()
    {
        BenchSettings settings = Parse("{\"invocations\":[1000,4000],\"repetitions\":3,\"scenarios\":[\"df-activity\",\"statefun\"]}").Settings!;

        Assert.Equal(30_000, BenchPlan.TotalInvocations(settings));
        Assert.Equal(12, BenchPlan.Units(settings).Count);
        Assert.Equal(new BenchUnit("df-activity", 1000, 1), BenchPlan.Units(settings)[0]);
        Assert.Equal(new BenchUnit("statefun", 1000, 1), BenchPlan.Units(settings)[1]);
        Assert.Equal(new BenchUnit("statefun", 4000, 3), BenchPlan.Units(settings)[^1]);
    }
}
