using Xunit;

namespace FunctionsBench.Testing;

/// <summary>
/// The Azurite a test process shares among the test classes that need plain storage: started by the first that needs
/// it, on ports and a data folder of its own (<see cref="TestAzurite"/>), and stopped, its data deleted, when the last
/// lets go. A test project joins it through an xunit collection whose fixture is this class.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static TestAzurite? shared;
    private static int users;

    /// <summary>The shared emulator; only while some fixture holds it (classes of the collection, their fixtures).</summary>
    public static TestAzurite Shared => shared ?? throw new InvalidOperationException("No test holds the shared Azurite: use it from a class in the project's Azurite collection.");

    /// <summary>The shared emulator's connection string.</summary>
    public static string ConnectionString => Shared.ConnectionString;

    /// <summary>Takes a hold on the shared emulator, starting it when nobody holds it.</summary>
    public static async Task<TestAzurite> AcquireAsync()
    {
        await Gate.WaitAsync();
        try
        {
            shared ??= await TestAzurite.StartAsync("tests-azurite");
            users++;
            return shared;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Lets go of a hold; the last one stops the emulator and deletes its data.</summary>
    public static async Task ReleaseAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (users == 0)
            {
                throw new InvalidOperationException("The shared Azurite was released more often than acquired.");
            }

            if (--users == 0 && shared is not null)
            {
                await shared.DisposeAsync();
                shared = null;
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <inheritdoc/>
    public Task InitializeAsync() => AcquireAsync();

    /// <inheritdoc/>
    public Task DisposeAsync() => ReleaseAsync();
}
