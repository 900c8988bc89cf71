using System.CommandLine;
using FunctionsBench.BenchOrchestrator;
using FunctionsBench.Embedded.Commands;
using FunctionsBench.Embedded.Web;

namespace FunctionsBench.Embedded.Tests;

public sealed class OptionsTests
{
    [Theory]
    [InlineData("ab")]
    [InlineData("1hub")]
    [InlineData("my-hub")]
    [InlineData("h234567890123456789012345678901234567890123456")]
    public void Validate_InvalidTaskHubName_FailsNamingIt(string name)
    {
        var options = new EmbeddedHostOptions { TaskHubName = name };

        Assert.Contains(name, Assert.Single(Failures(options)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("partitions", 0, "Partition count")]
    [InlineData("partitions", 17, "Partition count")]
    [InlineData("control batch", 0, "Control queue batch size")]
    [InlineData("control batch", 33, "Control queue batch size")]
    public void Validate_CountOutOfRange_FailsNamingIt(string setting, int value, string message)
    {
        var options = setting == "partitions" ? new EmbeddedHostOptions { PartitionCount = value } : new EmbeddedHostOptions { ControlQueueBatchSize = value };

        Assert.StartsWith(message, Assert.Single(Failures(options)), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Defaults_Pass()
    {
        var options = new EmbeddedHostOptions();

        Assert.Empty(Failures(options));
        Assert.Equal("UseDevelopmentStorage=true", options.ConnectionString);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("*")]
    [InlineData("192.168.1.10")]
    public void Validate_NonLoopbackBindWithoutKey_Fails(string bind)
    {
        var options = new EmbeddedWebHostOptions { BindAddress = bind };

        Assert.Contains("set a function key", Assert.Single(Failures(options)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("localhost")]
    public void Validate_LoopbackBindWithoutKey_Passes(string bind)
    {
        var options = new EmbeddedWebHostOptions { BindAddress = bind };

        Assert.Empty(Failures(options));
        Assert.True(options.IsLoopback);
    }

    [Fact]
    public void Validate_NonLoopbackBindWithKey_Passes()
    {
        var options = new EmbeddedWebHostOptions { BindAddress = "0.0.0.0", ApiKey = "key" };

        Assert.Empty(Failures(options));
        Assert.False(options.IsLoopback);
    }

    [Theory]
    [InlineData(new string[0], false, "disk")]
    [InlineData(new[] { "--azurite", "disk" }, false, "disk")]
    [InlineData(new[] { "--azurite", "memory" }, true, "memory")]
    public void AzuriteOption_Value_ChoosesPersistence(string[] arguments, bool inMemory, string mode)
    {
        var options = new HostCommandOptions();
        var command = new Command("run");
        options.AddTo(command, http: false);

        ParseResult result = command.Parse(arguments);

        Assert.Empty(result.Errors);
        Assert.Equal(inMemory, options.Azurite(result).InMemory);
        Assert.Equal(mode, result.GetValue(options.AzuriteMode));
    }

    [Fact]
    public void AzuriteOption_UnknownMode_IsAParseErrorNamingTheChoices()
    {
        var options = new HostCommandOptions();
        var command = new Command("run");
        options.AddTo(command, http: false);

        ParseResult result = command.Parse(["--azurite", "ram"]);

        var error = Assert.Single(result.Errors);
        Assert.Contains("ram", error.Message, StringComparison.Ordinal);
        Assert.Contains("memory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Durable_ExplicitConnection_RecordsNoAzuriteModeAndSetsNoKeys()
    {
        var options = new HostCommandOptions();
        var command = new Command("run");
        options.AddTo(command, http: false);
        const string Connection = "DefaultEndpointsProtocol=https;AccountName=benchacct;AccountKey=a2V5;EndpointSuffix=core.windows.net";

        EmbeddedHostOptions durable = options.Durable(command.Parse(["--connection", Connection, "--azurite", "memory"]), azurite: null);

        Assert.Null(durable.AzuriteMode);
        Assert.Equal(Connection, durable.ConnectionString);
        Assert.Empty(durable.Overrides());
    }

    [Fact]
    public void Durable_Flags_OverrideTheirHostJsonKeysOnly()
    {
        var options = new HostCommandOptions();
        var command = new Command("serve");
        options.AddTo(command, http: true);

        EmbeddedHostOptions durable = options.Durable(
            command.Parse(["--connection", "UseDevelopmentStorage=true", "--hub", "hubA", "--partitions", "3", "--extended-sessions", "false", "--max-polling-ms", "250", "--control-batch", "8", "--host-json", "other.json"]),
            azurite: null);

        Assert.Equal("other.json", durable.HostJsonPath);
        Assert.Equal(
            new Dictionary<string, string?>
            {
                ["AzureWebJobs:extensions:durableTask:hubName"] = "hubA",
                ["AzureWebJobs:extensions:durableTask:storageProvider:partitionCount"] = "3",
                ["AzureWebJobs:extensions:durableTask:extendedSessionsEnabled"] = "False",
                ["AzureWebJobs:extensions:durableTask:storageProvider:maxQueuePollingInterval"] = "00:00:00.2500000",
                ["AzureWebJobs:extensions:durableTask:storageProvider:controlQueueBatchSize"] = "8",
            },
            durable.Overrides().OrderBy(p => p.Key).ToDictionary());
    }

    [Fact]
    public void Validate_UnknownAzuriteModeAndMissingHostJson_FailsForEach()
    {
        var options = new EmbeddedHostOptions { AzuriteMode = "Memory", HostJsonPath = "/nowhere/host.json" };

        Assert.Equal(["Azurite mode 'Memory' must be one of disk, memory.", "host.json file '/nowhere/host.json' does not exist."], Failures(options));
    }

    private static IReadOnlyList<string> Failures(EmbeddedHostOptions options) => [.. new EmbeddedHostOptionsValidator().Validate(null, options).Failures ?? []];

    private static IReadOnlyList<string> Failures(EmbeddedWebHostOptions options) => [.. new EmbeddedWebHostOptionsValidator().Validate(null, options).Failures ?? []];
}
