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
    public void Validate_InvalidTaskHubName_Throws(string name)
    {
        var options = new EmbeddedHostOptions { TaskHubName = name };

        Assert.Throws<ArgumentException>(options.Validate);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    public void Validate_PartitionCountOutOfRange_Throws(int partitions)
    {
        var options = new EmbeddedHostOptions { PartitionCount = partitions };

        Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
    }

    [Fact]
    public void Validate_Defaults_Pass()
    {
        var options = new EmbeddedHostOptions();

        options.Validate();

        Assert.Equal("UseDevelopmentStorage=true", options.ConnectionString);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("*")]
    [InlineData("192.168.1.10")]
    public void Validate_NonLoopbackBindWithoutKey_Throws(string bind)
    {
        var options = new EmbeddedWebHostOptions { BindAddress = bind };

        Assert.Throws<ArgumentException>(options.Validate);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("localhost")]
    public void Validate_LoopbackBindWithoutKey_Passes(string bind)
    {
        var options = new EmbeddedWebHostOptions { BindAddress = bind };

        options.Validate();

        Assert.True(options.IsLoopback);
    }

    [Fact]
    public void Validate_NonLoopbackBindWithKey_Passes()
    {
        var options = new EmbeddedWebHostOptions { BindAddress = "0.0.0.0", ApiKey = "key" };

        options.Validate();

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
    public void Durable_ExplicitConnection_RecordsNoAzuriteMode()
    {
        var options = new HostCommandOptions();
        var command = new Command("run");
        options.AddTo(command, http: false);
        const string Connection = "DefaultEndpointsProtocol=https;AccountName=benchacct;AccountKey=a2V5;EndpointSuffix=core.windows.net";

        EmbeddedHostOptions durable = options.Durable(command.Parse(["--connection", Connection, "--azurite", "memory"]), azurite: null);

        Assert.Null(durable.AzuriteMode);
        Assert.Equal(new StorageSetup("benchacct", false, null, 1, true, 1000, 32), durable.DescribeStorage());
    }

    [Fact]
    public void Validate_UnknownAzuriteMode_Throws()
    {
        var options = new EmbeddedHostOptions { AzuriteMode = "Memory" };

        ArgumentException error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Equal(nameof(EmbeddedHostOptions.AzuriteMode), error.ParamName);
    }

    [Fact]
    public void DescribeStorage_DevelopmentStorageStartedInMemory_RecordsTheModeAndSettings()
    {
        var options = new EmbeddedHostOptions { AzuriteMode = "memory", PartitionCount = 2, ExtendedSessionsEnabled = false, MaxQueuePollingInterval = TimeSpan.FromMilliseconds(250), ControlQueueBatchSize = 8 };

        StorageSetup storage = options.DescribeStorage();

        Assert.Equal(new StorageSetup(StorageSetup.DevelopmentAccount, true, "memory", 2, false, 250, 8), storage);
        Assert.Equal("Azurite (memory), 2 partitions, no extended sessions, max polling 250 ms, control batch 8", storage.Describe());
    }
}
