using FunctionsBench.Embedded.Azurite;

namespace FunctionsBench.Embedded.Tests;

/// <summary>Every test class that needs storage joins this collection; the classes then run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Azurite";
}

/// <summary>
/// Azurite for the whole test run: reuses one already listening (as under <c>./bench test</c>), otherwise starts one
/// on a scratch data folder and stops it and deletes the folder at the end.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static AzuriteProcess? shared;
    private static string? scratchData;

    /// <summary>The running emulator.</summary>
    public static async Task<AzuriteProcess> EnsureAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (shared is null)
            {
                scratchData = Path.Combine(Path.GetTempPath(), $"functionsbench-tests-azurite-{Environment.ProcessId}");
                shared = await AzuriteProcess.EnsureStartedAsync(new AzuriteOptions { DataDirectory = scratchData });
            }

            return shared;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <inheritdoc/>
    public Task InitializeAsync() => EnsureAsync();

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (shared is { IsOwned: true })
            {
                await shared.StopAsync();
                if (scratchData is not null && Directory.Exists(scratchData))
                {
                    Directory.Delete(scratchData, recursive: true);
                }
            }

            shared = null;
        }
        finally
        {
            Gate.Release();
        }
    }
}
