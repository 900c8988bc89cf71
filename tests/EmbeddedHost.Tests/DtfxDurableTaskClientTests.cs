using DurableTask.Core.Exceptions;
using FunctionsBench.GreeterFunctions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace FunctionsBench.Embedded.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class DtfxDurableTaskClientTests(EmbeddedHostFixture fixture) : IClassFixture<EmbeddedHostFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private DurableTaskClient Client => fixture.Client;

    [Fact]
    public async Task ScheduleNewOrchestrationInstanceAsync_GreeterOrchestration_CompletesWithGreeting()
    {
        string id = await this.Client.ScheduleNewOrchestrationInstanceAsync(nameof(GreeterOrchestration), "Ada");

        OrchestrationMetadata done = await this.WaitForCompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(nameof(GreeterOrchestration), done.Name);
        Assert.Equal("Ada", done.ReadInputAs<string>());
        Assert.Equal("Hello Ada!", done.ReadOutputAs<string>());
        Assert.True(done.LastUpdatedAt >= done.CreatedAt);
    }

    [Fact]
    public async Task ScheduleNewOrchestrationInstanceAsync_IdOfRunningInstance_Throws()
    {
        string id = await this.StartWaitingAsync();

        await Assert.ThrowsAsync<OrchestrationAlreadyExistsException>(
            () => this.Client.ScheduleNewOrchestrationInstanceAsync(nameof(TestFunctions.WaitForApproval), "again", new StartOrchestrationOptions(id)));

        await this.Client.TerminateInstanceAsync(id);
        await this.WaitForCompletionAsync(id);
    }

    [Fact]
    public async Task GetInstanceAsync_WaitingInstance_ReportsCustomStatus()
    {
        string id = await this.StartWaitingAsync();

        OrchestrationMetadata? waiting = await this.Client.GetInstanceAsync(id, getInputsAndOutputs: true);

        Assert.NotNull(waiting);
        Assert.Equal(OrchestrationRuntimeStatus.Running, waiting.RuntimeStatus);
        Assert.Equal("waiting", waiting.ReadCustomStatusAs<string>());
        await this.Client.TerminateInstanceAsync(id);
        await this.WaitForCompletionAsync(id);
    }

    [Fact]
    public async Task GetInstanceAsync_WithoutInputsAndOutputs_OmitsPayloads()
    {
        string id = await this.Client.ScheduleNewOrchestrationInstanceAsync(nameof(GreeterOrchestration), "Ada");
        await this.WaitForCompletionAsync(id);

        OrchestrationMetadata? instance = await this.Client.GetInstanceAsync(id, getInputsAndOutputs: false);

        Assert.NotNull(instance);
        Assert.Null(instance.SerializedInput);
        Assert.Null(instance.SerializedOutput);
    }

    [Fact]
    public async Task GetInstanceAsync_UnknownId_ReturnsNull()
    {
        Assert.Null(await this.Client.GetInstanceAsync("no-such-" + Guid.NewGuid().ToString("N")));
    }

    [Fact]
    public async Task RaiseEventAsync_WaitingInstance_CompletesWithPayload()
    {
        string id = await this.StartWaitingAsync();

        await this.Client.RaiseEventAsync(id, TestFunctions.ApprovalEvent, "yes");
        OrchestrationMetadata done = await this.WaitForCompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("approved: yes", done.ReadOutputAs<string>());
        Assert.Equal("approved", done.ReadCustomStatusAs<string>());
    }

    [Fact]
    public async Task TerminateInstanceAsync_RunningInstance_EndsTerminatedWithOutput()
    {
        string id = await this.StartWaitingAsync();

        await this.Client.TerminateInstanceAsync(id, "enough");
        OrchestrationMetadata done = await this.WaitForCompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Terminated, done.RuntimeStatus);
        Assert.Equal("enough", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task SuspendInstanceAsync_RunningInstance_SuspendsUntilResumed()
    {
        string id = await this.StartWaitingAsync();

        await this.Client.SuspendInstanceAsync(id, "pause");
        OrchestrationMetadata suspended = await this.WaitForStatusAsync(id, OrchestrationRuntimeStatus.Suspended);
        await this.Client.ResumeInstanceAsync(id, "go on");
        OrchestrationMetadata resumed = await this.WaitForStatusAsync(id, OrchestrationRuntimeStatus.Running);

        Assert.Equal(OrchestrationRuntimeStatus.Suspended, suspended.RuntimeStatus);
        Assert.Equal(OrchestrationRuntimeStatus.Running, resumed.RuntimeStatus);
        await this.Client.TerminateInstanceAsync(id);
        await this.WaitForCompletionAsync(id);
    }

    [Fact]
    public async Task WaitForInstanceCompletionAsync_FailingOrchestration_ReportsFailureDetails()
    {
        string id = await this.Client.ScheduleNewOrchestrationInstanceAsync(nameof(TestFunctions.Fail), "broken on purpose");

        OrchestrationMetadata done = await this.WaitForCompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.NotNull(done.FailureDetails);
        Assert.Contains("broken on purpose", done.FailureDetails.ErrorMessage);
        Assert.Contains(nameof(InvalidOperationException), done.FailureDetails.ErrorType);
    }

    [Fact]
    public async Task WaitForInstanceCompletionAsync_ActivityFails_OrchestrationCatchesTypedFailure()
    {
        string id = await this.Client.ScheduleNewOrchestrationInstanceAsync(nameof(TestFunctions.CatchActivityFailure), "activity broke");

        OrchestrationMetadata done = await this.WaitForCompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal($"{typeof(InvalidOperationException).FullName}|activity broke", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task ScheduleNewOrchestrationInstanceAsync_StartAt_DelaysTheStart()
    {
        // Queue visibility delays have whole-second resolution, so the start may come up to a second early.
        DateTimeOffset scheduledAt = DateTimeOffset.UtcNow;
        string id = await this.Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(GreeterOrchestration), "later", new StartOrchestrationOptions { StartAt = scheduledAt.AddSeconds(4) });

        OrchestrationMetadata done = await this.WaitForCompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.True(DateTimeOffset.UtcNow - scheduledAt >= TimeSpan.FromSeconds(3), $"completed {DateTimeOffset.UtcNow - scheduledAt} after scheduling");
    }

    [Fact]
    public async Task PurgeInstanceAsync_CompletedInstance_RemovesIt()
    {
        string id = await this.Client.ScheduleNewOrchestrationInstanceAsync(nameof(GreeterOrchestration), "Ada");
        await this.WaitForCompletionAsync(id);

        PurgeResult result = await this.Client.PurgeInstanceAsync(id);

        Assert.Equal(1, result.PurgedInstanceCount);
        Assert.Null(await this.Client.GetInstanceAsync(id));
    }

    [Fact]
    public async Task PurgeInstanceAsync_RunningInstance_ThrowsAndKeepsIt()
    {
        string id = await this.StartWaitingAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => this.Client.PurgeInstanceAsync(id));

        Assert.NotNull(await this.Client.GetInstanceAsync(id));
        await this.Client.TerminateInstanceAsync(id);
        await this.WaitForCompletionAsync(id);
    }

    [Fact]
    public async Task GetAllInstancesAsync_InstanceIdPrefix_ReturnsOnlyMatchingInstances()
    {
        string prefix = "query-" + Guid.NewGuid().ToString("N")[..8] + "-";
        string[] ids = [prefix + "a", prefix + "b"];
        foreach (string id in ids)
        {
            await this.Client.ScheduleNewOrchestrationInstanceAsync(nameof(GreeterOrchestration), id, new StartOrchestrationOptions(id));
        }

        string unrelated = await this.Client.ScheduleNewOrchestrationInstanceAsync(nameof(GreeterOrchestration), "other");

        var found = new List<string>();
        await foreach (OrchestrationMetadata instance in this.Client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = prefix }))
        {
            found.Add(instance.InstanceId);
        }

        Assert.Equal(ids, found.Order());
        Assert.DoesNotContain(unrelated, found);
    }

    private async Task<string> StartWaitingAsync()
    {
        string id = await this.Client.ScheduleNewOrchestrationInstanceAsync(nameof(TestFunctions.WaitForApproval), "input");
        using var timeout = new CancellationTokenSource(Timeout);
        while ((await this.Client.GetInstanceAsync(id, getInputsAndOutputs: true, timeout.Token))?.SerializedCustomStatus is null)
        {
            await Task.Delay(50, timeout.Token);
        }

        return id;
    }

    private async Task<OrchestrationMetadata> WaitForCompletionAsync(string id)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        return await this.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
    }

    private async Task<OrchestrationMetadata> WaitForStatusAsync(string id, OrchestrationRuntimeStatus status)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (true)
        {
            OrchestrationMetadata? instance = await this.Client.GetInstanceAsync(id, getInputsAndOutputs: false, timeout.Token);
            if (instance?.RuntimeStatus == status)
            {
                return instance;
            }

            await Task.Delay(50, timeout.Token);
        }
    }
}
