using System.Text.Json;
using FunctionsBench.Hosting;

namespace FunctionsBench.Tests;

/// <summary>
/// Reads the <c>functions.metadata</c> the Functions SDK generated when the app was built (this project references
/// it, so it is built first): what <c>func start</c> will index.
/// </summary>
public class FunctionsMetadataTests
{
    private static readonly Lazy<List<JsonElement>> Functions = new(Load);

    private static List<JsonElement> Load()
    {
        string config = typeof(FunctionsMetadataTests).Assembly.Location.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        string root = RepoRoot();
        string path = Path.Combine(root, "bin", config, "net10.0", "functions.metadata");
        Assert.True(File.Exists(path), $"functions.metadata not found at {path}; build the app first");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    internal static string RepoRoot()
    {
        DirectoryInfo? dir = new(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FunctionsBench.csproj")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Repository root not found above " + AppContext.BaseDirectory);
    }

    private static JsonElement Function(string name)
    {
        JsonElement? match = Functions.Value.Cast<JsonElement?>().FirstOrDefault(f => f!.Value.GetProperty("name").GetString() == name);
        Assert.True(match.HasValue, $"function {name} is missing from functions.metadata");
        return match.Value;
    }

    private static JsonElement Trigger(string name)
        => Function(name).GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));

    [Theory]
    [InlineData("BenchControlOrchestration", "orchestrationTrigger")]
    [InlineData("GreeterOrchestration", "orchestrationTrigger")]
    [InlineData("SayHello", "activityTrigger")]
    [InlineData("StateFunLogins", "activityTrigger")]
    [InlineData("MeasureFloors", "activityTrigger")]
    [InlineData("GreeterEntity", "entityTrigger")]
    [InlineData("TimingsEntity", "entityTrigger")]
    [InlineData("StartBench", "httpTrigger")]
    [InlineData("StartGreeter", "httpTrigger")]
    [InlineData("GetBenchResults", "httpTrigger")]
    [InlineData("GetBenchEvents", "httpTrigger")]
    [InlineData("GetBenchReport", "httpTrigger")]
    [InlineData("StateFunGreeter", "httpTrigger")]
    [InlineData("Noop", "httpTrigger")]
    public void Metadata_Function_HasItsTrigger(string name, string trigger)
        => Assert.Equal(trigger, Trigger(name).GetProperty("type").GetString());

    [Theory]
    [InlineData("StartBench", "bench", "post")]
    [InlineData("StartGreeter", "greeter/{name}", "post")]
    [InlineData("GetBenchResults", "bench/{id}", "get")]
    [InlineData("GetBenchEvents", "bench/{id}/events", "get")]
    [InlineData("GetBenchReport", "bench/{id}/report", "get")]
    [InlineData("StateFunGreeter", "statefun/{*path}", "post")]
    [InlineData("Noop", "noop", "post")]
    public void Metadata_HttpFunction_HasRouteMethodAndFunctionAuth(string name, string route, string method)
    {
        JsonElement trigger = Trigger(name);

        Assert.Equal(route, trigger.GetProperty("route").GetString());
        Assert.Contains(method, trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("Function", trigger.GetProperty("authLevel").GetString());
    }

    [Fact]
    public void Metadata_EveryHttpFunction_UsesFunctionAuthLevel()
    {
        var http = Functions.Value.SelectMany(f => f.GetProperty("bindings").EnumerateArray()).Where(b => b.GetProperty("type").GetString() == "httpTrigger").ToList();

        Assert.Equal(7, http.Count);
        Assert.All(http, b => Assert.Equal("Function", b.GetProperty("authLevel").GetString()));
    }

    [Fact]
    public void Metadata_DurableFunctions_AreExactlyTheCatalog()
    {
        var durable = Functions.Value
            .Where(f => f.GetProperty("bindings").EnumerateArray().Any(b => b.GetProperty("type").GetString() is "orchestrationTrigger" or "activityTrigger" or "entityTrigger"))
            .Select(f => f.GetProperty("name").GetString()!)
            .Order(StringComparer.Ordinal);

        Assert.Equal(DurableCatalog.App.Select(e => e.Name), durable);
    }

    [Fact]
    public void HostJson_DefaultProvider_IsAzureStorage_AndNetheriteBlockNamesNetherite()
    {
        Assert.Equal("AzureStorage", StorageProviderSetting.FromHostJson(Path.Combine(RepoRoot(), "host.json")));
        Assert.Equal("Netherite", StorageProviderSetting.FromHostJson(Path.Combine(RepoRoot(), "host.netherite.json")));
    }
}
