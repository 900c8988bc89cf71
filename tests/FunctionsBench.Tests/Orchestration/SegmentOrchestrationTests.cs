namespace FunctionsBench.Tests.Orchestration;

/// <summary>The segment orchestration's loop on a mocked context: which calls it makes, what it records and when.</summary>
public sealed class SegmentOrchestrationTests
{
    [Fact]
    public async Task Run_ActivitySegment_CallsSayHelloPerInvocationAndFlushesEveryCheckpoint()
    {
        var fake = new FakeOrchestration();
        SegmentInput input = Input(Scenarios.DfActivity, first: 10, count: 7, checkpointEvery: 5, parallelism: 1, repetition: 1);

        SegmentResult result = await new BenchSegmentOrchestration().RunAsync(fake.Context, input);

        Assert.Equal(7, fake.Activities.Count);
        Assert.All(fake.Activities, a => Assert.Equal((nameof(SayHello), (object?)"Joe"), a));
        // Two flushes: after the 5th invocation and at the end, each record in its sequence's chunk.
        Assert.Equal(2, fake.Signals.Count);
        Assert.Equal(Enumerable.Range(10, 7), fake.RecordedTimings.Select(r => r.Sequence));
        Assert.All(fake.Signals, s => Assert.Equal(TimingsChunk.IdFor(FakeOrchestration.RunId, input.Unit, 0), s.Id));
        Assert.Equal(fake.RecordedTimings.First().Start, result.Start);
        Assert.Equal(fake.RecordedTimings.Last().End, result.End);
        Assert.All(fake.RecordedTimings, r => Assert.True(r.End > r.Start));

        // With the flush after the 5th invocation, how far the unit is: 10 before this segment and 5 in it.
        Assert.Equal([new UnitProgress(15, input.Unit.Invocations)], fake.CustomStatuses);
    }

    [Fact]
    public async Task Run_ParallelismThree_MakesBatchesOfThreeAndRecordsEverySequenceOnce()
    {
        var fake = new FakeOrchestration();

        await new BenchSegmentOrchestration().RunAsync(fake.Context, Input(Scenarios.DfSubOrchestration, first: 0, count: 7, checkpointEvery: 100, parallelism: 3, repetition: 2));

        var unit = new BenchUnit(Scenarios.DfSubOrchestration, 50, 2);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => InstanceIds.SubOrchestration(FakeOrchestration.RunId, unit, i)), fake.SubOrchestrations.Select(s => s.InstanceId));
        Assert.Equal(Enumerable.Range(0, 7), fake.RecordedTimings.Select(r => r.Sequence).Order());
        Assert.Single(fake.Signals);
    }

    [Fact]
    public async Task Run_EntitySegment_LogsInWithTheSequenceAsIdAndChecksTheSeenCount()
    {
        var fake = new FakeOrchestration();
        SegmentInput input = Input(Scenarios.DfEntity, first: 0, count: 3, checkpointEvery: 100, parallelism: 1, repetition: 1);

        await new BenchSegmentOrchestration().RunAsync(fake.Context, input);

        Assert.Equal([0L, 1L, 2L], fake.EntityCalls.Select(c => ((LoginRequest)c.Input!).Id!.Value));
        Assert.All(fake.EntityCalls, c => Assert.Equal(InstanceIds.GreeterKey("u1", FakeOrchestration.RunId, input.Unit), c.Id.Key));

        var wrong = new FakeOrchestration { SeenCountError = 1 };
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new BenchSegmentOrchestration().RunAsync(wrong.Context, input));
        Assert.Contains("seen-count 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WarmUpSegment_RecordsNothing()
    {
        var fake = new FakeOrchestration();

        await new BenchSegmentOrchestration().RunAsync(fake.Context, Input(Scenarios.DfActivity, first: 0, count: 4, checkpointEvery: 2, parallelism: 1, repetition: 0));

        Assert.Equal(4, fake.Activities.Count);
        Assert.Empty(fake.Signals);
    }

    [Fact]
    public async Task Run_WrongGreeting_FailsTheSegmentNamingTheInvocation()
    {
        var fake = new FakeOrchestration { Greeting = name => "Hi " + name };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => new BenchSegmentOrchestration().RunAsync(fake.Context, Input(Scenarios.DfActivity, first: 4, count: 2, checkpointEvery: 10, parallelism: 1, repetition: 1)));

        Assert.Contains("Invocation 4", error.Message, StringComparison.Ordinal);
        Assert.Empty(fake.Signals);
    }

    internal static SegmentInput Input(string scenario, int first, int count, int checkpointEvery, int parallelism, int repetition)
    {
        var settings = new BenchSettings([scenario], [50], 1, BenchModes.Checkpointed, checkpointEvery, parallelism, "http://127.0.0.1:1/x", "u1", "Joe");
        return new SegmentInput(new BenchRun(FakeOrchestration.RunId, settings, "test", "AzureStorage"), new BenchUnit(scenario, 50, repetition), first, count);
    }
}
