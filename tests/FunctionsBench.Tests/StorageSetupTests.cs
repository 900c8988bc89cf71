using Microsoft.Extensions.Configuration;

namespace FunctionsBench.Tests;

public class StorageSetupTests
{
    private const string AzuriteKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    [Theory]
    [InlineData("UseDevelopmentStorage=true", "devstoreaccount1", true)]
    [InlineData("usedevelopmentstorage=TRUE", "devstoreaccount1", true)]
    [InlineData("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + AzuriteKey + ";QueueEndpoint=http://127.0.0.1:20001/devstoreaccount1", "devstoreaccount1", true)]
    [InlineData("DefaultEndpointsProtocol=http;AccountName=other;AccountKey=a2V5;TableEndpoint=http://localhost:10002/other", "other", true)]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=prodbench;AccountKey=a2V5;EndpointSuffix=core.windows.net", "prodbench", false)]
    [InlineData("", null, false)]
    [InlineData("not a connection string", null, false)]
    public void DescribeConnection_NamesTheAccountAndWhetherItIsTheEmulator(string connection, string? account, bool emulator)
    {
        Assert.Equal((account, emulator), StorageSetup.DescribeConnection(connection));
    }

    [Fact]
    public void DescribeConnection_NeverReturnsTheKey()
    {
        (string? account, _) = StorageSetup.DescribeConnection("AccountName=a;AccountKey=c2VjcmV0");

        Assert.Equal("a", account);
    }

    [Theory]
    [InlineData("disk", "disk")]
    [InlineData(" Memory ", "memory")]
    [InlineData("ram", null)]
    [InlineData(null, null)]
    public void ParseAzuriteMode_AcceptsTheTwoModesOnly(string? text, string? mode)
    {
        Assert.Equal(mode, StorageSetup.ParseAzuriteMode(text));
    }

    [Fact]
    public void ReadSetup_RepositoryHostJson_IsWhatTheFunctionsHostRunsWith()
    {
        IConfiguration configuration = Configuration(("AzureWebJobsStorage", "UseDevelopmentStorage=true"));

        StorageSetup setup = StorageProviderSetting.ReadSetup(configuration, "disk", HostJson("host.json"));

        Assert.Equal(new StorageSetup("devstoreaccount1", true, "disk", 1, true, 1000, 32, 60, 10, 100, 100, StorageSetup.SourceHostJson), setup);
    }

    [Fact]
    public void ReadSetup_AppSettingsOverrideHostJson()
    {
        IConfiguration configuration = Configuration(
            ("AzureWebJobsStorage", "UseDevelopmentStorage=true"),
            ("AzureFunctionsJobHost:extensions:durableTask:storageProvider:partitionCount", "4"),
            ("AzureFunctionsJobHost:extensions:durableTask:extendedSessionsEnabled", "false"));

        StorageSetup setup = StorageProviderSetting.ReadSetup(configuration, azuriteMode: null, HostJson("host.json"));

        Assert.Equal((4, false, 1000, 32), (setup.PartitionCount, setup.ExtendedSessions, setup.MaxQueuePollingIntervalMs, setup.ControlQueueBatchSize));
    }

    [Fact]
    public void ReadSetup_RealAccount_IgnoresTheAzuriteMode()
    {
        IConfiguration configuration = Configuration(("AzureWebJobsStorage:accountName", "prodbench"));

        StorageSetup setup = StorageProviderSetting.ReadSetup(configuration, "memory", HostJson("host.json"));

        Assert.Equal(("prodbench", false, (string?)null), (setup.Account, setup.Emulator, setup.AzuriteMode));
    }

    [Fact]
    public void ReadSetup_NetheriteHostJson_LeavesTheAzureStorageSettingsUnknown()
    {
        StorageSetup setup = StorageProviderSetting.ReadSetup(Configuration(), azuriteMode: null, HostJson("host.netherite.json"));

        Assert.Null(setup.MaxQueuePollingIntervalMs);
        Assert.Null(setup.ControlQueueBatchSize);
    }

    [Fact]
    public void ReadSetup_HostDefaultsJson_ReadsTheExtensionsDefaultsItSpells()
    {
        IConfiguration configuration = Configuration(("AzureWebJobsStorage", "UseDevelopmentStorage=true"));

        StorageSetup setup = StorageProviderSetting.ReadSetup(configuration, azuriteMode: null, HostJson("host.defaults.json"));

        Assert.Equal((4, false, 30_000, 32, 300), (setup.PartitionCount, setup.ExtendedSessions, setup.MaxQueuePollingIntervalMs, setup.ControlQueueBatchSize, setup.VisibilityTimeoutS));
    }

    [Fact]
    public void ReadSetup_HostJsonNamingNoDurableSetting_FallsBackToTheExtensionsDefaults()
    {
        IConfiguration configuration = Configuration(("AzureWebJobsStorage", "UseDevelopmentStorage=true"));
        string bare = Path.Combine(Path.GetTempPath(), $"functionsbench-host-{Guid.NewGuid():N}.json");
        File.WriteAllText(bare, """{ "version": "2.0", "extensions": { "durableTask": { "hubName": "Bare" } } }""");
        try
        {
            StorageSetup fallback = StorageProviderSetting.ReadSetup(configuration, azuriteMode: null, bare);
            StorageSetup spelled = StorageProviderSetting.ReadSetup(configuration, azuriteMode: null, HostJson("host.defaults.json"));

            // Every setting host.defaults.json spells comes out the same when host.json names none of them.
            Assert.Equal(spelled, fallback);
            Assert.Equal((4, false, 30_000, 32, 300), (fallback.PartitionCount, fallback.ExtendedSessions, fallback.MaxQueuePollingIntervalMs, fallback.ControlQueueBatchSize, fallback.VisibilityTimeoutS));
            Assert.Equal(
                (10 * Environment.ProcessorCount, 10 * Environment.ProcessorCount, 10 * Environment.ProcessorCount),
                (fallback.MaxConcurrentActivities, fallback.MaxConcurrentOrchestrators, fallback.MaxConcurrentEntities));
        }
        finally
        {
            File.Delete(bare);
        }
    }

    [Fact]
    public void HostJson_DefaultProvider_IsAzureStorage_AndNetheriteBlockNamesNetherite()
    {
        Assert.Equal("AzureStorage", StorageProviderSetting.FromHostJson(HostJson("host.json")));
        Assert.Equal("Netherite", StorageProviderSetting.FromHostJson(HostJson("host.netherite.json")));
    }

    [Fact]
    public void Describe_UnknownStorage_SaysSo()
    {
        Assert.Equal("storage not known", StorageSetup.Unknown.Describe());
        Assert.Equal("Azurite (mode not known), 4 partitions", (StorageSetup.Unknown with { Emulator = true, PartitionCount = 4 }).Describe());
    }

    private static string HostJson(string name) => Path.Combine(Repository.Root, name);

    private static IConfiguration Configuration(params (string Key, string Value)[] settings)
        => new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
}
