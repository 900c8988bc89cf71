using FunctionsBench.GreeterFunctions;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Entities;
using Microsoft.DurableTask.Entities;

namespace FunctionsBench.Embedded.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class DtfxDurableEntityClientTests(EmbeddedHostFixture fixture) : IClassFixture<EmbeddedHostFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private DurableTaskClient Client => fixture.Client;

    [Fact]
    public async Task GetEntityAsync_AfterOrchestrationCallsEntity_ReturnsItsState()
    {
        string user = NewUser();

        int seen = await this.RunLoginsAsync(new TestFunctions.LoginsRequest(user, Count: 3, SignalFirst: false));
        EntityMetadata<GreeterState>? entity = await this.Client.Entities.GetEntityAsync<GreeterState>(new EntityInstanceId(nameof(GreeterEntity), user));

        Assert.Equal(3, seen);
        Assert.NotNull(entity);
        Assert.Equal(3, entity.State.SeenCount);
        Assert.NotNull(entity.State.LastSeen);
    }

    [Fact]
    public async Task GetEntityAsync_SignalThenCallsInOneExtendedSession_KeepsEveryOperation()
    {
        // With extended sessions, every batch after a session's first must see the previous batch's state.
        string user = NewUser();

        int seen = await this.RunLoginsAsync(new TestFunctions.LoginsRequest(user, Count: 10, SignalFirst: true));
        EntityMetadata? entity = await this.Client.Entities.GetEntityAsync(new EntityInstanceId(nameof(GreeterEntity), user));

        Assert.Equal(11, seen);
        Assert.NotNull(entity);
        Assert.Equal(11, entity.State.ReadAs<GreeterState>().SeenCount);
    }

    [Fact]
    public async Task SignalEntityAsync_Login_UpdatesState()
    {
        string user = NewUser();
        var id = new EntityInstanceId(nameof(GreeterEntity), user);

        await this.Client.Entities.SignalEntityAsync(id, nameof(GreeterEntity.Login), new LoginRequest("Ada", DateTime.UtcNow));
        await this.Client.Entities.SignalEntityAsync(id, nameof(GreeterEntity.Login), new LoginRequest("Ada", DateTime.UtcNow));
        GreeterState state = await this.WaitForStateAsync(id, s => s.SeenCount >= 2);

        Assert.Equal(2, state.SeenCount);
    }

    [Fact]
    public async Task GetEntityAsync_UnknownEntity_ReturnsNull()
    {
        Assert.Null(await this.Client.Entities.GetEntityAsync(new EntityInstanceId(nameof(GreeterEntity), NewUser())));
    }

    [Fact]
    public async Task GetAllEntitiesAsync_InstanceIdPrefix_FindsOnlyMatchingEntities()
    {
        string prefix = NewUser();
        await this.RunLoginsAsync(new TestFunctions.LoginsRequest(prefix + "-a", Count: 1, SignalFirst: false));
        await this.RunLoginsAsync(new TestFunctions.LoginsRequest(prefix + "-b", Count: 2, SignalFirst: false));

        var found = new Dictionary<string, int>();
        var query = new EntityQuery { InstanceIdStartsWith = new EntityInstanceId(nameof(GreeterEntity), prefix).ToString() };
        await foreach (EntityMetadata<GreeterState> entity in this.Client.Entities.GetAllEntitiesAsync<GreeterState>(query))
        {
            found[entity.Id.Key] = entity.State.SeenCount;
        }

        Assert.Equal(new Dictionary<string, int> { [prefix + "-a"] = 1, [prefix + "-b"] = 2 }, found);
    }

    [Fact]
    public async Task CleanEntityStorageAsync_NothingToClean_RemovesNothing()
    {
        string user = NewUser();
        await this.RunLoginsAsync(new TestFunctions.LoginsRequest(user, Count: 1, SignalFirst: false));

        CleanEntityStorageResult result = await this.Client.Entities.CleanEntityStorageAsync();

        Assert.Equal(0, result.OrphanedLocksReleased);
        Assert.NotNull(await this.Client.Entities.GetEntityAsync(new EntityInstanceId(nameof(GreeterEntity), user)));
    }

    private static string NewUser() => "user" + Guid.NewGuid().ToString("N")[..10];

    private async Task<int> RunLoginsAsync(TestFunctions.LoginsRequest request)
    {
        string id = await this.Client.ScheduleNewOrchestrationInstanceAsync(nameof(TestFunctions.LoginRepeatedly), request);
        using var timeout = new CancellationTokenSource(Timeout);
        OrchestrationMetadata done = await this.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{done.RuntimeStatus}: {done.FailureDetails}");
        return done.ReadOutputAs<int>();
    }

    private async Task<GreeterState> WaitForStateAsync(EntityInstanceId id, Func<GreeterState, bool> condition)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (true)
        {
            EntityMetadata<GreeterState>? entity = await this.Client.Entities.GetEntityAsync<GreeterState>(id, cancellation: timeout.Token);
            if (entity is not null && condition(entity.State))
            {
                return entity.State;
            }

            await Task.Delay(100, timeout.Token);
        }
    }
}
