using FunctionsBench.BenchOrchestrator.Floors;
using FunctionsBench.StateFun;
using Microsoft.DurableTask.Entities;

namespace FunctionsBench.Tests.Orchestration;

/// <summary>The unit orchestration's plan and checks on a mocked context: segments, StateFun chunks, the final checks, the result.</summary>
public sealed class UnitOrchestrationTests
{
    [Theory]
    [InlineData(BenchModes.Checkpointed, new[] { 0, 100, 200 }, new[] { 100, 100, 50 })]
    [InlineData(BenchModes.Single, new[] { 0 }, new[] { 250 })]
    public async Task Run_DurableScenario_RunsItsSegmentsInOrderUnderTheirOwnIds(string mode, int[] firsts, int[] counts)
    {
        var fake = new FakeOrchestration();
        var segments = SetUpSegments(fake);
        SetUpSummaries(fake, recorded: 250);
        UnitInput input = Input(Scenarios.DfActivity, 250, mode, repetition: 1);

        ScenarioResult? result = await new BenchUnitOrchestration().RunAsync(fake.Context, input);

        Assert.Equal(firsts.Zip(counts), segments.Select(s => (s.Input.First, s.Input.Count)));
        Assert.Equal(Enumerable.Range(0, firsts.Length).Select(k => InstanceIds.Segment(FakeOrchestration.RunId, input.Unit, k)), segments.Select(s => s.InstanceId));
        Assert.NotNull(result);
        Assert.Equal((250, 250, 4L * 250), (result.Invocations, result.Recorded, result.Events));
        Assert.Equal(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(result.ExecutionSeconds));
        Assert.Equal(new UnitProgress(250, 250), fake.CustomStatuses[^1]);

        // While a segment runs, the unit names it, so a client can ask the segment how far it is.
        Assert.Equal(
            segments.Select((s, k) => new UnitProgress(firsts[k], 250, s.InstanceId)),
            fake.CustomStatuses.OfType<UnitProgress>().Where(p => p.Segment is not null));
    }

    [Fact]
    public async Task Run_StateFun_CallsTheDriverPerSegmentRecordsPerChunkAndCarriesTheRuntimeState()
    {
        var fake = new FakeOrchestration();
        List<StateFunLoginsInput> calls = SetUpDriver(fake, (call, _) => new StateFunLoginsOutput(
            Timings(call, startMs: s => s, elapsedMs: 0.5), JsonSerializer.SerializeToElement(new { after = call.FirstSequence + call.Count })));
        const int segment = BenchPlan.StateFunSegmentLogins, n = (2 * segment) + 500;
        SetUpSummaries(fake, recorded: n);

        ScenarioResult? result = await new BenchUnitOrchestration().RunAsync(fake.Context, Input(Scenarios.StateFun, n, BenchModes.Checkpointed, repetition: 1));

        Assert.Equal([(0, segment), (segment, segment), (2 * segment, 500)], calls.Select(c => (c.FirstSequence, c.Count)));
        Assert.Null(calls[0].RuntimeState);
        Assert.Equal(segment, calls[1].RuntimeState!.Value.GetProperty("after").GetInt32());
        Assert.Equal(Enumerable.Range(0, n), fake.RecordedTimings.Select(r => r.Sequence));
        Assert.All(fake.Signals, s => Assert.InRange(((TimingBatch)s.Input!).Records.Count, 1, TimingsChunk.Size));
        Assert.Equal((n + TimingsChunk.Size - 1) / TimingsChunk.Size, fake.Signals.Select(s => s.Id).Distinct().Count());
        Assert.Equal((n - 0.5) / 1000, result!.ExecutionSeconds, 6);
    }

    [Fact]
    public async Task Run_EntityCountedOtherThanN_FailsTheUnit()
    {
        var fake = new FakeOrchestration();
        SetUpSegments(fake);
        fake.Entities.Setup(e => e.CallEntityAsync<GreeterState>(It.IsAny<EntityInstanceId>(), nameof(GreeterEntity.Get), It.IsAny<object?>(), It.IsAny<CallEntityOptions?>()))
            .ReturnsAsync(new GreeterState { SeenCount = 9 });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => new BenchUnitOrchestration().RunAsync(fake.Context, Input(Scenarios.DfEntity, 10, BenchModes.Checkpointed, repetition: 1)));

        Assert.Contains("counted 9 logins; 10 were made", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WarmUp_ReturnsNoResultAndReadsNoTimings()
    {
        var fake = new FakeOrchestration();
        SetUpSegments(fake);

        ScenarioResult? result = await new BenchUnitOrchestration().RunAsync(fake.Context, Input(Scenarios.DfActivity, 100, BenchModes.Checkpointed, repetition: 0));

        Assert.Null(result);
        fake.Entities.Verify(e => e.CallEntityAsync<ChunkSummary>(It.IsAny<EntityInstanceId>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CallEntityOptions?>()), Times.Never);
    }

    [Fact]
    public async Task Run_RecordsStillArriving_ReadsAgainAfterAPauseAndReportsWhatArrived()
    {
        var fake = new FakeOrchestration();
        SetUpSegments(fake);
        int reads = 0;
        fake.Entities.Setup(e => e.CallEntityAsync<ChunkSummary>(It.IsAny<EntityInstanceId>(), nameof(TimingsEntity.Summary), It.IsAny<object?>(), It.IsAny<CallEntityOptions?>()))
            .ReturnsAsync(() => ++reads < 3 ? new ChunkSummary(5, [1, 1, 1, 1, 1]) : new ChunkSummary(8, [1, 1, 1, 1, 1, 1, 1, 1]));

        ScenarioResult? result = await new BenchUnitOrchestration().RunAsync(fake.Context, Input(Scenarios.DfActivity, 8, BenchModes.Checkpointed, repetition: 1));

        Assert.Equal(3, reads);
        Assert.Equal(8, result!.Recorded);
        fake.Mock.Verify(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Run_StateFun_MeasuresTheHttpFloorInTurnsInsideTheDriverNotBeforeTheUnit(bool recorded)
    {
        var fake = new FakeOrchestration();
        // Each login takes 1 ms; each segment reports 0.25 s of floor slices.
        List<StateFunLoginsInput> calls = SetUpDriver(fake, (call, k) => new StateFunLoginsOutput(
            Timings(call, startMs: s => s + (0.25 * k), elapsedMs: 1), JsonSerializer.SerializeToElement(new { }),
            call.FloorUrl is null ? null : new HttpFloorInTurns(2 * call.Count, 0.25)));
        const int segment = BenchPlan.StateFunSegmentLogins, n = segment + 1000;
        SetUpSummaries(fake, recorded: n);
        UnitInput plain = Input(Scenarios.StateFun, n, BenchModes.Checkpointed, repetition: recorded ? 1 : 0);
        UnitInput input = plain with { Run = plain.Run with { NoopUrl = "http://127.0.0.1:1/api/noop", HostKey = "host-key" } };

        ScenarioResult? result = await new BenchUnitOrchestration().RunAsync(fake.Context, input);

        // No separate floor before the unit: the only activity calls are the driver's.
        fake.Mock.Verify(c => c.CallActivityAsync<BenchFloors>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()), Times.Never());
        // The warm-up unit posts its floor too (so the floor's code is compiled before the first recorded unit).
        Assert.All(calls, c => Assert.Equal(("http://127.0.0.1:1/api/noop", "host-key"), (c.FloorUrl, c.FloorKey)));
        if (!recorded)
        {
            Assert.Null(result);
            return;
        }

        // The floor: 2 x n requests in the two segments' 0.5 s. The execution time: the span from the first login to the
        // last (n + 0.25 ms) less those 0.5 s.
        Assert.Equal((2.0 * n / 0.5, ScenarioResult.TurnsFloor), (result!.FloorRate!.Value, result.FloorSource));
        Assert.Equal(((n + 0.25) / 1000) - 0.5, result.ExecutionSeconds, 6);
    }

    /// <summary>Answers the driver activity's calls with <paramref name="answer"/> (given the call and its 1-based number); returns the calls.</summary>
    private static List<StateFunLoginsInput> SetUpDriver(FakeOrchestration fake, Func<StateFunLoginsInput, int, StateFunLoginsOutput> answer)
    {
        var calls = new List<StateFunLoginsInput>();
        fake.Mock.Setup(c => c.CallActivityAsync<StateFunLoginsOutput>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns<TaskName, object?, TaskOptions?>((_, input, _) =>
            {
                var call = (StateFunLoginsInput)input!;
                calls.Add(call);
                return Task.FromResult(answer(call, calls.Count));
            });
        return calls;
    }

    /// <summary>Timings of the call's logins, login s starting at <paramref name="startMs"/>(s) ms after T0.</summary>
    private static StateFunTimings Timings(StateFunLoginsInput call, Func<int, double> startMs, double elapsedMs)
        => StateFunTimings.Of([.. Enumerable.Range(call.FirstSequence, call.Count)
            .Select(s => new StateFunLogin(s, FakeOrchestration.T0.AddMilliseconds(startMs(s)), FakeOrchestration.T0.AddMilliseconds(startMs(s) + elapsedMs), s + 1, 0, "Joe"))]);

    private static List<(SegmentInput Input, string? InstanceId)> SetUpSegments(FakeOrchestration fake)
    {
        var segments = new List<(SegmentInput, string?)>();
        fake.Mock.Setup(c => c.CallSubOrchestratorAsync<SegmentResult>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns<TaskName, object?, TaskOptions?>((name, input, options) =>
            {
                Assert.Equal(nameof(BenchSegmentOrchestration), name.Name);
                var segment = (SegmentInput)input!;
                segments.Add((segment, (options as SubOrchestrationOptions)?.InstanceId));
                return Task.FromResult(new SegmentResult(FakeOrchestration.T0.AddMilliseconds(segment.First), FakeOrchestration.T0.AddMilliseconds(segment.First + segment.Count)));
            });
        fake.Entities.Setup(e => e.CallEntityAsync<GreeterState>(It.IsAny<EntityInstanceId>(), nameof(GreeterEntity.Get), It.IsAny<object?>(), It.IsAny<CallEntityOptions?>()))
            .ReturnsAsync(new GreeterState { SeenCount = 10 });
        return segments;
    }

    private static void SetUpSummaries(FakeOrchestration fake, int recorded)
        => fake.Entities.Setup(e => e.CallEntityAsync<ChunkSummary>(It.IsAny<EntityInstanceId>(), nameof(TimingsEntity.Summary), It.IsAny<object?>(), It.IsAny<CallEntityOptions?>()))
            .Returns<EntityInstanceId, string, object?, CallEntityOptions?>((id, _, _, _) =>
            {
                int chunk = int.Parse(id.Key.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
                int inChunk = Math.Clamp(recorded - (chunk * TimingsChunk.Size), 0, TimingsChunk.Size);
                return Task.FromResult(new ChunkSummary(inChunk, [.. Enumerable.Repeat(1.0, inChunk)]));
            });

    private static UnitInput Input(string scenario, int n, string mode, int repetition)
    {
        var settings = new BenchSettings([scenario], [n], 1, mode, 100, 1, "http://127.0.0.1:1/x", "u1", "Joe");
        return new UnitInput(new BenchRun(FakeOrchestration.RunId, settings, "test", "AzureStorage"), new BenchUnit(scenario, n, repetition), Floors: null);
    }
}
